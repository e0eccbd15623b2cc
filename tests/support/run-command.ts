/**
 * Runs a CLI command in-process as src/cli/main.ts does — a UsageError becomes exit 2 and a
 * message on stderr — and captures what it printed.
 */
import { vi } from "vitest";
import type { Command } from "../../src/cli/command.js";
import { UsageError } from "../../src/cli/exit.js";

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, to check that something appears in neither. */
  readonly output: string;
}

/** Runs `command` with `args`; each `env` entry is set for the run (undefined → empty). */
export async function runCommand(
  command: Command,
  args: string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CommandResult> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value ?? "");
  let code: number;
  try {
    code = await command.run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr += `stream-contract: ${error.message}\n`;
    code = 2;
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
  return { code, stdout, stderr, output: stdout + stderr };
}
