#!/usr/bin/env node
// Validator benchmark: the package's validateStream (ahead-of-time ajv standalone code, from dist/)
// against a hand-written plain-JS check of the same rules, ajv compiled at run time from schemas/,
// zod 4 and TypeBox's TypeCompiler; then the start-up cost of each. Run `npm run build` first
// (`npm run bench` does). Knobs: BENCH_ROUNDS (throughput rounds, default 15),
// BENCH_STARTUP_ROUNDS (child processes per contender, default 21).
//
// Method: one process, every contender in its own loop function, interleaved rounds of ~40 ms
// (A B C D E F, repeat), the median CPU ns/op of the rounds. Before timing, every contender must give
// the same verdict on every input, so all of them check the same rules.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import AjvModule from "ajv/dist/2020.js";
import { z } from "zod";
import { FormatRegistry, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { fmt, PRINT_CPU, printTable, timeInterleaved, timeStartups } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const distEntry = path.join(root, "dist/index.js");
if (!fs.existsSync(distEntry)) {
  console.error("dist/index.js is missing: run `npm run build` first (or `npm run bench`).");
  process.exit(2);
}
const { addStreamFormats, formatRfc2822DateTime, isRfc2822DateTime, isStream, validateStream } = await import(
  pathToFileURL(distEntry).href
);
const readSchema = (file) => JSON.parse(fs.readFileSync(path.join(root, "schemas", file), "utf8"));
const commonSchema = readSchema("common.schema.json");
const streamSchema = readSchema("stream.schema.json");
const defs = commonSchema.$defs;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const STARTUP_ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 21);

// ---------------------------------------------------------------------------------------------
// Inputs: seeded, so every run checks the same objects.
let seed = 0x5eed;
const random = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const hex = (n) => Array.from({ length: n }, () => pick("0123456789abcdefABCDEF")).join("");
const sid = (prefix) => prefix + hex(32);

function validStream(k) {
  const accountSid = sid("AC");
  const callSid = sid("CA");
  const streamSid = sid("MZ");
  const date = new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 4e11));
  let dateUpdated = formatRfc2822DateTime(date);
  // Mostly Twilio's canonical form; every 8th a legal variant: no weekday, no seconds, a zone.
  if (k % 8 === 7) dateUpdated = dateUpdated.slice(5).replace(/:\d\d \+0000$/, " -0130");
  return {
    account_sid: accountSid,
    call_sid: callSid,
    sid: streamSid,
    name: k % 3 === 0 ? null : `stream-${k}`,
    status: k % 2 ? "stopped" : "in-progress",
    date_updated: k % 16 === 5 ? null : dateUpdated,
    uri: `/2010-04-01/Accounts/${accountSid}/Calls/${callSid}/Streams/${streamSid}.json`,
  };
}

// Each invalid object breaks one field, a different way in turn.
const breakers = [
  (s) => ({ ...s, sid: `CA${s.sid.slice(2)}` }), // wrong prefix
  (s) => ({ ...s, account_sid: s.account_sid.slice(0, 33) }), // one character short
  (s) => ({ ...s, call_sid: `ca${s.call_sid.slice(2)}` }), // lower-case prefix
  (s) => ({ ...s, sid: `${s.sid.slice(0, 33)}g` }), // not hex
  (s) => ({ ...s, status: "completed" }),
  ({ status: _missing, ...rest }) => rest, // missing
  (s) => ({ ...s, date_updated: "2015-07-30T20:00:00Z" }), // ISO 8601
  (s) => ({ ...s, date_updated: "Fri, 30 Jul 2015 20:00:00 +0000" }), // wrong weekday
  (s) => ({ ...s, date_updated: "Thu, 31 Feb 2015 20:00:00 +0000" }), // no such date
  (s) => ({ ...s, date_updated: 1438286400 }), // a number
  (s) => ({ ...s, name: 42 }),
  (s) => ({ ...s, uri: "/2010-04-02/Accounts" }),
];
const VALID = Array.from({ length: 64 }, (_, k) => validStream(k));
const INVALID = Array.from({ length: 64 }, (_, k) => breakers[k % breakers.length](validStream(k)));

