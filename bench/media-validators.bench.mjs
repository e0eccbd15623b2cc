#!/usr/bin/env node
// Media Streams validator benchmark: the package's validateMediaMessage (the check compiled from
// the schema's oneOf, picked by `event`, from dist/) against a hand-written plain-JS check of the
// same rules, on the messages of a live socket: mostly 20 ms `media` frames (160 bytes of μ-law,
// 216 base64 characters), some dtmf / mark / start / stop, and what a server sends back. Run
// `npm run build` first. Knob: BENCH_ROUNDS (interleaved rounds, default 60).
//
// Method (bench/harness.mjs): one process, each contender in its own loop, interleaved rounds of
// ~10 ms each, in a new order each round, the median CPU ns/op. Before timing, both contenders must
// agree on every input, valid and invalid, so they check the same rules. Goal: ≥ 1,000,000 valid
// messages/s.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, knob, printTable, timeInterleaved, timeRatio } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distEntry = path.join(root, "dist/index.js");
if (!fs.existsSync(distEntry)) {
  console.error("dist/index.js is missing: run `npm run build` first.");
  process.exit(2);
}
const { validateMediaMessage } = await import(pathToFileURL(distEntry).href);
const ROUNDS = knob("BENCH_ROUNDS", 60, 1);

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

// A socket's messages come from JSON.parse: flat strings, objects of one shape per kind of message.
// (Built in place, the SIDs would be `MZ${hex}` concatenations, which every character read pays
// for: a 34-character SID read twice as slowly, by either contender.)
const asReceived = (messages) => messages.map((m) => JSON.parse(JSON.stringify(m)));
for (const list of [fromTwilio, fromServer, invalidTwilio, invalidServer]) list.splice(0, list.length, ...asReceived(list));

