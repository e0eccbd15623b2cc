/**
 * The validators that scripts/compile-schema.mjs writes from schemas/ say what ajv says: ajv 8
 * (draft 2020-12, all errors) compiled from the same schemas here, with the same formats, is the
 * reference. For every compiled entry, on valid samples, on those samples with one place changed
 * (a value replaced by anything, a field deleted, an unknown field added) and on anything at all:
 * the same verdict, the same broken places, and the check asked to stop at the first broken rule
 * gives the same verdict.
 *
 * A union (the Media Streams messages, a `oneOf` told apart by `event`) reports the places of the
 * branch its `event` names, or one issue at `event`.
 *
 * Where the compiled issues differ from ajv's errors, on purpose: a length error beside a failed
 * pattern at the same place is left out (the pattern says it all), and an array longer than its
 * maxItems gets that issue alone (its items are not checked one by one, nor for duplicates).
 */
import fs from "node:fs";
import path from "node:path";
import { fc, test } from "@fast-check/vitest";
import AjvModule from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv";
import { describe, expect } from "vitest";
import {
  createStreamRequest,
  serverStreamMessage,
  stream,
  streamStatusCallback,
  twilioStreamMessage,
  updateStreamRequest,
} from "../../src/arbitraries/index.js";
import * as compiled from "../../src/validators/generated/compiled.js";
import { addStreamFormats } from "../../src/validators/formats/index.js";
import { type CompiledCheck, STOPPED } from "../../src/validators/issue.js";

const dir = path.join(import.meta.dirname, "../../schemas");
const schemas = Object.fromEntries(
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".schema.json"))
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { $id: string } & Record<string, unknown>]),
);
const Ajv2020 = AjvModule.default;
const ajv = addStreamFormats(new Ajv2020({ allErrors: true, strictTypes: false }));
for (const schema of Object.values(schemas)) ajv.addSchema(schema);

/** The value at a JSON Pointer of a schema (its examples are where the samples start). */
function at(file: string, pointer: string): { examples?: unknown[] } {
  return pointer
    .split("/")
    .slice(1)
    .reduce((node: Record<string, unknown>, key) => node[key] as Record<string, unknown>, schemas[file]!) as { examples?: unknown[] };
}

/** The entries of a direction's messages: each branch of its schema's `oneOf` (`#/$defs/<event>`), e.g. TwilioMediaMessage. */
function messageEntries(side: string, file: string, arbitrary: fc.Arbitrary<{ event: string }>) {
  return Object.fromEntries(
    (schemas[file]!.oneOf as { $ref: string }[]).map(({ $ref }) => {
      const pointer = $ref.slice($ref.indexOf("#") + 1);
      const event = pointer.slice("/$defs/".length);
      const valid = arbitrary.filter((m) => m.event === event);
      return [`${side}${event[0]!.toUpperCase()}${event.slice(1)}Message`, { file, pointer, valid }];
    }),
  );
}

/** Each compiled entry: its schema, and valid samples of it. */
const ENTRIES: Record<string, { file: string; pointer?: string; valid: fc.Arbitrary<unknown> }> = {
  Stream: { file: "stream.schema.json", valid: stream() },
  CreateStreamRequest: { file: "create-stream-request.schema.json", valid: createStreamRequest() },
  CreateStreamBody: { file: "create-stream-request.schema.json", pointer: "/$defs/body", valid: createStreamRequest().map((r) => r.body) },
  UpdateStreamRequest: { file: "update-stream-request.schema.json", valid: updateStreamRequest() },
  UpdateStreamBody: { file: "update-stream-request.schema.json", pointer: "/$defs/body", valid: updateStreamRequest().map((r) => r.body) },
  TwilioError: { file: "twilio-error.schema.json", valid: fc.constantFrom(...at("twilio-error.schema.json", "").examples!) },
  StreamStatusCallback: { file: "stream-status-callback.schema.json", valid: streamStatusCallback() },
  AccountSid: { file: "common.schema.json", pointer: "/$defs/accountSid", valid: stream().map((s) => s.account_sid) },
  CallSid: { file: "common.schema.json", pointer: "/$defs/callSid", valid: stream().map((s) => s.call_sid) },
  StreamSid: { file: "common.schema.json", pointer: "/$defs/streamSid", valid: stream().map((s) => s.sid) },
  ApiKeySid: {
    file: "common.schema.json",
    pointer: "/$defs/apiKeySid",
    valid: fc.constantFrom(...at("common.schema.json", "/$defs/apiKeySid").examples!),
  },
  ...messageEntries("Twilio", "twilio-media-message.schema.json", twilioStreamMessage()),
  ...messageEntries("Server", "server-media-message.schema.json", serverStreamMessage()),
  TwilioStreamMessage: { file: "twilio-media-message.schema.json", valid: twilioStreamMessage() },
  ServerStreamMessage: { file: "server-media-message.schema.json", valid: serverStreamMessage() },
};

/**
 * The places a union (a `oneOf` told apart by `event`) reports: those of the branch its `event`
 * names, as ajv finds them with that branch alone; else one, at `event` or at the value.
 * (ajv's own errors for a `oneOf` list every branch's.)
 */
