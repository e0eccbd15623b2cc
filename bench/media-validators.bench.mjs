#!/usr/bin/env node
// Media Streams validator benchmark: the package's validateMediaMessage (ajv standalone code
// picked by `event`, from dist/) against a hand-written plain-JS check of the same rules, on the
// messages of a live socket: mostly 20 ms `media` frames (160 bytes of μ-law, 216 base64
// characters), some dtmf / mark / start / stop, and what a server sends back. Run `npm run build`
// first. Knob: BENCH_ROUNDS (interleaved rounds, default 15).
//
// Method (bench/harness.mjs): one process, each contender in its own loop, interleaved rounds of
// ~40 ms, the median CPU ns/op. Before timing, both contenders must agree on every input, valid
// and invalid, so they check the same rules. Goal: ≥ 1,000,000 valid messages/s.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, printTable, timeInterleaved } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distEntry = path.join(root, "dist/index.js");
if (!fs.existsSync(distEntry)) {
  console.error("dist/index.js is missing: run `npm run build` first.");
  process.exit(2);
}
const { validateMediaMessage } = await import(pathToFileURL(distEntry).href);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

// ---------------------------------------------------------------------------------------------
// Inputs, seeded.
let seed = 0x3ed1a;
const random = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(random() * 16)]).join("");
const frame = (n = 160) => {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = Math.floor(random() * 256);
  // Not an audio file header by chance.
  if (
    bytes
      .subarray(0, 4)
      .toString("latin1")
      .match(/^(RIFF|RIFX|FORM|\.snd|OggS|fLaC)$/)
  )
    bytes[0] = 0xff;
  return bytes.toString("base64");
};

const streamSid = `MZ${hex(32)}`;
const accountSid = `AC${hex(32)}`;
const callSid = `CA${hex(32)}`;
const fromTwilio = [];
const fromServer = [];
let sequence = 1;
fromTwilio.push({
  event: "start",
  sequenceNumber: "1",
  streamSid,
  start: {
    streamSid,
    accountSid,
    callSid,
    tracks: ["inbound", "outbound"],
    customParameters: { caller: "Jane" },
    mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
  },
});
for (let chunk = 1; chunk <= 200; chunk++) {
  const track = chunk % 2 ? "inbound" : "outbound";
  fromTwilio.push({
    event: "media",
    sequenceNumber: String(++sequence),
    streamSid,
    media: { track, chunk: String(chunk), timestamp: String(20 * (chunk >> 1)), payload: frame() },
  });
  if (chunk % 50 === 0)
    fromTwilio.push({
      event: "dtmf",
      streamSid,
      sequenceNumber: String(++sequence),
      dtmf: { track: "inbound_track", digit: String(chunk % 10) },
    });
  if (chunk % 40 === 0) fromTwilio.push({ event: "mark", sequenceNumber: String(++sequence), streamSid, mark: { name: `mark-${chunk}` } });
}
fromTwilio.push({ event: "stop", sequenceNumber: String(++sequence), streamSid, stop: { accountSid, callSid } });
for (let k = 0; k < 100; k++) {
  fromServer.push(
    k % 10 === 9 ? { event: "mark", streamSid, mark: { name: `m${k}` } } : { event: "media", streamSid, media: { payload: frame() } },
  );
}
fromServer.push({ event: "clear", streamSid });

