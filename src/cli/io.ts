/**
 * What every command shares: exit codes CI can rely on, usage errors that print no stack,
 * argument parsing and input reading.
 */
import { readFile } from "node:fs/promises";
import { parseArgs, type ParseArgsConfig } from "node:util";

/** 0 conformant, 1 contract violation, 2 usage or I/O error. */
export const EXIT = { ok: 0, violation: 1, usage: 2 } as const;
type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake of the user's (bad flag, unreadable file, no server): a message, exit 2, no stack. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A command of the CLI: its help text and what it does. */
export interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: string[]): Promise<ExitCode>;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with its errors turned into usage errors. `--help` is always an option. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Reads a file, or standard input for `-`; a missing or unreadable file is a usage error. */
export async function readInput(file: string): Promise<string> {
  try {
    if (file === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(file, "utf8");
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new UsageError(`cannot read ${file === "-" ? "standard input" : file}: ${why}`);
  }
}

/** JSON.parse with a usage error that says where (line and column) the text went wrong. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (at) {
      const position = Number(at[1]);
      const before = text.slice(0, position).split("\n");
      throw new UsageError(`${source} is not valid JSON: ${message.replace(/ in JSON at position \d.*/, "")} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`);
    }
    throw new UsageError(`${source} is not valid JSON: ${message}`);
  }
}
