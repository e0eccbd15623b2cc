#!/usr/bin/env node
// Status-callback benchmark: how many signed status callbacks per second the contract mock sends,
// against a bare sender (node:http with keep-alive, the same number of form POSTs, no signing, no
// mock) to the same receiver in the same run. Mock: N Streams created with a StatusCallback and
// stopped (2 callbacks each), timed from the first create until every callback was answered; the
// creates and stops are part of the cost. Every callback must be answered 204, and the receiver
// must have seen 2N. Interleaved rounds (bare, mock, repeat), medians of wall time.
// Bounded: BENCH_CB_ROUNDS rounds (default 3) of BENCH_CB_STREAMS Streams (default 1000).
// Run `npm run build` first.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, knob, median, printTable } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const mockEntry = path.join(root, "dist/mock/index.js");
if (!fs.existsSync(mockEntry)) {
  console.error("dist/ is missing: run `npm run build` first (or `npm run bench`).");
  process.exit(2);
}
const { startMockServer } = await import(pathToFileURL(mockEntry).href);
const ROUNDS = knob("BENCH_CB_ROUNDS", 3, 1);
const STREAMS = knob("BENCH_CB_STREAMS", 1000, 10);
const ACCOUNT = `AC${"a".repeat(32)}`;
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:bench-token`).toString("base64")}`;

let received = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received++;
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const statusUrl = `http://127.0.0.1:${receiver.address().port}/status`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

function post(url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** In batches of 32 at a time. */
async function inBatches(count, fn) {
  for (let i = 0; i < count; i += 32) await Promise.all(Array.from({ length: Math.min(32, count - i) }, (_, k) => fn(i + k)));
}

async function mockRound() {
  const mock = await startMockServer({ seed: 1 });
  received = 0;
  const started = performance.now();
  await inBatches(STREAMS, async (i) => {
    const call = `CA${i.toString(16).padStart(32, "0")}`;
    const created = await post(
      `${mock.baseUrl}/2010-04-01/Accounts/${ACCOUNT}/Calls/${call}/Streams.json`,
      `Url=wss%3A%2F%2Fexample.com%2Fmedia&StatusCallback=${encodeURIComponent(statusUrl)}`,
      { Authorization: AUTH },
    );
    // 200 (Twilio's OpenAPI document, the mock's default) or 201 (createStatus: 201).
    if (created.status !== 200 && created.status !== 201) throw new Error(`create answered ${created.status}`);
    const { sid } = JSON.parse(created.text);
    const stopped = await post(`${mock.baseUrl}/2010-04-01/Accounts/${ACCOUNT}/Calls/${call}/Streams/${sid}.json`, "Status=stopped", {
      Authorization: AUTH,
    });
    if (stopped.status !== 200) throw new Error(`stop answered ${stopped.status}`);
  });
  await mock.drainCallbacks();
  const ms = performance.now() - started;
  const delivered = mock.callbacks().filter((c) => c.outcome === "delivered" || c.outcome === "slow").length;
  await mock.close();
  if (delivered !== 2 * STREAMS || received !== 2 * STREAMS)
    throw new Error(`expected ${2 * STREAMS} callbacks, delivered ${delivered}, received ${received}`);
  return (2 * STREAMS * 1000) / ms;
}

async function bareRound() {
  received = 0;
  const body = `AccountSid=${ACCOUNT}&CallSid=CA${"b".repeat(32)}&StreamSid=MZ${"c".repeat(32)}&StreamName=MZ${"c".repeat(32)}&StreamEvent=stream-started&Timestamp=2026-01-01T00%3A00%3A00.000Z`;
  const started = performance.now();
  await inBatches(2 * STREAMS, async () => {
    const answer = await post(statusUrl, body);
    if (answer.status !== 204) throw new Error(`receiver answered ${answer.status}`);
  });
  const ms = performance.now() - started;
  if (received !== 2 * STREAMS) throw new Error(`receiver saw ${received}`);
  return (2 * STREAMS * 1000) / ms;
}

const bare = [];
const mock = [];
await bareRound(); // warm-up
await mockRound();
for (let round = 0; round < ROUNDS; round++) {
  bare.push(await bareRound());
  mock.push(await mockRound());
}
agent.destroy();
receiver.close();
const bareRate = median(bare);
const mockRate = median(mock);
console.log(`status callbacks: ${ROUNDS} rounds, ${STREAMS} Streams (${2 * STREAMS} callbacks) per round, medians of wall time`);
printTable(
  ["sender", "callbacks/s", "vs bare"],
  [
    ["bare node:http POSTs (no mock, no signing)", fmt(bareRate), "1.00×"],
    ["contract mock (create + stop + 2 signed callbacks each)", fmt(mockRate), `${(mockRate / bareRate).toFixed(2)}×`],
  ],
);