const wav = Buffer.concat([Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1"), Buffer.alloc(148, 0xff)]).toString("base64");
const breakers = [
  (m) => ({ ...m, sequenceNumber: Number(m.sequenceNumber) }),
  (m) => ({ ...m, streamSid: m.streamSid.toLowerCase() }),
  (m) => ({ ...m, media: { ...m.media, track: "inbound_track" } }),
  (m) => ({ ...m, media: { ...m.media, chunk: `0${m.media.chunk}` } }),
  (m) => ({ ...m, media: { ...m.media, payload: wav } }),
  (m) => ({ ...m, media: { ...m.media, payload: m.media.payload.slice(1) } }),
  ({ media: _missing, ...rest }) => rest,
  (m) => ({ ...m, event: "Media" }),
];
const invalidTwilio = fromTwilio
  .filter((m) => m.event === "media")
  .slice(0, 80)
  .map((m, k) => breakers[k % breakers.length](m));
const invalidServer = fromServer
  .filter((m) => m.event === "media")
  .slice(0, 40)
  .map((m, k) =>
    [
      (x) => ({ ...x, sequenceNumber: "1" }),
      (x) => ({ ...x, media: { payload: wav } }),
      (x) => ({ ...x, media: { ...x.media, track: "outbound" } }),
      (x) => ({ ...x, streamSid: "MZ1" }),
    ][k % 4](m),
  );

// ---------------------------------------------------------------------------------------------
// The hand-written check: the same rules, written directly.
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const SID = { AC: /^AC[0-9a-fA-F]{32}$/, CA: /^CA[0-9a-fA-F]{32}$/, MZ: /^MZ[0-9a-fA-F]{32}$/ };
const COUNTER = /^[1-9]\d{0,14}$/;
const TIMESTAMP = /^(?:0|[1-9]\d{0,14})$/;
const DIGIT = /^[0-9A-D*#]$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEADERS = ["RIFF", "RIFX", "FORM", ".snd", "OggS", "fLaC"].map((magic) =>
  Buffer.from(magic, "latin1").toString("base64").slice(0, 5),
);
const isPayload = (v) =>
  typeof v === "string" &&
  v.length > 0 &&
  v.length % 4 === 0 &&
  BASE64.test(v) &&
  !/=[^=]/.test(v) &&
  !HEADERS.some((h) => v.startsWith(h));
const isSid = (prefix, v) => typeof v === "string" && SID[prefix].test(v);
const onlyKeys = (o, keys) => {
  for (const k in o) if (!keys.includes(k)) return false;
  return true;
};
function handTwilio(m) {
  if (!isObject(m)) return false;
  switch (m.event) {
    case "connected":
      return typeof m.protocol === "string" && typeof m.version === "string";
    case "start": {
      const s = m.start;
      if (!(typeof m.sequenceNumber === "string" && COUNTER.test(m.sequenceNumber) && isSid("MZ", m.streamSid) && isObject(s)))
        return false;
      const f = s.mediaFormat;
      const t = s.tracks;
      return (
        isSid("MZ", s.streamSid) &&
        isSid("AC", s.accountSid) &&
        isSid("CA", s.callSid) &&
        Array.isArray(t) &&
        t.length >= 1 &&
        t.length <= 2 &&
        t.every((x) => x === "inbound" || x === "outbound") &&
        (t.length < 2 || t[0] !== t[1]) &&
        isObject(s.customParameters) &&
        Object.values(s.customParameters).every((v) => typeof v === "string") &&
        isObject(f) &&
        f.encoding === "audio/x-mulaw" &&
        f.sampleRate === 8000 &&
        f.channels === 1
      );
    }
    case "media": {
      const d = m.media;
      return (
        typeof m.sequenceNumber === "string" &&
        COUNTER.test(m.sequenceNumber) &&
        isSid("MZ", m.streamSid) &&
        isObject(d) &&
        (d.track === "inbound" || d.track === "outbound") &&
        typeof d.chunk === "string" &&
        COUNTER.test(d.chunk) &&
        typeof d.timestamp === "string" &&
        TIMESTAMP.test(d.timestamp) &&
        isPayload(d.payload)
      );
    }
    case "dtmf":
      return (
        typeof m.sequenceNumber === "string" &&
        COUNTER.test(m.sequenceNumber) &&
        isSid("MZ", m.streamSid) &&
        isObject(m.dtmf) &&
        m.dtmf.track === "inbound_track" &&
        typeof m.dtmf.digit === "string" &&
        DIGIT.test(m.dtmf.digit)
      );
    case "mark":
      return (
        typeof m.sequenceNumber === "string" &&
        COUNTER.test(m.sequenceNumber) &&
        isSid("MZ", m.streamSid) &&
        isObject(m.mark) &&
        typeof m.mark.name === "string"
      );
    case "stop":
      return (
        typeof m.sequenceNumber === "string" &&
        COUNTER.test(m.sequenceNumber) &&
        isSid("MZ", m.streamSid) &&
        isObject(m.stop) &&
        isSid("AC", m.stop.accountSid) &&
        isSid("CA", m.stop.callSid)
      );
    default:
      return false;
  }
}
function handServer(m) {
  if (!isObject(m) || !isSid("MZ", m.streamSid)) return false;
  switch (m.event) {
    case "media":
      return (
        onlyKeys(m, ["event", "streamSid", "media"]) && isObject(m.media) && onlyKeys(m.media, ["payload"]) && isPayload(m.media.payload)
      );
    case "mark":
      return (
        onlyKeys(m, ["event", "streamSid", "mark"]) && isObject(m.mark) && onlyKeys(m.mark, ["name"]) && typeof m.mark.name === "string"
      );
    case "clear":
      return onlyKeys(m, ["event", "streamSid"]);
    default:
      return false;
  }
}

const SERVER = { from: "server" };
const contenders = {
  twilio: { validateMediaMessage: (m) => validateMediaMessage(m).valid, "hand-written": handTwilio },
  server: { validateMediaMessage: (m) => validateMediaMessage(m, SERVER).valid, "hand-written": handServer },
};

// Agreement first: same verdict on every input.
for (const [direction, valid, invalid] of [
  ["twilio", fromTwilio, invalidTwilio],
  ["server", fromServer, invalidServer],
]) {
  for (const [name, fn] of Object.entries(contenders[direction])) {
    valid.forEach((m, k) => {
      if (!fn(m)) throw new Error(`${name} rejects valid ${direction} message #${k}: ${JSON.stringify(m).slice(0, 200)}`);
    });
    invalid.forEach((m, k) => {
      if (fn(m)) throw new Error(`${name} accepts invalid ${direction} message #${k}: ${JSON.stringify(m).slice(0, 200)}`);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// CPU time still grows when other processes share the cores (caches, hyper-threads): the load
// average says how much, and the ratio to the hand-written check is what stays comparable.
const load = os.loadavg()[0];
console.log(
  `media validators bench — Node ${process.version}, ${ROUNDS} interleaved rounds, medians; load average ${load.toFixed(1)} on ${os.cpus().length} cores\n`,
);
const goals = [];
for (const [direction, set, inputs, expect] of [
  ["twilio", "valid", fromTwilio, fromTwilio.length],
  ["twilio", "invalid", invalidTwilio, 0],
  ["server", "valid", fromServer, fromServer.length],
  ["server", "invalid", invalidServer, 0],
]) {
  const results = timeInterleaved(
    Object.entries(contenders[direction]).map(([name, fn]) => ({ name, fn, inputs, expect })),
    { rounds: ROUNDS },
  );
  const base = results["hand-written"].nsPerOp;
  console.log(`${set} messages from ${direction === "twilio" ? "Twilio" : "a server"} (${inputs.length} distinct):`);
  printTable(
    ["contender", "messages/s", "ns/op", "× hand-written time"],
    Object.entries(results).map(([name, r]) => [name, fmt(r.opsPerSec), fmt(r.nsPerOp, 1), fmt(r.nsPerOp / base, 2)]),
  );
  console.log();
  if (set === "valid") {
    const r = results.validateMediaMessage;
    goals.push([
      `≥ 1,000,000 valid ${direction} messages/s`,
      r.opsPerSec >= 1e6,
      `${fmt(r.opsPerSec)}/s, ${fmt(r.nsPerOp / base, 2)}× the hand-written check's time`,
    ]);
  }
}
console.log("goals:");
for (const [goal, met, detail] of goals) console.log(`  ${met ? "met    " : "NOT met"}  ${goal}: ${detail}`);