function unionPlaces(file: string, pointer: string, input: unknown): string[] | undefined {
  if (pointer !== "") return undefined;
  const branches = (schemas[file]!.oneOf as { $ref: string }[] | undefined)?.map(({ $ref }) => $ref.slice($ref.indexOf("#")));
  if (branches === undefined) return undefined;
  if (input === null || typeof input !== "object" || Array.isArray(input)) return [" type"];
  const event = (input as { event?: unknown }).event;
  const branch = branches.find(
    (pointer) => (at(file, pointer.slice(1)) as { properties: { event: { const: string } } }).properties.event.const === event,
  );
  if (branch === undefined) return [event === undefined ? "/event required" : "/event enum"];
  const reference = ajv.getSchema(`${schemas[file]!.$id}${branch}`)!;
  reference(input);
  return ajvPlaces(reference.errors ?? []);
}

/** Every path of a JSON value, as lists of keys. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  const here = [prefix];
  if (value === null || typeof value !== "object") return here;
  return [...here, ...Object.entries(value).flatMap(([key, inner]) => pathsOf(inner, [...prefix, key]))];
}

/** `value` with one place changed: replaced by anything, deleted, or given an unknown field. */
function changedAtOnePlace(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const change = fc.oneof(
    fc.record({ kind: fc.constant("replace" as const), by: fc.anything({ maxDepth: 2 }) }),
    fc.record({ kind: fc.constant("string" as const), by: fc.string({ maxLength: 40 }) }),
    fc.record({ kind: fc.constant("delete" as const) }),
    fc.record({ kind: fc.constant("add" as const), key: fc.string({ maxLength: 12 }), by: fc.anything({ maxDepth: 1 }) }),
  );
  return fc.tuple(valid, fc.nat(), change).map(([value, pick, how]) => {
    const copy = structuredClone(value) as unknown;
    const paths = pathsOf(copy);
    const where = paths[pick % paths.length]!;
    if (where.length === 0) return how.kind === "replace" || how.kind === "string" ? how.by : copy;
    const holder = where
      .slice(0, -1)
      .reduce((node: Record<string, unknown>, key) => node[key] as Record<string, unknown>, copy as Record<string, unknown>);
    const key = where.at(-1)!;
    if (how.kind === "delete") delete holder[key];
    else if (how.kind === "add") {
      const target = (holder[key] !== null && typeof holder[key] === "object" ? holder[key] : holder) as Record<string, unknown>;
      Object.defineProperty(target, how.key, { value: how.by, enumerable: true, writable: true, configurable: true });
    } else holder[key] = how.by;
    return copy;
  });
}

/** Where ajv says a rule breaks, as the compiled issues say it. */
function ajvPlaces(errors: readonly ErrorObject[]): string[] {
  const tooLong = new Set(errors.filter((e) => e.keyword === "maxItems").map((e) => e.instancePath));
  const patterns = new Set(errors.filter((e) => e.keyword === "pattern").map((e) => e.instancePath));
  const token = (key: unknown) => String(key).replaceAll("~", "~0").replaceAll("/", "~1");
  return errors
    .filter((e) => !((e.keyword === "minLength" || e.keyword === "maxLength") && patterns.has(e.instancePath)))
    .filter((e) => !(e.keyword === "uniqueItems" && tooLong.has(e.instancePath)))
    .filter((e) => ![...tooLong].some((array) => e.instancePath.startsWith(`${array}/`)))
    .map((e) => {
      const params = e.params as Record<string, unknown>;
      if (e.keyword === "required") return `${e.instancePath}/${token(params.missingProperty)} required`;
      if (e.keyword === "additionalProperties") return `${e.instancePath}/${token(params.additionalProperty)} additionalProperties`;
      if (e.keyword === "dependentRequired") return `${e.instancePath}/${token(params.property)} dependentRequired`;
      return `${e.instancePath} ${e.keyword}`;
    });
}

const sorted = (places: string[]) => [...places].sort();

describe("each compiled validator says what ajv says", () => {
  for (const [name, { file, pointer = "", valid }] of Object.entries(ENTRIES)) {
    const check = (compiled as unknown as Record<string, CompiledCheck>)[`check${name}`]!;
    const reference = ajv.getSchema(`${schemas[file]!.$id}#${pointer}`)!;
    const inputs = fc.oneof({ weight: 2, arbitrary: valid }, { weight: 5, arbitrary: changedAtOnePlace(valid) }, fc.anything());
    test.prop([inputs], { numRuns: 300 })(name, (input) => {
      const expected = reference(input);
      const issues = check(input, "");
      expect(issues === null).toBe(expected);
      // Asked to stop at the first broken rule: null when valid, else STOPPED.
      expect(check(input, "", true)).toBe(expected ? null : STOPPED);
      const places = unionPlaces(file, pointer, input) ?? ajvPlaces(reference.errors ?? []);
      expect(sorted((issues ?? []).map((i) => `${i.path} ${i.rule}`))).toEqual(sorted(places));
    });
  }
  test("every compiled validator is covered here", () => {
    const names = Object.keys(compiled)
      .filter((key) => key.startsWith("check"))
      .map((key) => key.slice("check".length));
    expect(sorted(names)).toEqual(sorted(Object.keys(ENTRIES)));
  });
});
