#!/usr/bin/env node
// check-media-server benchmark: Media Streams sessions per second that `stream-contract
// check-media-server` plays against a correct server on loopback (bench/media-target.mjs, its own
// process), unidirectional and bidirectional, against a bare `ws` client that plays sessions of
// the same size (connect with the same signed upgrade, connected, start, 10 media frames, stop,
// close) and checks nothing: the floor of what a session over a socket costs here.
// check-media-server runs as the CLI (dist/cli/main.js) and reports its sessions and duration in
// its JSON report; its run must be CONFORMANT. Interleaved rounds, medians. BENCH_MEDIA_ROUNDS
// (default 3), BENCH_MEDIA_RUNS sessions per check (default 40). Run `npm run build` first.
import { execFile, fork } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { builtCli, knob, median } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = builtCli();
const ROUNDS = knob("BENCH_MEDIA_ROUNDS", 3, 1);
const RUNS = knob("BENCH_MEDIA_RUNS", 40, 2);
const BARE_SESSIONS = knob("BENCH_MEDIA_BARE_SESSIONS", 200, 5);
const TOKEN = "bench-token";

function startTarget(kind) {
  const child = fork(path.join(here, "media-target.mjs"), [kind, TOKEN], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", ({ port }) => resolve({ port, stop: () => child.disconnect() }));
  });
}

/** check-media-server as a user runs it; sessions per second from its own JSON report. */
async function checkMediaServer(port, bidirectional) {
  const dir = await mkdtemp(path.join(tmpdir(), "bench-media-"));
  const report = path.join(dir, "report.json");
  const args = [
    cli,
    "check-media-server",
    "--url",
    `ws://127.0.0.1:${port}/media`,
    "--runs",
    String(RUNS),
    "--expect-signature-check",
    "--report",
    `json:${report}`,
    "--seed",
    "1",
    "--calls",
    "0", // sessions per second: the real-time calls take the time they take
  ];
  if (bidirectional) args.push("--bidirectional", "--expect-barge-in");
  await new Promise((resolve, reject) =>
    execFile(process.execPath, args, { env: { ...process.env, TWILIO_AUTH_TOKEN: TOKEN } }, (error, stdout) =>
      error ? reject(new Error(`check-media-server failed:\n${stdout}`)) : resolve(),
    ),
  );
  const { sessions, durationMs, outcomes } = JSON.parse(await readFile(report, "utf8"));
  await rm(dir, { recursive: true, force: true });
  // Skipped is not failed: a unidirectional server sends nothing, so the checks of what it sends see nothing.
  if (outcomes.some((o) => o.status === "failed")) throw new Error("the correct server did not pass");
  return { sessions, perSecond: sessions / (durationMs / 1000) };
}

/** The floor: a bare ws client, same upgrade, 10 media frames a session, no checks. */
async function bareSessions(port, count) {
  const url = `wss://127.0.0.1:${port}/media`;
  const signature = createHmac("sha1", TOKEN).update(url).digest("base64");
  const payload = Buffer.alloc(160, 0xff).toString("base64");
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/media`, {
      headers: { "X-Twilio-Signature": signature },
      perMessageDeflate: false,
    });
    await new Promise((resolve, reject) => (socket.once("open", resolve), socket.once("error", reject)));
    const streamSid = "MZ" + "0".repeat(32);
    const send = (m) => new Promise((resolve) => socket.send(JSON.stringify(m), resolve));
    await send({ event: "connected", protocol: "Call", version: "1.0.0" });
    await send({ event: "start", sequenceNumber: "1", streamSid, start: { streamSid, tracks: ["inbound"] } });
    for (let n = 0; n < 10; n++)
      await send({
        event: "media",
        sequenceNumber: String(n + 2),
        streamSid,
        media: { track: "inbound", chunk: String(n + 1), timestamp: String(n * 20), payload },
      });
    await send({ event: "stop", sequenceNumber: "12", streamSid });
    socket.close(1000);
    await new Promise((resolve) => socket.once("close", resolve));
  }
  return count / ((performance.now() - started) / 1000);
}

const results = { "unidirectional check": [], "bidirectional check": [], "bare ws client": [] };
let sessionsPerRun = {};
const uni = await startTarget("unidirectional");
const bi = await startTarget("bidirectional");
try {
  for (let round = 0; round < ROUNDS; round++) {
    const u = await checkMediaServer(uni.port, false);
    const b = await checkMediaServer(bi.port, true);
    results["unidirectional check"].push(u.perSecond);
    results["bidirectional check"].push(b.perSecond);
    results["bare ws client"].push(await bareSessions(bi.port, BARE_SESSIONS));
    sessionsPerRun = { unidirectional: u.sessions, bidirectional: b.sessions };
  }
} finally {
  uni.stop();
  bi.stop();
}
const bare = median(results["bare ws client"]);
console.log(
  `check-media-server: ${RUNS} sessions per check (${sessionsPerRun.unidirectional} unidirectional, ${sessionsPerRun.bidirectional} bidirectional sessions and upgrades a run), ${ROUNDS} rounds, medians\n`,
);
console.log("| player                                   | sessions/s | × bare client |");
console.log("| ---------------------------------------- | ---------: | ------------: |");
for (const [name, values] of Object.entries(results)) {
  const perSecond = median(values);
  console.log(`| ${name.padEnd(40)} | ${perSecond.toFixed(0).padStart(10)} | ${(perSecond / bare).toFixed(2).padStart(13)} |`);
}
