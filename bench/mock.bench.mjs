#!/usr/bin/env node
// Mock benchmark: validated CreateStream requests per second through the contract mock, against a
// bare node:http server that answers every request with a fixed Stream body, over loopback.
// Each server runs in its own child process; the load generator (bench/http-load.mjs) runs here,
// keep-alive connections, interleaved rounds (bare, mock, repeat), medians. Every answer must be
// 2xx, a sample of the bodies must be schema-valid Streams, and the mock must record no violation.
// Bounded: BENCH_MOCK_ROUNDS rounds (default 5) of BENCH_MOCK_MS ms (default 1500) per server,
// BENCH_MOCK_CONNECTIONS sockets (default 32). Run `npm run build` first.
import { fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL, URLSearchParams } from "node:url";
import { fmt, knob, median, printTable, SMOKE } from "./harness.mjs";
import { rawRequest, runLoad } from "./http-load.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const distEntry = path.join(root, "dist/index.js");
if (!fs.existsSync(distEntry)) {
  console.error("dist/ is missing: run `npm run build` first (or `npm run bench`).");
  process.exit(2);
}
const { validateStream } = await import(pathToFileURL(distEntry).href);
const ROUNDS = knob("BENCH_MOCK_ROUNDS", 5, 1);
const DURATION_MS = knob("BENCH_MOCK_MS", 1500, 100);
const CONNECTIONS = knob("BENCH_MOCK_CONNECTIONS", 32, 4);

/** Starts `node bench/http-target.mjs kind`; resolves with its port and a way to read its CPU time ({ user, system } µs). */
function startTarget(kind) {
  const child = fork(path.join(here, "http-target.mjs"), [kind], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the ${kind} server exited (${code}) before listening`)));
    child.once("message", ({ port }) => {
      const cpuUsage = () =>
        new Promise((done) => {
          child.once("message", done);
          child.send("cpu");
        });
      resolve({ kind, port, cpuUsage, stop: () => child.disconnect() });
    });
  });
}

/** GET or POST a mock control endpoint; resolves with the parsed JSON. */
function control(port, method, endpoint) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: endpoint, timeout: 10_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve(JSON.parse(text)));
    });
    req.on("timeout", () => req.destroy(new Error(`${endpoint}: no answer`)));
    req.on("error", reject);
    req.end();
  });
}

// Valid CreateStream requests, as a Twilio client sends them: 64 calls of 64 accounts.
let seed = 42;
const hex = () => {
  let out = "";
  for (let i = 0; i < 32; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += "0123456789abcdef"[seed & 15];
  }
  return out;
};
const requests = Array.from({ length: 64 }, (_, k) => {
  const accountSid = `AC${hex()}`;
  const callSid = `CA${hex()}`;
  const body = new URLSearchParams({
    Url: "wss://example.com/media",
    Track: "both_tracks",
    StatusCallback: "https://example.com/status",
    StatusCallbackMethod: "POST",
    "Parameter1.Name": "customer",
    "Parameter1.Value": String(k),
  }).toString();
  return rawRequest(
    "POST",
    `/2010-04-01/Accounts/${accountSid}/Calls/${callSid}/Streams.json`,
    {
      Authorization: `Basic ${Buffer.from(`${accountSid}:not-a-real-token`).toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
    },
    body,
  );
});
const checkBody = (text) => {
  const result = validateStream(JSON.parse(text));
  return result.valid ? undefined : result.issues.map((e) => e.message).join("; ");
};

const targets = [await startTarget("bare"), await startTarget("mock")];
const samples = Object.fromEntries(
  targets.map((t) => [t.kind, { perSecond: [], userPerRequest: [], systemPerRequest: [], clientCpu: [] }]),
);
try {
  console.log(
    `mock bench — Node ${process.version}, ${CONNECTIONS} keep-alive connections, ${ROUNDS} interleaved rounds of ${DURATION_MS} ms\n`,
  );
  for (const target of targets)
    await runLoad({
      port: target.port,
      requests,
      connections: CONNECTIONS,
      durationMs: SMOKE ? 50 : 300,
      okStatuses: [200, 201],
      checkBody,
    }); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of targets) {
      if (target.kind === "mock") await control(target.port, "POST", "/__contract/reset");
      const before = await target.cpuUsage();
      const run = await runLoad({
        port: target.port,
        requests,
        connections: CONNECTIONS,
        durationMs: DURATION_MS,
        okStatuses: [200, 201],
        checkBody,
      });
      const after = await target.cpuUsage();
      samples[target.kind].perSecond.push(run.perSecond);
      samples[target.kind].userPerRequest.push((after.user - before.user) / run.count);
      samples[target.kind].systemPerRequest.push((after.system - before.system) / run.count);
      samples[target.kind].clientCpu.push(run.clientCpuShare);
      if (target.kind === "mock") {
        const { count } = await control(target.port, "GET", "/__contract/violations");
        if (count !== 0) throw new Error(`the mock recorded ${count} violations for valid requests`);
      }
    }
  }
} finally {
  for (const target of targets) target.stop();
}

const result = Object.fromEntries(
  Object.entries(samples).map(([kind, s]) => [
    kind,
    { perSecond: median(s.perSecond), user: median(s.userPerRequest), system: median(s.systemPerRequest), clientCpu: median(s.clientCpu) },
  ]),
);
// Server CPU per request, split: user time is the server's own work (JS, HTTP parsing); system
// time is mostly the loopback socket writes, which on a VM also pay for waking the client up.
printTable(
  ["server", "requests/s", "server user µs/req", "server system µs/req", "load generator CPU"],
  Object.entries(result).map(([kind, r]) => [
    kind === "bare" ? "bare node:http, fixed body" : "contract mock, validated",
    fmt(r.perSecond),
    fmt(r.user, 1),
    fmt(r.system, 1),
    `${fmt(r.clientCpu * 100)}%`,
  ]),
);
const ratio = result.mock.perSecond / result.bare.perSecond;
const cpuRatio = (result.mock.user + result.mock.system) / (result.bare.user + result.bare.system);
console.log(
  `\nmock / bare throughput: ${fmt(ratio, 2)}× (server CPU per request: ${fmt(cpuRatio, 2)}× the bare server's; user time alone ${fmt(result.mock.user / result.bare.user, 2)}×)`,
);
console.log(`goal: ${ratio >= 0.5 ? "met    " : "NOT met"}  mock ≥ 0.5× the bare server`);