// ---------------------------------------------------------------------------------------------
// (a) A hand-written check of the same rules, as one would write it without a schema: character
// loops for the SIDs, string compares for the enum, a single-pass RFC 2822 section 3.3 reader.
// It reports each broken field with its path, like the others.
function isHexDigit(c) {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
function isSid(value, first, second) {
  if (typeof value !== "string" || value.length !== 34) return false;
  if (value.charCodeAt(0) !== first || value.charCodeAt(1) !== second) return false;
  for (let i = 2; i < 34; i++) if (!isHexDigit(value.charCodeAt(i))) return false;
  return true;
}
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isDigit = (c) => c >= 48 && c <= 57;
const skipWsp = (s, i) => {
  while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9) i++;
  return i;
};
const twoDigits = (s, i) => {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  return isDigit(a) && isDigit(b) ? (a - 48) * 10 + b - 48 : -1;
};
// comment = "(" *(ctext / quoted-pair / comment) ")", nesting counted; -1 when malformed.
function skipComment(s, i) {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) {
      if (--depth === 0) return i + 1;
    } else if (c === 92) {
      const quoted = s.charCodeAt(++i);
      if (!(quoted >= 32 && quoted <= 126) && quoted !== 9) return -1;
    } else if (!(c >= 32 && c <= 126) && c !== 9) return -1;
  }
  return -1;
}
// [day-of-week ","] day month year hour ":" minute [":" second] zone [CFWS]
function isDate(s) {
  let i = skipWsp(s, 0);
  let weekday = -1;
  const first = s.charCodeAt(i) | 32;
  if (first >= 97 && first <= 122) {
    weekday = DAYS.indexOf(s.slice(i, i + 3).toLowerCase());
    if (weekday < 0 || s.charCodeAt(i + 3) !== 44) return false;
    i = skipWsp(s, i + 4);
  }
  if (!isDigit(s.charCodeAt(i))) return false;
  let day = s.charCodeAt(i++) - 48;
  if (isDigit(s.charCodeAt(i))) day = day * 10 + s.charCodeAt(i++) - 48;
  let next = skipWsp(s, i);
  if (next === i) return false;
  const month = MONTHS.indexOf(s.slice(next, next + 3).toLowerCase());
  if (month < 0) return false;
  i = skipWsp(s, next + 3);
  if (i === next + 3) return false;
  let year = 0;
  for (const end = i + 4; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return false;
    year = year * 10 + c - 48;
  }
  next = skipWsp(s, i);
  if (next === i) return false;
  const hour = twoDigits(s, next);
  const minute = twoDigits(s, next + 3);
  if (hour < 0 || s.charCodeAt(next + 2) !== 58 || minute < 0) return false;
  i = next + 5;
  let second = 0;
  if (s.charCodeAt(i) === 58) {
    second = twoDigits(s, i + 1);
    if (second < 0) return false;
    i += 3;
  }
  next = skipWsp(s, i);
  if (next === i) return false;
  const sign = s.charCodeAt(next);
  if ((sign !== 43 && sign !== 45) || twoDigits(s, next + 1) < 0) return false;
  const zoneMinutes = twoDigits(s, next + 3);
  if (zoneMinutes < 0 || zoneMinutes > 59) return false;
  for (i = next + 5; ; ) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) i++;
    else if (c === 40 && (i = skipComment(s, i)) > 0) continue;
    else break;
  }
  if (i !== s.length) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 1 && leap ? 29 : MONTH_DAYS[month];
  if (year < 1900 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60) return false;
  return weekday < 0 || new Date(Date.UTC(year, month, day)).getUTCDay() === weekday;
}
function handCheck(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [{ path: "", problem: "not an object" }];
  let errors = null;
  const report = (path, problem) => (errors ??= []).push({ path, problem });
  const { sid: streamSid, account_sid, call_sid, name, status, date_updated, uri } = value;
  if (streamSid !== null && !isSid(streamSid, 77, 90)) report("/sid", "not a Stream SID");
  if (account_sid !== null && !isSid(account_sid, 65, 67)) report("/account_sid", "not an Account SID");
  if (call_sid !== null && !isSid(call_sid, 67, 65)) report("/call_sid", "not a Call SID");
  if (name !== null && typeof name !== "string") report("/name", "not a string or null");
  if (status !== "in-progress" && status !== "stopped") report("/status", "not in-progress or stopped");
  if (date_updated !== null && !(typeof date_updated === "string" && isDate(date_updated))) report("/date_updated", "not an RFC 2822 date-time");
  if (uri !== null && !(typeof uri === "string" && uri.startsWith("/2010-04-01/"))) report("/uri", "not a /2010-04-01/ path");
  return errors;
}

// (b) ajv compiled at run time from schemas/, as a user would set it up.
const Ajv2020 = AjvModule.default;
function compileWithAjv() {
  const ajv = addStreamFormats(new Ajv2020({ allErrors: true, strictTypes: false }));
  ajv.addSchema(readSchema("common.schema.json"));
  return ajv.compile(readSchema("stream.schema.json"));
}
const ajvValidate = compileWithAjv();

