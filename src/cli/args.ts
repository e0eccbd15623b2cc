/**
 * Argument parsing: node:util parseArgs, its errors as usage errors, `--help` on every command.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./exit.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** node:util parseArgs, with its errors turned into usage errors. `--help` is always an option. */
export function parseCommandArgs<O extends Options>(args: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
