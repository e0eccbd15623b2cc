/**
 * Pact files: their shape as this package reads them, where the package's own are, and how a list
 * of files and directories becomes a list of pact files. `verify`, `publish` and `drift` all read
 * pacts through here, so "a directory means its `*.json`, sorted" is said once.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A Pact V4 file, as much of it as this package reads. Read from disk: any field may be missing. */
export interface PactFile {
  consumer?: { name?: string };
  provider?: { name?: string };
  interactions?: PactInteraction[];
  [key: string]: unknown;
}

/** One interaction of a {@link PactFile}. */
export interface PactInteraction {
  description?: string;
  providerStates?: { name?: string }[];
  request?: {
    method?: string;
    path?: string;
    query?: Record<string, string[]>;
    headers?: Record<string, string[] | string>;
    body?: { content?: unknown };
  };
  response?: { status?: number };
  [key: string]: unknown;
}

/**
 * The package's own contracts/ directory (beside the package.json named twilio-stream-contract),
 * found from this module's location, so from src/ and dist/ alike; undefined outside the package.
 */
export function packageContractsDirectory(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "twilio-stream-contract") {
      return join(dir, "contracts");
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The pact files `paths` name: each file given, and every `*.json` of each directory given (sorted
 * by name). Throws the file system's error (with `code` and `path`) when a path cannot be read.
 */
export function pactFilePaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name.endsWith(".json")) files.push(join(path, name));
    } else {
      files.push(path);
    }
  }
  return files;
}
