/**
 * Runs a Media Streams server nobody here wrote (tests/third-party/: Twilio's own samples, kept
 * as published) in a child process, on a port the system picks (tests/third-party/support/
 * listen-anywhere.mjs), and says where it listens. What it prints is kept for a failing test.
 */
import { type ChildProcess, fork } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

const THIRD_PARTY = fileURLToPath(new URL("../third-party/", import.meta.url));

export interface ThirdPartyServer {
  /** `ws://127.0.0.1:<port>`. */
  readonly origin: string;
  /** What the server printed so far. */
  output(): string;
  close(): Promise<void>;
}

export interface ThirdPartyServerOptions {
  /** The server's entry, under tests/third-party/. */
  readonly entry: string;
  readonly env?: Readonly<Record<string, string>>;
  /** More `node` options, e.g. `--import` a preload from tests/third-party/support/. */
  readonly execArgv?: readonly string[];
}

export async function startThirdPartyServer(options: ThirdPartyServerOptions): Promise<ThirdPartyServer> {
  const entry = `${THIRD_PARTY}${options.entry}`;
  const execArgv = ["--import", `${THIRD_PARTY}support/listen-anywhere.mjs`, ...(options.execArgv ?? [])];
  let output = "";
  const child: ChildProcess = fork(entry, [], {
    cwd: dirname(entry),
    execArgv,
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-64 * 1024));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const where = await new Promise<{ address: string; port: number }>((resolve, reject) => {
    child.once("message", (message) => resolve(message as { address: string; port: number }));
    child.once("exit", (code) => reject(new Error(`${options.entry} exited (${code}) before listening:\n${output}`)));
  });
  return {
    origin: `ws://${where.address}:${where.port}`,
    output: () => output,
    close: async () => {
      child.kill();
      await exited;
    },
  };
}
