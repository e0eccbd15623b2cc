/**
 * Values a production validator must survive (issue 8, "Production validators never throw"), and
 * every exported validator and guard they are fed to: every function of every entry point whose
 * name starts with validate, is, assert, check or parse (issue 16), found by name, not listed. Shared by
 * tests/unit/hostile-values.test.ts and tests/property/never-throw.test.ts.
 */
import * as arbitraries from "../../src/arbitraries/index.js";
import * as entry from "../../src/index.js";
import * as mock from "../../src/mock/index.js";
import * as nock from "../../src/nock/index.js";
import * as verify from "../../src/verify/index.js";
import * as vitest from "../../src/vitest/index.js";
import * as vitestSetup from "../../src/vitest/setup.js";
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

/**
 * Every entry point of the package (package.json `exports` that are code), as module namespaces.
 * tests/unit/hostile-values.test.ts checks that this list is the exports map's.
 */
export const ENTRY_POINTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  ".": entry,
  "./arbitraries": arbitraries,
  "./mock": mock,
  "./nock": nock,
  "./verify": verify,
  "./vitest": vitest,
  "./vitest/setup": vitestSetup,
};

/** What a guard's name says it is: its verdict is checked by verdictOf. */
const GUARD_PREFIXES = ["validate", "is", "assert", "check", "parse"] as const;

/** The exported functions whose name starts with a guard prefix (then an upper-case letter), by name. */
export function exportedGuards(): Map<string, AnyFunction> {
  const guards = new Map<string, AnyFunction>();
  for (const namespace of Object.values(ENTRY_POINTS)) {
    for (const [name, value] of Object.entries(namespace)) {
      if (typeof value === "function" && GUARD_PREFIXES.some((prefix) => new RegExp(`^${prefix}[A-Z]`).test(name))) {
        guards.set(name, value as AnyFunction);
      }
    }
  }
  return guards;
}

/** A valid first argument, for the guards that take a second (options, a path): the hostile value goes second. */
const VALID_FIRST: Readonly<Record<string, unknown>> = {
  isRfc2822DateTime: "Thu, 30 Jul 2015 20:00:00 +0000",
  parseRfc2822DateTime: "Thu, 30 Jul 2015 20:00:00 +0000",
  validateMediaMessage: { event: "connected", protocol: "Call", version: "1.0.0" },
  checkMediaSession: [],
};

/** Hostile values inside an otherwise valid argument, where a guard reads one object's fields. */
const INSIDE: Readonly<Record<string, (v: unknown) => unknown>> = {
  validateCreateStreamRequest: (v) => ({ body: { Url: "wss://x.example" }, path: v }),
  validateUpdateStreamRequest: (v) => ({ body: "Status=stopped", path: v }),
  isValidTwilioSignature: (v) => ({ url: "https://x.example/", signature: "x", authToken: "t", params: v, body: v, signatureSettings: v }),
};

/**
 * Every exported guard and validator as one-argument functions: `name(v)`, `name(v, v)`,
 * `name(valid, v)` for those in VALID_FIRST, `name({ … v … })` for those in INSIDE.
 */
export const VALIDATORS: Readonly<Record<string, (value: unknown) => unknown>> = Object.fromEntries(
  [...exportedGuards()].flatMap(([name, guard]) => [
    [`${name}(v)`, (v: unknown) => guard(v)],
    [`${name}(v, v)`, (v: unknown) => guard(v, v)],
    ...(name in VALID_FIRST ? [[`${name}(valid, v)`, (v: unknown) => guard(VALID_FIRST[name], v)]] : []),
    ...(name in INSIDE ? [[`${name}({ …v… })`, (v: unknown) => guard(INSIDE[name]!(v))]] : []),
  ]),
);

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
  if (name.startsWith("check")) {
    const r = result as { valid?: unknown; violation?: unknown };
    const ok = r.valid === true || (r.valid === false && typeof r.violation === "object" && r.violation !== null);
    return { ok, detail: ok ? "" : "not a check result" };
  }
  if (name.startsWith("is")) return { ok: typeof result === "boolean", detail: "" };
  if (name.startsWith("assert")) return { ok: result === undefined, detail: "" };
  return { ok: result === undefined || result instanceof Date, detail: "" };
}

function isIssue(value: unknown): boolean {
  const i = value as Record<string, unknown>;
  return ["path", "rule", "expected", "received", "message"].every((k) => typeof i[k] === "string");
}