// (c) zod 4 and (d) TypeBox, with the same rules taken from the schema, and the package's own
// date check, so that only the framework differs.
const regexOf = (def) => new RegExp(def.pattern);
const zodSid = (def) => z.string().min(def.minLength).max(def.maxLength).regex(regexOf(def)).nullable();
const zodStream = z.looseObject({
  sid: zodSid(defs.streamSid),
  account_sid: zodSid(defs.accountSid),
  call_sid: zodSid(defs.callSid),
  name: z.string().nullable(),
  status: z.enum(defs.streamStatus.enum),
  date_updated: z.string().refine((v) => isRfc2822DateTime(v)).nullable(),
  uri: z.string().regex(new RegExp(streamSchema.properties.uri.pattern)).nullable(),
});

FormatRegistry.Set("date-time-rfc-2822", (v) => isRfc2822DateTime(v));
const boxSid = (def) => Type.Union([Type.String({ minLength: def.minLength, maxLength: def.maxLength, pattern: def.pattern }), Type.Null()]);
const boxStream = TypeCompiler.Compile(
  Type.Object({
    sid: boxSid(defs.streamSid),
    account_sid: boxSid(defs.accountSid),
    call_sid: boxSid(defs.callSid),
    name: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union(defs.streamStatus.enum.map((v) => Type.Literal(v))),
    date_updated: Type.Union([Type.String({ format: "date-time-rfc-2822" }), Type.Null()]),
    uri: Type.Union([Type.String({ pattern: streamSchema.properties.uri.pattern }), Type.Null()]),
  }),
);

// Each contender returns truthy for a valid input; on an invalid one it builds its error report
// (TypeBox's Check only answers yes/no, so its errors are collected as a user would).
const contenders = {
  validateStream: (v) => validateStream(v).valid,
  isStream: (v) => isStream(v),
  "hand-written": (v) => handCheck(v) === null,
  "ajv (run-time compile)": (v) => ajvValidate(v),
  "zod 4": (v) => zodStream.safeParse(v).success,
  "TypeBox compiled": (v) => boxStream.Check(v) || (Array.from(boxStream.Errors(v)), false),
};

// Every contender must agree with every other on every input, or the comparison is void.
for (const [set, inputs, expected] of [
  ["valid", VALID, true],
  ["invalid", INVALID, false],
]) {
  inputs.forEach((input, k) => {
    for (const [name, fn] of Object.entries(contenders)) {
      if (Boolean(fn(input)) !== expected) throw new Error(`${name} disagrees on ${set} input #${k}: ${JSON.stringify(input)}`);
    }
  });
}
// The hand-written date check must be the same language as the package's.
const dateProbes = [
  ...VALID.map((s) => s.date_updated).filter(Boolean),
  "30 Jul 2015 20:00 +0000",
  "thu, 30 jul 2015 20:00:00 +0000 (UTC)",
  "Thu,30 Jul 2015 20:00:60 -2359",
  " Sat, 29 Feb 2020 00:00:00 +0100",
  "Sat, 29 Feb 2019 00:00:00 +0100",
  "Thu, 30 Jul 15 20:00:00 +0000",
  "Thu, 30 Jul 2015 20:00:00 GMT",
  "Thu, 30 Jul 2015 24:00:00 +0000",
  "Thu, 30 Jul 2015 20:00:00 +0060",
  "Thu, 30 Jul 02015 20:00:00 +0000",
  "Thu, 30 Jul 2015 20:00:00 +00000",
  "Thu, 30 Jul 2015 20:00:00 +0000 (unclosed",
  "Mon, 1 Jan 1900 00:00:00 +0000",
  "Sun, 31 Dec 1899 00:00:00 +0000",
];
for (const probe of dateProbes) {
  if (isDate(probe) !== isRfc2822DateTime(probe)) throw new Error(`hand-written date check disagrees on ${JSON.stringify(probe)}`);
}

// ---------------------------------------------------------------------------------------------
console.log(`validators bench — Node ${process.version}, ${ROUNDS} interleaved rounds, medians\n`);
const results = {};
for (const [set, inputs, expect] of [
  ["valid", VALID, VALID.length],
  ["invalid", INVALID, 0],
]) {
  results[set] = timeInterleaved(
    Object.entries(contenders).map(([name, fn]) => ({ name, fn, inputs, expect })),
    { rounds: ROUNDS },
  );
  const base = results[set].validateStream.nsPerOp;
  console.log(`${set} objects (${inputs.length} distinct${set === "invalid" ? ", each breaking one field" : ""}):`);
  printTable(
    ["contender", "ops/s", "ns/op", "× validateStream time"],
    Object.entries(results[set]).map(([name, r]) => [name, fmt(r.opsPerSec), fmt(r.nsPerOp, 1), fmt(r.nsPerOp / base, 2)]),
  );
  console.log();
}

