/**
 * Values a production validator must survive (issue 8, "Production validators never throw"), and
 * the list of every exported validator and guard they are fed to. Shared by
 * tests/unit/hostile-values.test.ts and tests/property/never-throw.test.ts.
 */
import * as entry from "../../src/index.js";
import streamSchema from "../../schemas/stream.schema.json" with { type: "json" };

export const STREAM = streamSchema.examples[0]!;
export const PATH = { AccountSid: STREAM.account_sid, CallSid: STREAM.call_sid };

/** An object whose property `key` is a getter that throws `thrown`. */
export function throwingGetter(base: object, key: string, thrown: unknown = new TypeError("getter boom")): object {
  const out = { ...base };
  Object.defineProperty(out, key, {
    enumerable: true,
    get() {
      throw thrown;
    },
  });
  return out;
}

/** A Proxy of `target` whose `traps` all throw. */
export function throwingProxy<T extends object>(target: T, traps: readonly (keyof ProxyHandler<T>)[]): T {
  const handler: ProxyHandler<T> = {};
  for (const trap of traps) {
    (handler as Record<string, unknown>)[trap] = () => {
      throw new Error(`${String(trap)} trap boom`);
    };
  }
  return new Proxy(target, handler);
}

/** A revoked Proxy: every operation on it but typeof throws. */
export function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** `{ [key]: { [key]: … } }`, `depth` levels, built without recursion. */
export function nested(depth: number, key = "a"): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { [key]: value };
  return value;
}

/** `[[[…]]]`, `depth` levels. */
function nestedArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function cyclic(base: object, key: string): object {
  const out: Record<string, unknown> = { ...base };
  out[key] = out;
  return out;
}

const ALL_TRAPS = [
  "get",
  "has",
  "ownKeys",
  "getOwnPropertyDescriptor",
  "getPrototypeOf",
  "defineProperty",
  "set",
  "deleteProperty",
  "isExtensible",
  "preventExtensions",
  "setPrototypeOf",
  "apply",
  "construct",
] as const;

/**
 * The hostile inputs, by name: each is a Stream-shaped value for validateStream & co and also
 * fed as a body and as a path to the request validators. `unreadable` is the path of the first
 * value that cannot be read, when there is one, for the Stream validators.
 */
