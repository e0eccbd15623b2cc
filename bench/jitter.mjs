// The jitter of paced frames, as the media benches measure it: given when each frame of each
// series (one track of one socket) was seen, the intervals between a series' consecutive frames,
// their jitter |interval − 20 ms| (p50, p99) and the longest interval; and the two places they
// are seen from: the pace target (the server) and the send-times hook (the sender).
import { fork } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function jitterStats(series) {
  const jitter = [];
  let maxInterval = 0;
  let frames = 0;
  for (const times of series) {
    frames += times.length;
    for (let i = 1; i < times.length; i++) {
      const interval = times[i] - times[i - 1];
      jitter.push(Math.abs(interval - 20));
      if (interval > maxInterval) maxInterval = interval;
    }
  }
  jitter.sort((a, b) => a - b);
  const at = (q) => (jitter.length === 0 ? 0 : jitter[Math.min(jitter.length - 1, Math.ceil(q * jitter.length) - 1)]);
  return { frames, p50: at(0.5), p99: at(0.99), maxInterval };
}

/** The columns of a media bench's table for the jitter at the send and at the server, and a row's cells (ms). */
export const JITTER_COLUMNS = ["send p50", "send p99", "send max interval", "server p50", "server p99", "server max interval"];
export function jitterCells(sent, server) {
  return [sent, server].flatMap((s) => [s.p50.toFixed(2), s.p99.toFixed(2), s.maxInterval.toFixed(1)]);
}

/** The pace target (bench/pace-target.mjs) in its own process: its port, `ask("reset" | "stats")`, and `stop()`. */
export async function startPaceTarget() {
  const target = fork(fileURLToPath(new URL("./pace-target.mjs", import.meta.url)), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const { port } = await new Promise((resolve) => target.once("message", resolve));
  const ask = (message) =>
    new Promise((resolve) => {
      target.once("message", resolve);
      target.send(message);
    });
  return { port, ask, stop: () => target.kill() };
}

/**
 * The send times a sender notes with bench/send-times.mjs: `args` to put before its script and
 * `env` to run it with; `reset()` before each run (never an earlier run's figures), `read()` after
 * it, `remove()` at the end.
 */
export async function sendTimes() {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-send-times-"));
  const file = path.join(dir, "send-times.json");
  return {
    args: ["--import", fileURLToPath(new URL("./send-times.mjs", import.meta.url))],
    env: { ...process.env, SEND_TIMES_OUT: file },
    reset: () => rm(file, { force: true }),
    read: async () => JSON.parse(await readFile(file, "utf8")),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