// The date check alone, for scale.
const dates = VALID.map((s) => s.date_updated).filter(Boolean);
const dateTimes = timeInterleaved(
  [
    { name: "isRfc2822DateTime", fn: (v) => isRfc2822DateTime(v), inputs: dates, expect: dates.length },
    { name: "hand-written date", fn: isDate, inputs: dates, expect: dates.length },
  ],
  { rounds: ROUNDS },
);
console.log("the date check alone:");
printTable(
  ["contender", "ns/op"],
  Object.entries(dateTimes).map(([name, r]) => [name, fmt(r.nsPerOp, 1)]),
);
console.log();

// ---------------------------------------------------------------------------------------------
// Start-up: a child node process that imports, sets up and validates one object, then exits.
const example = JSON.stringify(streamSchema.examples[0]);
const entryUrl = pathToFileURL(distEntry).href;
const esm = (code) => ["--input-type=module", "-e", `${code}\n${PRINT_CPU}`];
const startups = timeStartups(
  {
    "bare node": ["-e", PRINT_CPU],
    "bare node, ESM": esm(""),
    "package (ESM), validate once": esm(
      `import { validateStream } from ${JSON.stringify(entryUrl)};\nif (!validateStream(${example}).valid) process.exit(3);`,
    ),
    "package (CJS), validate once": [
      "-e",
      `const { validateStream } = require(${JSON.stringify(path.join(root, "dist/index.cjs"))});\nif (!validateStream(${example}).valid) process.exit(3);\n${PRINT_CPU}`,
    ],
    "ajv compiled at run time": esm(
      `import fs from "node:fs"; import Ajv from "ajv/dist/2020.js"; import { addStreamFormats } from ${JSON.stringify(entryUrl)};\n` +
        `const read = (f) => JSON.parse(fs.readFileSync(${JSON.stringify(path.join(root, "schemas"))} + "/" + f, "utf8"));\n` +
        `const ajv = addStreamFormats(new Ajv.default({ allErrors: true, strictTypes: false })); ajv.addSchema(read("common.schema.json"));\n` +
        `if (!ajv.compile(read("stream.schema.json"))(${example})) process.exit(3);`,
    ),
  },
  { rounds: STARTUP_ROUNDS, cwd: root },
);
const bare = startups["bare node"];
console.log(`start-up (${STARTUP_ROUNDS} child processes each, interleaved; medians of wall time and of the child's CPU time):`);
printTable(
  ["contender", "wall ms", "CPU ms", "CPU ms over bare node"],
  Object.entries(startups).map(([name, r]) => [name, fmt(r.wallMs, 1), fmt(r.cpuMs, 1), fmt(r.cpuMs - bare.cpuMs, 1)]),
);
console.log();

// ---------------------------------------------------------------------------------------------
const valid = results.valid;
const rivals = ["ajv (run-time compile)", "zod 4", "TypeBox compiled"];
const goals = [
  [
    "validateStream at least as fast as the hand-written check (valid input)",
    valid.validateStream.nsPerOp <= valid["hand-written"].nsPerOp,
    `${fmt(valid.validateStream.nsPerOp, 1)} vs ${fmt(valid["hand-written"].nsPerOp, 1)} ns`,
  ],
  [
    "validateStream ahead of ajv, zod and TypeBox (valid input; under 5% counts as a tie, not a lead)",
    rivals.every((r) => valid[r].nsPerOp / valid.validateStream.nsPerOp >= 1.05),
    rivals.map((r) => `${r} ${fmt(valid[r].nsPerOp / valid.validateStream.nsPerOp, 2)}× its time`).join(", "),
  ],
  [
    "importing + validating once costs little over bare node (CPU time, ESM)",
    startups["package (ESM), validate once"].cpuMs - bare.cpuMs < 15,
    `+${fmt(startups["package (ESM), validate once"].cpuMs - bare.cpuMs, 1)} ms (ajv at run time +${fmt(startups["ajv compiled at run time"].cpuMs - bare.cpuMs, 1)} ms)`,
  ],
];
console.log("goals:");
for (const [goal, met, detail] of goals) console.log(`  ${met ? "met    " : "NOT met"}  ${goal}: ${detail}`);