// ---------------------------------------------------------------------------------------------
// The hand-written check: the same rules, written directly, each the fastest way measured here
// (Node 20; the figures are in docs/performance.md): short decimal strings by a character loop,
// SIDs by their length and a RegExp of one class repeated, the payload's characters by one class
// repeated to the end and its padding by indexOf, the file headers by their first character
// first. Nothing is allocated.
const isObject = (v) => typeof v === "object" && v !== null && !Array.isArray(v);
const MZ = /^MZ[0-9a-fA-F]*$/;
const AC = /^AC[0-9a-fA-F]*$/;
const CA = /^CA[0-9a-fA-F]*$/;
const isSid = (re, v) => typeof v === "string" && v.length === 34 && re.test(v);
/** A decimal string of 1 to 15 digits; `zero`: "0" too. No leading zero. */
const isCounter = (v, zero) => {
  if (typeof v !== "string") return false;
  const n = v.length;
  if (n === 0 || n > 15) return false;
  const first = v.charCodeAt(0);
  if (first === 48) return zero && n === 1;
  if (first < 49 || first > 57) return false;
  for (let i = 1; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
};
const isDigit = (v) => {
  if (typeof v !== "string" || v.length !== 1) return false;
  const c = v.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 68) || c === 42 || c === 35;
};
const BASE64_CHARACTERS = /^[A-Za-z0-9+/=]*$/;
const HEADERS = ["RIFF", "RIFX", "FORM", ".snd", "OggS", "fLaC"].map((magic) =>
  Buffer.from(magic, "latin1").toString("base64").slice(0, 5),
);
const HEADER_FIRST = new Uint8Array(128);
for (const h of HEADERS) HEADER_FIRST[h.charCodeAt(0)] = 1;
const isPayload = (v) => {
  if (typeof v !== "string") return false;
  const n = v.length;
  if (n === 0 || (n & 3) !== 0 || !BASE64_CHARACTERS.test(v)) return false;
  const pad = v.indexOf("=");
  if (!(pad < 0 || pad === n - 1 || (pad === n - 2 && v.charCodeAt(n - 1) === 61))) return false;
  if (n < 8 || HEADER_FIRST[v.charCodeAt(0)] !== 1) return true;
  for (let k = 0; k < HEADERS.length; k++) if (v.startsWith(HEADERS[k])) return false;
  return true;
};
function handTwilio(m) {
  if (!isObject(m)) return false;
  switch (m.event) {
    case "connected":
      return typeof m.protocol === "string" && typeof m.version === "string";
    case "start": {
      const s = m.start;
      if (!(isCounter(m.sequenceNumber, false) && isSid(MZ, m.streamSid) && isObject(s))) return false;
      const f = s.mediaFormat;
      const t = s.tracks;
      if (!(
        isSid(MZ, s.streamSid) &&
        isSid(AC, s.accountSid) &&
        isSid(CA, s.callSid) &&
        Array.isArray(t) &&
        t.length >= 1 &&
        t.length <= 2 &&
        (t[0] === "inbound" || t[0] === "outbound") &&
        (t.length < 2 || ((t[1] === "inbound" || t[1] === "outbound") && t[0] !== t[1])) &&
        isObject(s.customParameters) &&
        isObject(f) &&
        f.encoding === "audio/x-mulaw" &&
        f.sampleRate === 8000 &&
        f.channels === 1
      ))
        return false;
      for (const k in s.customParameters) if (typeof s.customParameters[k] !== "string") return false;
      return true;
    }
    case "media": {
      const d = m.media;
      return (
        isCounter(m.sequenceNumber, false) &&
        isSid(MZ, m.streamSid) &&
        isObject(d) &&
        (d.track === "inbound" || d.track === "outbound") &&
        isCounter(d.chunk, false) &&
        isCounter(d.timestamp, true) &&
        isPayload(d.payload)
      );
    }
    case "dtmf":
      return (
        isCounter(m.sequenceNumber, false) &&
        isSid(MZ, m.streamSid) &&
        isObject(m.dtmf) &&
        m.dtmf.track === "inbound_track" &&
        isDigit(m.dtmf.digit)
      );
    case "mark":
      return isCounter(m.sequenceNumber, false) && isSid(MZ, m.streamSid) && isObject(m.mark) && typeof m.mark.name === "string";
    case "stop":
      return (
        isCounter(m.sequenceNumber, false) &&
        isSid(MZ, m.streamSid) &&
        isObject(m.stop) &&
        isSid(AC, m.stop.accountSid) &&
        isSid(CA, m.stop.callSid)
      );
    default:
      return false;
  }
}
/** Whether `o` has no own enumerable key but `a`, `b` and `c` (a message's keys, from JSON). */
const onlyKeys = (o, a, b, c) => {
  for (const k in o) if (k !== a && k !== b && k !== c) return false;
  return true;
};
function handServer(m) {
  if (!isObject(m) || !isSid(MZ, m.streamSid)) return false;
  switch (m.event) {
    case "media": {
      const d = m.media;
      return onlyKeys(m, "event", "streamSid", "media") && isObject(d) && onlyKeys(d, "payload") && isPayload(d.payload);
    }
    case "mark": {
      const k = m.mark;
      return onlyKeys(m, "event", "streamSid", "mark") && isObject(k) && onlyKeys(k, "name") && typeof k.name === "string";
    }
    case "clear":
      return onlyKeys(m, "event", "streamSid");
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
  const base = results["hand-written"];
  console.log(`${set} messages from ${direction === "twilio" ? "Twilio" : "a server"} (${inputs.length} distinct):`);
  printTable(
    ["contender", "messages/s", "ns/op", "× hand-written time"],
    Object.entries(results).map(([name, r]) => [name, fmt(r.opsPerSec), fmt(r.nsPerOp, 1), fmt(timeRatio(r, base), 2)]),
  );
  console.log();
  if (set === "valid") {
    const r = results.validateMediaMessage;
    goals.push([
      `≥ 1,000,000 valid ${direction} messages/s`,
      r.opsPerSec >= 1e6,
      `${fmt(r.opsPerSec)}/s, ${fmt(timeRatio(r, base), 2)}× the hand-written check's time`,
    ]);
  }
}
console.log("goals:");
for (const [goal, met, detail] of goals) console.log(`  ${met ? "met    " : "NOT met"}  ${goal}: ${detail}`);
