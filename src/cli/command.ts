/**
 * A command of the CLI: its one-line summary, its help text and what it does.
 */
import type { ExitCode } from "./exit.js";

/** A command of the CLI: its help text and what it does. */
export interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: string[]): Promise<ExitCode>;
}