export function hostileInputs(): { name: string; value: () => unknown; unreadable?: string[]; validStream?: true }[] {
  return [
    { name: "a BigInt", value: () => 10n },
    { name: "a BigInt field", value: () => ({ ...STREAM, name: 10n }) },
    { name: "BigInts in every field", value: () => Object.fromEntries(Object.keys(STREAM).map((k) => [k, 1n])) },
    { name: "a cyclic value", value: () => cyclic({}, "self") },
    { name: "a cyclic name", value: () => ({ ...STREAM, name: cyclic({ a: 1 }, "self") }) },
    { name: "a Stream that contains itself", value: () => cyclic(STREAM, "name") },
    { name: "a name nested 100,000 levels deep", value: () => ({ ...STREAM, name: nested(100_000) }) },
    { name: "an array nested 100,000 levels deep", value: () => nestedArray(100_000) },
    { name: "a value nested 100,000 levels deep", value: () => nested(100_000, "sid") },
    {
      name: "a throwing toJSON",
      value: () => ({
        ...STREAM,
        name: {
          toJSON: () => {
            throw new Error("toJSON boom");
          },
        },
      }),
    },
    { name: "a throwing toJSON getter", value: () => ({ ...STREAM, name: throwingGetter({}, "toJSON") }) },
    { name: "a throwing getter (sid)", value: () => throwingGetter(STREAM, "sid"), unreadable: ["/sid"] },
    { name: "a throwing getter (date_updated)", value: () => throwingGetter(STREAM, "date_updated"), unreadable: ["/date_updated"] },
    { name: "a getter throwing a non-Error", value: () => throwingGetter(STREAM, "status", 42), unreadable: ["/status"] },
    { name: "a getter throwing an unreadable error", value: () => throwingGetter(STREAM, "uri", revoked()), unreadable: ["/uri"] },
    { name: "a getter throwing a Proxy", value: () => throwingGetter(STREAM, "uri", throwingProxy({}, ALL_TRAPS)), unreadable: ["/uri"] },
    { name: "a throwing getter nested in a field", value: () => ({ ...STREAM, name: throwingGetter({ a: 1 }, "b") }) },
    {
      name: "a Proxy with a throwing get trap",
      value: () => throwingProxy({ ...STREAM }, ["get"]),
      unreadable: Object.keys(STREAM).map((k) => `/${k}`),
    },
    // A Stream is read field by field: these traps are never called for it (but for request bodies).
    { name: "a Proxy with a throwing has trap", value: () => throwingProxy({ ...STREAM }, ["has"]), validStream: true },
    { name: "a Proxy with a throwing ownKeys trap", value: () => throwingProxy({ ...STREAM }, ["ownKeys"]), validStream: true },
    {
      name: "a Proxy with a throwing getOwnPropertyDescriptor trap",
      value: () => throwingProxy({ ...STREAM }, ["getOwnPropertyDescriptor"]),
      validStream: true,
    },
    {
      name: "a Proxy with a throwing getPrototypeOf trap",
      value: () => throwingProxy({ ...STREAM }, ["getPrototypeOf"]),
      validStream: true,
    },
    { name: "a Proxy whose every trap throws", value: () => throwingProxy({ ...STREAM }, ALL_TRAPS), unreadable: [""] },
    { name: "a Proxy of an array whose every trap throws", value: () => throwingProxy([1, 2], ALL_TRAPS) },
    { name: "a Proxy of a function whose every trap throws", value: () => throwingProxy(() => 1, ALL_TRAPS) },
    { name: "a Proxy field whose every trap throws", value: () => ({ ...STREAM, name: throwingProxy({}, ALL_TRAPS) }) },
    { name: "a Proxy of a URLSearchParams", value: () => new Proxy(new URLSearchParams("Url=wss://x.example"), {}) },
    { name: "a revoked Proxy", value: revoked, unreadable: [""] },
    { name: "a revoked Proxy field", value: () => ({ ...STREAM, sid: revoked() }) },
    { name: "a symbol", value: () => Symbol("s") },
    { name: "a symbol field", value: () => ({ ...STREAM, name: Symbol("s") }) },
    { name: "a function", value: () => function stream() {} },
    { name: "an object without a prototype", value: () => Object.assign(Object.create(null) as object, STREAM, { name: 1 }) },
    { name: "an own __proto__ field", value: () => JSON.parse(`{"__proto__": {"sid": 1}, "name": 1}`) as unknown },
    { name: "an array of length 2^32 - 1", value: () => ({ ...STREAM, name: new Array(2 ** 32 - 1) }) },
    { name: "a 1 MB string", value: () => ({ ...STREAM, name: 7, uri: "x".repeat(1 << 20) }) },
  ];
}

type AnyFunction = (...args: unknown[]) => unknown;
const fn = (f: unknown) => f as AnyFunction;

