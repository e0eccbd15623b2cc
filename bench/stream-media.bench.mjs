#!/usr/bin/env node
// The mock's real-time Streams benchmark: how evenly `stream-contract mock --stream-media` paces
// the media of many Streams at once, measured as bench/calls.bench.mjs measures the calls — at the
// send (bench/send-times.mjs) and at the server (bench/pace-target.mjs, its own process): the
// jitter of the intervals between one track's frames on one Stream (|interval − 20 ms|), p50 and
// p99, and the longest interval.
// The mock runs as the CLI (`mock --stream-media`, dist/cli/main.js); STREAMS Streams with
// Track=both_tracks are created at once (one call each), stream for STREAM_MS, and their calls are
// ended at once (POST /__contract/end-call each: the end-call burst); "end burst" is the time
// from the first end-call to the last socket closed. Against the limit: a bare `ws` sender loop
// (bench/bare-sender.mjs) pacing as many sockets, both tracks, from one process, opened ten a
// tick as the mock dials its Streams, for STREAM_MS each. Interleaved repeats (REPEATS). Run
// `npm run build` first.
import { execFile, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, URLSearchParams } from "node:url";
import { builtCli, knob, printTable, SMOKE } from "./harness.mjs";
import { JITTER_COLUMNS, jitterCells, sendTimes, startPaceTarget } from "./jitter.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = builtCli();
const STREAMS = knob("STREAMS", 200, 5);
const STREAM_MS = knob("STREAM_MS", 3000, 500);
const REPEATS = knob("REPEATS", 2, 1);
const TOKEN = "bench-token-0001";
const times = await sendTimes();
const { port, ask, stop } = await startPaceTarget();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls the target until `done(stats)`, at most `ms`. */
async function until(done, ms, what) {
  const deadline = performance.now() + ms;
  for (;;) {
    const stats = await ask("stats");
    if (done(stats)) return stats;
    if (performance.now() > deadline) throw new Error(`${what}: the server saw ${JSON.stringify(stats)}`);
    await sleep(20);
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
function request(base, method, endpoint, headers = {}, body = "") {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${endpoint}`, { method, headers, agent, timeout: 30_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    });
    req.on("timeout", () => req.destroy(new Error(`${endpoint}: no answer`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** Lower-case hex SIDs, as Twilio issues them. */
const sid = (prefix, n) => prefix + n.toString(16).padStart(32, "0");
const ACCOUNT = sid("AC", 0xac);

/** The mock CLI; resolves with its base URL and how to stop it (its exit code). */
function startMock() {
  const child = spawn(process.execPath, [...times.args, cli, "mock", "--port", "0", "--quiet", "--stream-media", "--plain-ws-loopback"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: times.env,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the mock exited (${code}) before listening:\n${stderr}`)));
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
      if (base !== undefined) resolve({ base, exited, output: () => `${stdout}\n${stderr}` });
    });
  });
}

/** STREAMS Streams through the mock, both tracks, then their calls ended at once. */
async function mock() {
  const { base, exited, output } = await startMock();
  const authorization = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64")}`;
  const calls = Array.from({ length: STREAMS }, (_, i) => sid("CA", i + 1));
  const created = await Promise.all(
    calls.map((call) =>
      request(
        base,
        "POST",
        `/2010-04-01/Accounts/${ACCOUNT}/Calls/${call}/Streams.json`,
        { authorization, "content-type": "application/x-www-form-urlencoded" },
        new URLSearchParams({ Url: `wss://127.0.0.1:${port}/media`, Track: "both_tracks" }).toString(),
      ),
    ),
  );
  const refused = created.find((r) => r.status !== 200 && r.status !== 201);
  if (refused !== undefined) throw new Error(`a CreateStream was refused: ${refused.status} ${refused.text}`);
  await until((s) => s.streams >= STREAMS, 30_000, "the Streams were not all dialled");
  await sleep(STREAM_MS);
  const burst = performance.now();
  await Promise.all(
    calls.map((callSid) =>
      request(
        base,
        "POST",
        "/__contract/end-call",
        { "content-type": "application/json" },
        JSON.stringify({ accountSid: ACCOUNT, callSid }),
      ),
    ),
  );
  await until((s) => s.open === 0, 30_000, "the Streams were not all closed");
  const endBurstMs = performance.now() - burst;
  const { text } = await request(base, "GET", "/__contract/media");
  const sessions = JSON.parse(text).sessions;
  const bad = sessions.filter((s) => s.state !== "stopped" || s.violations.length > 0 || s.mediaSent === 0);
  if (sessions.length !== STREAMS || bad.length > 0)
    throw new Error(`${sessions.length} sessions, not all stopped cleanly: ${JSON.stringify(bad.slice(0, 3))}`);
  await request(base, "POST", "/__contract/stop");
  const code = await exited;
  if (code !== 0) throw new Error(`the mock exited ${code}:\n${output().slice(-4000)}`);
  return { endBurstMs };
}

/** The same number of bare sockets, both tracks, for about as long (it closes them as it ends: no burst to time). */
async function bare() {
  await new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [...times.args, path.join(here, "bare-sender.mjs"), String(port), String(STREAMS), String(Math.round(STREAM_MS / 20)), "2"],
      { env: times.env },
      (error) => (error ? reject(error) : resolve()),
    ),
  );
  await until((s) => s.open === 0, 30_000, "the bare sockets were not all closed");
  return {};
}

const rows = [];
try {
  for (let repeat = 1; repeat <= REPEATS; repeat++) {
    for (const [name, run] of [
      ["mock --stream-media", mock],
      ["bare ws sender loop", bare],
    ]) {
      await ask("reset");
      await times.reset();
      const { endBurstMs } = await run();
      const s = await ask("stats");
      const sent = await times.read();
      if (s.streams < STREAMS || s.frames === 0 || sent.frames === 0)
        throw new Error(`${name}: the server saw ${s.streams} streams, ${s.frames} frames`);
      rows.push([String(repeat), name, s.streams, s.frames, ...jitterCells(sent, s), endBurstMs?.toFixed(0) ?? "–"]);
    }
  }
} finally {
  stop();
  agent.destroy();
  await times.remove();
}
console.log(
  `Media pacing of ${STREAMS} Streams at once, both tracks, ${STREAM_MS} ms, then their calls ended at once; jitter (|interval − 20 ms| between one track's frames), ms, at the send and at the server${SMOKE ? " (smoke: figures mean nothing)" : ""}\n`,
);
printTable(["run", "sender", "streams", "frames", ...JITTER_COLUMNS, "end burst"], rows);
