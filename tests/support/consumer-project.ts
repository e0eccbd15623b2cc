/**
 * A fresh consumer project with the package as a user installs it: `npm pack` of this checkout
 * (dist/ as `npm run build` left it), unpacked into the project's node_modules, beside the
 * packages the test names — linked from this checkout's node_modules, so no registry is needed
 * and nothing else (no @pact-foundation/pact-core, no devDependency) is there to be found.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

/** The packed package: the tarball's path and its package.json. */
interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
  readonly manifest: { scripts?: Record<string, string>; dependencies?: Record<string, string> };
}

/** Packs this checkout without lifecycle scripts (dist/ must be built) into `dir`. */
function packPackage(dir: string): Packed {
  const [{ filename, files }] = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }),
  ) as [{ filename: string; files: { path: string }[] }];
  const tarball = join(dir, filename);
  const manifest = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" })) as Packed["manifest"];
  return { tarball, files: files.map((f) => f.path), manifest };
}

export interface ConsumerProject {
  readonly dir: string;
  readonly packed: Packed;
  /** Removes the project. */
  dispose(): void;
}

/**
 * Creates an ESM project (`"type": "module"`) with the packed package installed and `links`
 * linked from this checkout's node_modules: a name, or `[name, directory]` for another
 * directory under that name (e.g. `["nock", "nock15"]`).
 */
export function createConsumerProject(links: readonly (string | readonly [string, string])[]): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), "stream-contract-consumer-"));
  try {
    const packed = packPackage(dir);
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`);
    const installed = join(dir, "node_modules", "twilio-stream-contract");
    mkdirSync(installed, { recursive: true });
    execFileSync("tar", ["-xzf", packed.tarball, "-C", installed, "--strip-components=1"]);
    const { dependencies = {} } = packed.manifest;
    const names = [...Object.keys(dependencies), ...links];
    for (const link of names) {
      const [name, target] = typeof link === "string" ? [link, link] : link;
      const at = join(dir, "node_modules", name);
      mkdirSync(dirname(at), { recursive: true });
      symlinkSync(join(ROOT, "node_modules", target), at, "dir");
    }
    return { dir, packed, dispose: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
