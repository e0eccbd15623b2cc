#!/usr/bin/env node
// Build step: turns schemas/ into the code production imports, so that nothing is compiled at
// run time and no rule is written a second time by hand.
//   src/validators/generated/compiled.js    ajv standalone validators (ESM)
//   src/validators/generated/compiled.d.ts  their declarations
//   src/validators/generated/types.ts       TypeScript types of every schema
// The output is git-ignored and rebuilt by `npm run build` (which `npm ci` runs via `prepare`).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";
import { _ } from "ajv";
import { compile } from "json-schema-to-typescript";
import { createPatternCompiler } from "./compile-pattern.mjs";

const Ajv2020 = AjvModule.default;
const standaloneCode = standaloneModule.default;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const schemaDir = path.join(root, "schemas");
const outDir = path.join(root, "src/validators/generated");

const schemas = Object.fromEntries(
  fs
    .readdirSync(schemaDir)
    .filter((f) => f.endsWith(".schema.json"))
    .sort()
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(schemaDir, f), "utf8"))]),
);
const id = (file, pointer = "") => schemas[file].$id + pointer;

// export name → schema (or sub-schema) it checks
const entries = {
  checkStream: id("stream.schema.json"),
  checkCreateStreamRequest: id("create-stream-request.schema.json"),
  checkCreateStreamBody: id("create-stream-request.schema.json", "#/$defs/body"),
  checkUpdateStreamRequest: id("update-stream-request.schema.json"),
  checkUpdateStreamBody: id("update-stream-request.schema.json", "#/$defs/body"),
  checkTwilioError: id("twilio-error.schema.json"),
  checkAccountSid: id("common.schema.json", "#/$defs/accountSid"),
  checkCallSid: id("common.schema.json", "#/$defs/callSid"),
  checkStreamSid: id("common.schema.json", "#/$defs/streamSid"),
  checkApiKeySid: id("common.schema.json", "#/$defs/apiKeySid"),
  // Media Streams: one check per message; the validators dispatch on `event` themselves.
  ...Object.fromEntries(
    ["connected", "start", "media", "dtmf", "mark", "stop"].map((event) => [
      `checkTwilio${event[0].toUpperCase()}${event.slice(1)}Message`,
      id("twilio-media-message.schema.json", `#/$defs/${event}`),
    ]),
  ),
  ...Object.fromEntries(
    ["media", "mark", "clear"].map((event) => [
      `checkServer${event[0].toUpperCase()}${event.slice(1)}Message`,
      id("server-media-message.schema.json", `#/$defs/${event}`),
    ]),
  ),
  checkStreamStatusCallback: id("stream-status-callback.schema.json"),
};

// The implementations live in src/validators/formats/; here ajv only needs their names.
const formatNames = ["date-time-rfc-2822", "wss-url", "http-url", "mulaw-base64", "date-time-iso-8601"];

const ajv = new Ajv2020({
  strict: true,
  // Shared definitions in common.schema.json carry no `type`: each use site says string or null.
  strictTypes: false,
  allErrors: true,
  // Errors carry the value and the schema, so messages can name both (only on the failure path).
  verbose: true,
  // ajv's English messages are never read: issues are worded from the error's fields (issue.ts).
  messages: false,
  // Every length-limited string here is also fixed by an ASCII pattern, so counting UTF-16 units
  // is exact and avoids ajv's code-point counting, the largest cost of its generated code.
  unicode: false,
  logger: { log() {}, warn: (m) => String(m).includes("option unicode") || console.warn(m), error: console.error },
  code: { source: true, esm: true, lines: true, formats: _`formats` },
});
// Ajv2020 always tracks which properties and items each subschema evaluated, for
// `unevaluatedProperties` / `unevaluatedItems`; no schema here uses those, and the tracking was
// about a third of checkStream's time on valid input (bench/validators.bench.mjs). So it is
// switched off before compiling — and a schema that starts using those keywords stops the build.
const usesUnevaluated = (node) =>
  node !== null &&
  typeof node === "object" &&
  Object.entries(node).some(([key, value]) => key === "unevaluatedProperties" || key === "unevaluatedItems" || usesUnevaluated(value));
for (const [file, schema] of Object.entries(schemas)) {
  if (usesUnevaluated(schema))
    throw new Error(
      `${file} uses unevaluated*: remove \`ajv.opts.unevaluated = false\` from ${path.basename(fileURLToPath(import.meta.url))}`,
    );
}
ajv.opts.unevaluated = false;
// JSON Schema cannot say "ParameterN.Value needs ParameterN.Name" for every N at once, so the
// CreateStream body lists one dependentRequired line per N. The pattern of the names is the
// source: the build stops unless the lines are exactly one per N it allows, each the right pair.
{
  const body = schemas["create-stream-request.schema.json"].$defs.body;
  const [pattern, ...others] = Object.keys(body.patternProperties ?? {});
  if (pattern === undefined || others.length > 0)
    throw new Error("create-stream-request.schema.json: expected one patternProperties pattern, for ParameterN.Name / ParameterN.Value");
  const allowed = new RegExp(pattern);
  const expected = Object.fromEntries(
    Array.from({ length: 1000 }, (_, n) => n)
      .filter((n) => allowed.test(`Parameter${n}.Name`))
      .map((n) => [`Parameter${n}.Value`, [`Parameter${n}.Name`]]),
  );
  if (JSON.stringify(body.dependentRequired) !== JSON.stringify(expected)) {
    throw new Error(
      `create-stream-request.schema.json: dependentRequired must pair ParameterN.Value with ParameterN.Name for exactly the N its pattern ${pattern} allows (${Object.keys(expected).length} lines, in order)`,
    );
  }
}
for (const name of formatNames) ajv.addFormat(name, () => true);
// The compiled copy keeps what checks and messages use (rules, `title`), not the annotations for
// readers: 15% less code to load. A subschema is an object, so a property named `description`
// or `examples` is kept.
function withoutAnnotations(node) {
  if (Array.isArray(node)) return node.map(withoutAnnotations);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(
        ([key, value]) =>
          !(((key === "description" || key === "$comment") && typeof value === "string") || (key === "examples" && Array.isArray(value))),
      )
      .map(([key, value]) => [key, withoutAnnotations(value)]),
  );
}
for (const schema of Object.values(schemas)) ajv.addSchema(withoutAnnotations(schema));

