#!/usr/bin/env node
// Real-time calls benchmark: how evenly `stream-contract check-media-server` paces the caller's
// frames when it plays many calls at once from one process, measured where it matters — at the
// server (bench/pace-target.mjs, its own process): the jitter of the intervals between one call's
// frames (|interval − 20 ms|), p50 and p99, and the longest interval. Against the limit: a bare
// `ws` sender loop (bench/bare-sender.mjs) pacing as many sockets from one process, nothing else.
// check-media-server runs as the CLI (dist/cli/main.js, `--only calls --calls N`: two rounds of N
// calls at once on a unidirectional Stream); run `npm run build` first.
// Each size runs REPEATS times (default 2), the two senders one after the other each time: on a
// shared machine, compare a run's figures with the bare loop's of the same repeat.
// Knobs: CALLS_AT_ONCE="50,200,500" (BENCH_SMOKE=1: 5), REPEATS.
import { execFile, fork } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { builtCli, knob, SMOKE } from "./harness.mjs";

const CALLS = (process.env.CALLS_AT_ONCE ?? (SMOKE ? "5" : "50,200,500")).split(",").map(Number);
const cli = builtCli();
const TOKEN = "bench-token";
/** How long the bare loop sends: about one round of calls (their speech and silence). */
const BARE_MS = SMOKE ? 1000 : 3500;
const REPEATS = knob("REPEATS", 2, 1);

const target = fork(path.resolve("bench/pace-target.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const { port } = await new Promise((resolve) => target.once("message", resolve));
const ask = (message) =>
  new Promise((resolve) => {
    target.once("message", resolve);
    target.send(message);
  });

/** Two rounds of `n` calls at once, as a user runs them; fails unless the silent server passed. */
async function calls(n) {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-calls-"));
  const report = path.join(dir, "report.json");
  const args = [cli, "check-media-server", "--url", `ws://127.0.0.1:${port}/media`, "--only", "calls", "--calls", String(n)];
  args.push("--timeout", "30000", "--report", `json:${report}`);
  await new Promise((resolve, reject) =>
    execFile(process.execPath, args, { env: { ...process.env, TWILIO_AUTH_TOKEN: TOKEN }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(new Error(`check-media-server failed:\n${stdout.slice(-4000)}`)) : resolve(),
    ),
  );
  const { calls: played } = JSON.parse(await readFile(report, "utf8"));
  if (played.length !== 2 * n) throw new Error(`expected ${2 * n} calls, the report has ${played.length}`);
}

function bare(n) {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [path.resolve("bench/bare-sender.mjs"), String(port), String(n), String(BARE_MS)], (error) =>
      error ? reject(error) : resolve(),
    ),
  );
}

const rows = [];
try {
  for (const n of CALLS)
    for (let repeat = 1; repeat <= REPEATS; repeat++)
      for (const [name, run] of [
        ["check-media-server calls", calls],
        ["bare ws sender loop", bare],
      ]) {
        await ask("reset");
        await run(n);
        const s = await ask("stats");
        if (s.streams < n || s.frames === 0) throw new Error(`${name}: the server saw ${s.streams} streams, ${s.frames} frames`);
        rows.push({ n, repeat, name, ...s });
      }
} finally {
  target.kill();
}
const f = (v) => v.toFixed(2).padStart(8);
console.log("Frame-send jitter at the server (|interval − 20 ms| between one stream's frames), 2-core VM shared with other work\n");
console.log("calls at once | run | sender                    | streams |  frames | p50 (ms) | p99 (ms) | max interval (ms)");
console.log("------------- | --- | ------------------------- | ------- | ------- | -------- | -------- | -----------------");
for (const r of rows)
  console.log(
    `${String(r.n).padStart(13)} | ${String(r.repeat).padStart(3)} | ${r.name.padEnd(25)} | ${String(r.streams).padStart(7)} | ${String(r.frames).padStart(7)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.maxInterval).padStart(17)}`,
  );
