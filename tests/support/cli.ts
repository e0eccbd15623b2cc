/**
 * The built CLI as users run it (`node dist/cli/main.js`), in a child process so that the
 * servers under test keep serving from this one. `npm test` builds first; a missing build fails
 * the test with how to make it, never skips it (a skipped test is an empty pass).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";

export const CLI = "dist/cli/main.js";

/** How a run of the CLI ended, and what it printed. */
export interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `path`, once it is there: a file the build writes (dist/…); throws, saying how to build it, when it is not. */
export function built(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does)`);
  return path;
}

/**
 * Starts the CLI with `args`; `env` is laid over this process's environment (`undefined`
 * removes a variable, e.g. TWILIO_AUTH_TOKEN).
 */
export function startCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): { readonly child: ChildProcessWithoutNullStreams; readonly output: Promise<Ended> } {
  const child = spawn(process.execPath, [built(CLI), ...args], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const output = new Promise<Ended>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, output };
}

/** Runs the CLI with `args` to its end. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<Ended> {
  return startCli(args, env).output;
}

/** The base URL a server the CLI started (mock, provider) prints on stderr once it listens. */
export function listening(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve) => {
    let seen = "";
    child.stderr.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
  });
}