const banner = "// Generated by scripts/generate-validators.mjs from schemas/. Do not edit.\n";
const compiledPatterns = [];
const patterns = createPatternCompiler();
const code = standaloneCode(ajv, entries)
  .replace('"use strict";', "")
  .replace(/new RegExp\(("(?:[^"\\]|\\.)*"), "u"\)/g, (regExp, literal) => {
    const source = JSON.parse(literal);
    const matcher = patterns.compile(source);
    if (matcher === undefined) return regExp;
    compiledPatterns.push(`  ${literal}: ${matcher},`);
    return `compiledPatterns[${literal}]`;
  });
// The compiled patterns, by the pattern they were derived from (a property test checks each
// against its RegExp).
const patternTable = `${patterns.declarations()}\nexport const compiledPatterns = {\n${compiledPatterns.join("\n")}\n};\n`;
// esbuild, bundling, turns every top-level `const` of a module into a `var` (its FAQ, "top-level
// var"). V8 must then read such a binding again at every use — the character tables in the
// pattern loops, the patterns, the formats — where a `const` is known never to change. Inside a
// function the generated code's `const`s stay const: checkStream 12–16% faster on valid input
// alone, 6–13% in bench/validators.bench.mjs (docs/performance.md).
function insideFunction(moduleCode) {
  const exported = [];
  const body = moduleCode.replace(/^export const (\w+) =/gm, (_, name) => {
    exported.push(name);
    return `const ${name} =`;
  });
  if (/^export /m.test(body)) throw new Error("insideFunction: the standalone code exports something other than `export const`");
  return `function compiledValidators() {\n${body}\nreturn { ${exported.join(", ")} };\n}\nexport const { ${exported.join(", ")} } = compiledValidators();\n`;
}
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(
  path.join(outDir, "compiled.js"),
  `${banner}/* eslint-disable */\nimport { formats } from "../formats/index.js";\n${insideFunction(patternTable + code)}`,
);
fs.writeFileSync(
  path.join(outDir, "compiled.d.ts"),
  banner +
    `import type { CompiledCheck } from "../issue.js";\n` +
    Object.keys(entries)
      .map((name) => `export declare const ${name}: CompiledCheck;\n`)
      .join("") +
    "/** The patterns compiled to character loops, by their source. */\n" +
    "export declare const compiledPatterns: Readonly<Record<string, { test(text: string): boolean }>>;\n",
);

// Types: json-schema-to-typescript resolves $ref over the network by $id, so inline the
// shared definitions first (a use site's own keywords win over the definition's). This is the
// build's own walk, not src/contract/schema-documents.ts: it runs before TypeScript is compiled,
// and it also decides which definitions keep their names as types.
function inline(node, file) {
  if (Array.isArray(node)) return node.map((n) => inline(n, file));
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== "$ref" && key !== "examples") out[key] = inline(value, file);
  }
  if (typeof node.$ref === "string") {
    const [target, pointer] = node.$ref.split("#");
    const key = `${target || file}#${pointer}`;
    let resolved = inlined.get(key);
    if (resolved === undefined) {
      const doc = target ? schemas[target] : schemas[file];
      const def = pointer
        .split("/")
        .slice(1)
        .reduce((n, k) => n[k], doc);
      resolved = inline(def, target || file);
      // Shared rules and string rules become plain strings to TypeScript, but for the enums,
      // which keep their names; objects keep theirs.
      if ((target || resolved.type !== "object") && !resolved.enum) delete resolved.title;
      inlined.set(key, resolved);
    }
    // The same object for each use of a definition: declared once, not once per use (`Name1`, `Name2`).
    return Object.keys(out).length === 0 ? resolved : { ...resolved, ...out };
  }
  return out;
}
const inlined = new Map();

let types = banner;
for (const file of [
  "stream.schema.json",
  "create-stream-request.schema.json",
  "update-stream-request.schema.json",
  "twilio-error.schema.json",
  "stream-status-callback.schema.json",
  "twilio-media-message.schema.json",
  "server-media-message.schema.json",
]) {
  const schema = inline(schemas[file], file);
  delete schema.$defs;
  const ts = await compile(schema, schema.title, {
    bannerComment: "",
    additionalProperties: false,
    declareExternallyReferenced: true,
    format: true,
    strictIndexSignatures: true,
    unknownAny: true,
  });
  types += `\n${ts}`;
}
// The patternProperties of ParameterN.Name / ParameterN.Value, as a template-literal index signature.
types = types.replace("[k: string]: string;", "[parameter: `Parameter${number}.Name` | `Parameter${number}.Value`]: string;");
// Enums appear in several schemas; keep the first declaration of each name.
const seen = new Set();
types = types.replace(/export type (\w+) =[^;]*;\n/g, (decl, name) => (seen.has(name) ? "" : (seen.add(name), decl)));
fs.writeFileSync(path.join(outDir, "types.ts"), types);
console.error(`generated ${Object.keys(entries).length} validators and the types of ${Object.keys(schemas).length} schemas`);
