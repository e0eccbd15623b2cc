#!/usr/bin/env node
// Real-time calls benchmark: how evenly `stream-contract check-media-server` paces the caller's
// frames when it plays many calls at once from one process: the jitter of the intervals between
// one call's frames (|interval − 20 ms|), p50 and p99, and the longest interval, measured twice —
// at the send, in the sender (bench/send-times.mjs: when each frame is handed to its socket), and
// at the server (bench/pace-target.mjs, its own process, which also accepts the calls' upgrades
// and closes while it times the frames). Against the limit: a bare `ws` sender loop
// (bench/bare-sender.mjs) pacing as many sockets from one process with the calls' life — two
// rounds, opened ten a tick, as many frames each as a call sent — and nothing else.
// check-media-server runs as the CLI (dist/cli/main.js, `--only calls --calls N`: two rounds of N
// calls at once on a unidirectional Stream); run `npm run build` first.
// Each size runs REPEATS times (default 2), the two senders one after the other each time: on a
// shared machine, compare a run's figures with the bare loop's of the same repeat.
// Knobs: CALLS_AT_ONCE="50,200,500" (BENCH_SMOKE=1: 5), REPEATS.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { builtCli, knob, median, printTable, SMOKE } from "./harness.mjs";
import { JITTER_COLUMNS, jitterCells, sendTimes, startPaceTarget } from "./jitter.mjs";

const CALLS = (process.env.CALLS_AT_ONCE ?? (SMOKE ? "5" : "50,200,500")).split(",").map(Number);
const cli = builtCli();
const TOKEN = "bench-token";
const REPEATS = knob("REPEATS", 2, 1);
const dir = await mkdtemp(path.join(tmpdir(), "bench-calls-"));
const times = await sendTimes();
/** Runs `node …args` with the send-times hook (and `env`), failing with `what` and its output; resolves with its send-time stats. */
async function sender(args, env, what) {
  await times.reset();
  await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...times.args, ...args],
      { env: { ...times.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${what} failed:\n${(stdout + stderr).slice(-4000)}`)) : resolve()),
    ),
  );
  return times.read();
}

const { port, ask, stop } = await startPaceTarget();

/** A call's frames in the last `calls` run (the bare loop's sockets live as long). */
let framesPerCall = 0;

/** Two rounds of `n` calls at once, as a user runs them; fails unless the silent server passed. */
async function calls(n) {
  const report = path.join(dir, "report.json");
  const args = [cli, "check-media-server", "--url", `ws://127.0.0.1:${port}/media`, "--only", "calls", "--calls", String(n)];
  args.push("--timeout", "30000", "--report", `json:${report}`);
  const sent = await sender(args, { TWILIO_AUTH_TOKEN: TOKEN }, "check-media-server");
  const { calls: played } = JSON.parse(await readFile(report, "utf8"));
  if (played.length !== 2 * n) throw new Error(`expected ${2 * n} calls, the report has ${played.length}`);
  framesPerCall = Math.round(sent.frames / (2 * n));
  return sent;
}

function bare(n) {
  return sender([path.resolve("bench/bare-sender.mjs"), String(port), String(n), String(framesPerCall), "1", "2"], {}, "the bare loop");
}

const rows = [];
/** Per size, each run's p99 at the send over the bare loop's of the same run. */
const ratios = {};
try {
  for (const n of CALLS)
    for (let repeat = 1; repeat <= REPEATS; repeat++) {
      const p99 = {};
      for (const [name, run] of [
        ["check-media-server calls", calls],
        ["bare ws sender loop", bare],
      ]) {
        await ask("reset");
        const sent = await run(n);
        const s = await ask("stats");
        if (s.streams < n || s.frames === 0 || sent.frames === 0)
          throw new Error(`${name}: the server saw ${s.streams} streams, ${s.frames} frames`);
        p99[name] = sent.p99;
        rows.push([n, repeat, name, s.streams, s.frames, ...jitterCells(sent, s)]);
      }
      (ratios[n] ??= []).push(p99["check-media-server calls"] / p99["bare ws sender loop"]);
    }
} finally {
  stop();
  await rm(dir, { recursive: true, force: true });
  await times.remove();
}
console.log(
  `Frame-send jitter (|interval − 20 ms| between one call's frames), ms, at the send and at the server${SMOKE ? " (smoke: figures mean nothing)" : ""}\n`,
);
printTable(["calls at once", "run", "sender", "streams", "frames", ...JITTER_COLUMNS], rows);
console.log("\np99 at the send over the bare loop's of the same run:");
for (const [n, list] of Object.entries(ratios))
  console.log(`  ${n} calls: ${list.map((r) => `${r.toFixed(2)}×`).join(", ")} (median ${median(list).toFixed(2)}×)`);
