#!/usr/bin/env node
// Validator benchmark: the package's validateStream (compiled from schemas/ at build time, from dist/)
// against a hand-written plain-JS check of the same rules, ajv compiled at run time from schemas/,
// zod 4 and TypeBox's TypeCompiler; then the start-up cost of each. Run `npm run build` first
// (`npm run bench` does). Knobs: BENCH_ROUNDS (throughput rounds, default 60),
// BENCH_STARTUP_ROUNDS (child processes per contender, default 21; 0 skips the start-up part).
//
// Method (bench/harness.mjs): one process, every contender in its own loop function, interleaved
// rounds of ~10 ms each, in a new order each round, the median CPU ns/op of the rounds. Before
// timing, every contender must give the same verdict on every input, so all of them check the same
// rules.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import AjvModule from "ajv/dist/2020.js";
import { z } from "zod";
import { FormatRegistry, Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { handCheckStream, isRfc2822 } from "./hand-written-stream.mjs";
import { fmt, knob, PRINT_CPU, printTable, timeInterleaved, timeRatio, timeStartups } from "./harness.mjs";

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
const ROUNDS = knob("BENCH_ROUNDS", 60, 1);
const STARTUP_ROUNDS = knob("BENCH_STARTUP_ROUNDS", 21, 1);

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
// Every corpus goes through JSON.stringify / JSON.parse, as a client's `response.json()` gives it:
// flat strings. Strings built by concatenation are V8 cons strings, where each `charCodeAt` pays
// an indirection and a RegExp flattens them once; timing those would measure the harness.
const asReceived = (value) => JSON.parse(JSON.stringify(value));
const VALID = asReceived(Array.from({ length: 64 }, (_, k) => validStream(k)));
const INVALID = asReceived(Array.from({ length: 64 }, (_, k) => breakers[k % breakers.length](validStream(k))));
// A batch as a server's answers come: 4,096 distinct Streams, one in eight invalid, in random
// order (no branch predictor learns it, no cache holds it).
const BATCH = asReceived(
  Array.from({ length: 4096 }, (_, k) => (random() < 1 / 8 ? breakers[k % breakers.length](validStream(k)) : validStream(k))),
);
const BATCH_VALID = BATCH.filter((s) => handCheckStream(s) === null).length;

// ---------------------------------------------------------------------------------------------
// (a) The baseline: a careful hand-written check of the same rules (bench/hand-written-stream.mjs).

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
  date_updated: z
    .string()
    .refine((v) => isRfc2822DateTime(v))
    .nullable(),
  uri: z.string().regex(new RegExp(streamSchema.properties.uri.pattern)).nullable(),
});

FormatRegistry.Set("date-time-rfc-2822", (v) => isRfc2822DateTime(v));
const boxSid = (def) =>
  Type.Union([
    Type.String({
      minLength: def.minLength,
      maxLength: def.maxLength,
      pattern: def.pattern,
    }),
    Type.Null(),
  ]);
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
  "hand-written": (v) => handCheckStream(v) === null,
  "ajv (run-time compile)": (v) => ajvValidate(v),
  "zod 4": (v) => zodStream.safeParse(v).success,
  "TypeBox compiled": (v) => boxStream.Check(v) || (Array.from(boxStream.Errors(v)), false),
};