/** Every exported validator and guard of the production entry, as a one-argument function. */
export const VALIDATORS: Readonly<Record<string, (value: unknown) => unknown>> = {
  validateStream: (v) => entry.validateStream(v),
  isStream: (v) => entry.isStream(v),
  assertStream: (v) => entry.assertStream(v),
  validateTwilioError: (v) => entry.validateTwilioError(v),
  isTwilioError: (v) => entry.isTwilioError(v),
  assertTwilioError: (v) => entry.assertTwilioError(v),
  "validateCreateStreamRequest(v)": (v) => fn(entry.validateCreateStreamRequest)(v),
  "validateCreateStreamRequest(v, path)": (v) => fn(entry.validateCreateStreamRequest)(v, PATH),
  "validateCreateStreamRequest(body, v)": (v) => fn(entry.validateCreateStreamRequest)({ Url: "wss://x.example" }, v),
  isCreateStreamRequest: (v) => entry.isCreateStreamRequest(v),
  assertCreateStreamRequest: (v) => entry.assertCreateStreamRequest(v),
  "validateUpdateStreamRequest(v)": (v) => fn(entry.validateUpdateStreamRequest)(v),
  "validateUpdateStreamRequest(body, v)": (v) => fn(entry.validateUpdateStreamRequest)("Status=stopped", v),
  isUpdateStreamRequest: (v) => entry.isUpdateStreamRequest(v),
  assertUpdateStreamRequest: (v) => entry.assertUpdateStreamRequest(v),
  validateStreamStatusCallback: (v) => fn(entry.validateStreamStatusCallback)(v),
  isStreamStatusCallback: (v) => entry.isStreamStatusCallback(v),
  assertStreamStatusCallback: (v) => entry.assertStreamStatusCallback(v),
  validateMediaMessage: (v) => entry.validateMediaMessage(v),
  "validateMediaMessage(v, server)": (v) => entry.validateMediaMessage(v, { from: "server" }),
  validateTwilioStreamMessage: (v) => entry.validateTwilioStreamMessage(v),
  validateServerStreamMessage: (v) => entry.validateServerStreamMessage(v),
  isTwilioStreamMessage: (v) => entry.isTwilioStreamMessage(v),
  isServerStreamMessage: (v) => entry.isServerStreamMessage(v),
  validateTwilioMediaMessage: (v) => entry.validateTwilioMediaMessage(v),
  validateTwilioStartMessage: (v) => entry.validateTwilioStartMessage(v),
  validateServerMediaMessage: (v) => entry.validateServerMediaMessage(v),
  isAccountSid: (v) => entry.isAccountSid(v),
  isCallSid: (v) => entry.isCallSid(v),
  isStreamSid: (v) => entry.isStreamSid(v),
  isRfc2822DateTime: (v) => entry.isRfc2822DateTime(v),
  "isRfc2822DateTime(date, v)": (v) => fn(entry.isRfc2822DateTime)("Thu, 30 Jul 2015 20:00:00 +0000", v),
  parseRfc2822DateTime: (v) => fn(entry.parseRfc2822DateTime)(v),
  "parseRfc2822DateTime(date, v)": (v) => fn(entry.parseRfc2822DateTime)("Thu, 30 Jul 2015 20:00:00 +0000", v),
};

/**
 * Runs `name` on `value` and says whether what came back is a verdict of its kind: a result
 * `{ valid, … }` for validate…, a boolean for is…, nothing or a ContractViolationError for
 * assert…, a Date or undefined for parse…. Anything else thrown is returned as `threw`.
 */
export function verdictOf(name: string, value: unknown): { ok: boolean; detail: string } {
  const run = VALIDATORS[name]!;
  let result: unknown;
  try {
    result = run(value);
  } catch (thrown) {
    if (name.startsWith("assert") && thrown instanceof entry.ContractViolationError) return { ok: true, detail: "ContractViolationError" };
    return { ok: false, detail: `threw ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : typeof thrown}` };
  }
  if (name.startsWith("validate")) {
    const r = result as { valid?: unknown; issues?: unknown };
    const ok = r.valid === true || (r.valid === false && Array.isArray(r.issues) && r.issues.length > 0 && r.issues.every(isIssue));
    return { ok, detail: ok ? "" : "not a ValidationResult" };
  }
  if (name.startsWith("is")) return { ok: typeof result === "boolean", detail: "" };
  if (name.startsWith("assert")) return { ok: result === undefined, detail: "" };
  return { ok: result === undefined || result instanceof Date, detail: "" };
}

function isIssue(value: unknown): boolean {
  const i = value as Record<string, unknown>;
  return ["path", "rule", "expected", "received", "message"].every((k) => typeof i[k] === "string");
}