// Every contender must agree with every other on every input, or the comparison is void; and the
// baseline must find the same broken fields as validateStream.
const brokenPaths = (issues) => [...new Set((issues ?? []).map((i) => i.path))].sort().join(" ");
for (const [set, inputs] of [
  ["valid", VALID],
  ["invalid", INVALID],
  ["batch", BATCH],
]) {
  inputs.forEach((input, k) => {
    const result = validateStream(input);
    const expected = result.valid;
    if (set === "valid" && !expected) throw new Error(`valid input #${k} is not valid: ${JSON.stringify(result.issues)}`);
    if (set === "invalid" && expected) throw new Error(`invalid input #${k} is valid`);
    for (const [name, fn] of Object.entries(contenders)) {
      if (Boolean(fn(input)) !== expected) throw new Error(`${name} disagrees on ${set} input #${k}: ${JSON.stringify(input)}`);
    }
    if (brokenPaths(handCheckStream(input)) !== brokenPaths(result.issues))
      throw new Error(`hand-written check reports other fields on ${set} input #${k}`);
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
  if (isRfc2822(probe) !== isRfc2822DateTime(probe)) throw new Error(`hand-written date check disagrees on ${JSON.stringify(probe)}`);
}

// ---------------------------------------------------------------------------------------------
console.log(`validators bench — Node ${process.version}, ${ROUNDS} interleaved rounds, medians\n`);
const results = {};
for (const [set, inputs, expect] of [
  ["valid", VALID, VALID.length],
  ["invalid", INVALID, 0],
  ["batch", BATCH, BATCH_VALID],
]) {
  results[set] = timeInterleaved(
    Object.entries(contenders).map(([name, fn]) => ({
      name,
      fn,
      inputs,
      expect,
    })),
    { rounds: ROUNDS },
  );
  const base = results[set].validateStream;
  const what = {
    valid: "",
    invalid: ", each breaking one field",
    batch: `, ${inputs.length - expect} invalid, shuffled`,
  }[set];
  console.log(`${set} objects (${inputs.length} distinct${what}):`);
  printTable(
    ["contender", "ops/s", "ns/op", "× validateStream time"],
    Object.entries(results[set]).map(([name, r]) => [name, fmt(r.opsPerSec), fmt(r.nsPerOp, 1), fmt(timeRatio(r, base), 2)]),
  );
  console.log();
}

// The date check alone, for scale.
const dates = VALID.map((s) => s.date_updated).filter(Boolean);
const dateTimes = timeInterleaved(
  [
    {
      name: "isRfc2822DateTime",
      fn: (v) => isRfc2822DateTime(v),
      inputs: dates,
      expect: dates.length,
    },
    {
      name: "hand-written date",
      fn: isRfc2822,
      inputs: dates,
      expect: dates.length,
    },
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
const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
process.on("exit", () => fs.rmSync(emptyDir, { recursive: true, force: true }));
const emptyModule = path.join(emptyDir, "empty.mjs");
fs.writeFileSync(emptyModule, "");
const esm = (code) => ["--input-type=module", "-e", `${code}\n${PRINT_CPU}`];
const startups =
  STARTUP_ROUNDS === 0
    ? undefined
    : timeStartups(
        {
          "bare node": ["-e", PRINT_CPU],
          "bare node, ESM": esm(""),
          // What importing any ES module file costs (node's ESM loader), whatever is in it.
          "bare node, an empty ES module": esm(`import ${JSON.stringify(pathToFileURL(emptyModule).href)};`),
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
if (startups) {
  const bare = startups["bare node"];
  console.log(`start-up (${STARTUP_ROUNDS} child processes each, interleaved; medians of wall time and of the child's CPU time):`);
  printTable(
    ["contender", "wall ms", "CPU ms", "CPU ms over bare node"],
    Object.entries(startups).map(([name, r]) => [name, fmt(r.wallMs, 1), fmt(r.cpuMs, 1), fmt(r.cpuMs - bare.cpuMs, 1)]),
  );
  console.log();
}

// ---------------------------------------------------------------------------------------------
// Speed ratios: a contender's time over validateStream's, the median of the two's ratio within
// each round of this one run (above 1: validateStream is faster).
const speed = (set, rival) => timeRatio(results[set][rival], results[set].validateStream);
const rivals = ["hand-written", "TypeBox compiled", "ajv (run-time compile)", "zod 4"];
const sets = ["valid", "invalid", "batch"];
console.log("validateStream's speed against each (their time / its time, this run):");
printTable(
  ["set", ...rivals],
  sets.map((set) => [set, ...rivals.map((r) => `${fmt(speed(set, r), 2)}×`)]),
);
console.log();

const goals = [
  [
    "validateStream at least as fast as the hand-written check (valid, invalid, batch)",
    sets.every((set) => speed(set, "hand-written") >= 1),
    sets.map((set) => `${set} ${fmt(speed(set, "hand-written"), 2)}×`).join(", "),
  ],
  [
    "validateStream ahead of TypeBox, the fastest peer (valid, invalid, batch)",
    sets.every((set) => speed(set, "TypeBox compiled") > 1),
    sets.map((set) => `${set} ${fmt(speed(set, "TypeBox compiled"), 2)}×`).join(", "),
  ],
  [
    "validateStream ahead of ajv and zod (valid, invalid, batch)",
    sets.every((set) => speed(set, "ajv (run-time compile)") > 1 && speed(set, "zod 4") > 1),
    sets.map((set) => `${set} ${fmt(speed(set, "ajv (run-time compile)"), 2)}× / ${fmt(speed(set, "zod 4"), 2)}×`).join(", "),
  ],
];
if (startups) {
  const over = (name, base) => startups[name].cpuMs - startups[base].cpuMs;
  goals.push([
    "importing + validating once costs little over bare node (CPU time, ESM)",
    over("package (ESM), validate once", "bare node") < 15,
    `+${fmt(over("package (ESM), validate once", "bare node"), 1)} ms, of which node's ESM loader +${fmt(over("bare node, an empty ES module", "bare node"), 1)} (ajv at run time +${fmt(over("ajv compiled at run time", "bare node"), 1)} ms)`,
  ]);
}
console.log("goals:");
for (const [goal, met, detail] of goals) console.log(`  ${met ? "met    " : "NOT met"}  ${goal}: ${detail}`);
