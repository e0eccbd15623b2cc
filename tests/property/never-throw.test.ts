/**
 * Production validators never throw (issue 8): any value — fast-check's `anything()`, or a
 * Stream / request body with any field replaced by anything, then with throwing getters, cycles
 * and Proxies (with throwing traps, or revoked) mixed in — gets a verdict from every exported
 * validator and guard.
 *
 * And within a bound on the work, counted rather than timed (a loaded machine cannot make it
 * flake): every object of the input is read through a counting Proxy, and a validator may make
 * at most WORK_PER_NODE trap calls per node of the input, plus WORK_BASE.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { verifyTwilioWebhook } from "../../src/index.js";
import { describeValue } from "../../src/validators/describe.js";
import { PATH, STREAM, VALIDATORS, verdictOf } from "../support/hostile-values.js";

const WORK_BASE = 200;
const WORK_PER_NODE = 40;

const TRAPS = ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "apply"] as const;
type Trap = (typeof TRAPS)[number];

/** What happens to one object of the input. */
type Twist =
  | { kind: "none" }
  | { kind: "getter"; key: string; throws: unknown }
  | { kind: "cycle"; key: string }
  | { kind: "trap"; trap: Trap }
  | { kind: "revoked" };

const thrownValue = fc.oneof(fc.constant(new TypeError("boom")), fc.anything({ maxDepth: 1 }), fc.constant(Proxy.revocable({}, {}).proxy));
const key = fc.oneof(fc.constantFrom(...Object.keys(STREAM), "Url", "AccountSid", "toJSON", "__proto__", "0"), fc.string({ maxLength: 4 }));
const twist: fc.Arbitrary<Twist> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "none" as const }) },
  fc.record({ kind: fc.constant("getter" as const), key, throws: thrownValue }),
  fc.record({ kind: fc.constant("cycle" as const), key }),
  fc.record({ kind: fc.constant("trap" as const), trap: fc.constantFrom(...TRAPS) }),
  fc.constant({ kind: "revoked" as const }),
);

const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});
const orAnything = <T>(value: T) => fc.oneof(fc.constant(value), anything);
const shaped = (model: Readonly<Record<string, unknown>>) =>
  fc.record(Object.fromEntries(Object.keys(model).map((k) => [k, orAnything(model[k])])), { requiredKeys: [] });
const base = fc.oneof(
  anything,
  shaped(STREAM),
  shaped({ Url: "wss://x.example", Track: "both_tracks", "Parameter1.Value": "v" }),
  shaped(PATH),
);

/**
 * The input: `value` with `twists` applied to its objects in turn (getters and cycles now, traps
 * when read), read through counting Proxies. `work.count` counts the trap calls.
 */
function hostile(generated: unknown, twists: readonly Twist[]): { input: unknown; nodes: number; work: { count: number } } {
  const value = copyPlain(generated, new Map());
  const objects: object[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [value];
  let nodes = 1;
  while (queue.length > 0) {
    const node = queue.shift();
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    seen.add(node);
    objects.push(node);
    for (const k of Reflect.ownKeys(node)) {
      nodes++;
      queue.push(Object.getOwnPropertyDescriptor(node, k)?.value);
    }
  }
  const twistOf = new Map<object, Twist>();
  objects.forEach((object, i) => {
    const t = twists[i % twists.length]!;
    twistOf.set(object, t);
    if (!isPlain(object)) return; // kept as generated (fast-check still shows and shrinks it): no getters, no cycles
    if (t.kind === "getter") {
      Object.defineProperty(object, t.key, {
        enumerable: true,
        configurable: true,
        get() {
          throw t.throws;
        },
      });
    } else if (t.kind === "cycle") {
      Object.defineProperty(object, t.key, { value: objects[0], enumerable: true, configurable: true, writable: true });
    }
  });

  const work = { count: 0 };
  const proxies = new WeakMap<object, object>();
  const wrap = (v: unknown): unknown => {
    if ((typeof v !== "object" && typeof v !== "function") || v === null) return v;
    const known = proxies.get(v);
    if (known !== undefined) return known;
    const t = twistOf.get(v) ?? { kind: "none" };
    if (t.kind === "revoked") {
      const { proxy, revoke } = Proxy.revocable(v, {});
      revoke();
      proxies.set(v, proxy);
      return proxy;
    }
    const handler: ProxyHandler<object> = {};
    for (const trap of [...TRAPS, "construct", "set", "defineProperty", "deleteProperty"] as const) {
      (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
        work.count++;
        if (t.kind === "trap" && t.trap === trap) throw new Error(`${trap} trap boom`);
        const result = (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
        // Proxy invariants: a non-configurable, read-only property must read as itself.
        if (trap === "get") {
          const d = Reflect.getOwnPropertyDescriptor(args[0] as object, args[1] as PropertyKey);
          return d && !d.configurable && !d.writable ? result : wrap(result);
        }
        return result;
      };
    }
    const proxy = new Proxy(v, handler);
    proxies.set(v, proxy);
    return proxy;
  };
  return { input: wrap(value), nodes, work };
}

describe("every exported validator and guard", () => {
  test.prop([fc.constantFrom(...Object.keys(VALIDATORS)), base, fc.array(twist, { minLength: 1, maxLength: 8 })], { numRuns: 1000 })(
    "returns a verdict for any value, with getters, cycles and Proxies mixed in, in bounded work",
    (name, value, twists) => {
      const { input, nodes, work } = hostile(value, twists);
      expect(verdictOf(name, input)).toEqual({ ok: true, detail: expect.any(String) as string });
      expect(work.count, `trap calls for ${nodes} nodes`).toBeLessThanOrEqual(WORK_BASE + WORK_PER_NODE * nodes);
    },
  );
});

describe("verifyTwilioWebhook", () => {
  const request = {
    method: "POST",
    url: "/hooks/status",
    originalUrl: "/hooks/status",
    headers: {
      host: "example.com",
      "x-twilio-signature": "sig=",
      "x-twilio-webhooks-signature-settings": "algorithm=HMAC_SHA1",
      upgrade: "",
    },
    body: { StreamEvent: "stream-started" },
    rawBody: "StreamEvent=stream-started",
    socket: { encrypted: true },
  };
  const options = {
    authToken: "token",
    url: "https://example.com/hooks/status",
    trustProxy: false,
    protocol: "https",
    host: "example.com",
  };
  const reasons = ["no-signature", "bad-signature", "unknown-algorithm", "no-token", "no-url", "unreadable"];
  test.prop([fc.oneof(anything, shaped(request)), fc.oneof(anything, shaped(options)), fc.array(twist, { minLength: 1, maxLength: 8 })], {
    numRuns: 1000,
  })("gives a verdict for any request and options, with getters, cycles and Proxies mixed in, in bounded work", (req, opts, twists) => {
    const r = hostile(req, twists);
    const o = hostile(opts, twists);
    const verdict = verifyTwilioWebhook(r.input as never, o.input as never);
    expect(typeof verdict.url).toBe("string");
    if (verdict.valid) expect(verdict).toEqual({ valid: true, url: verdict.url });
    else expect(reasons).toContain(verdict.reason);
    expect(r.work.count + o.work.count).toBeLessThanOrEqual(WORK_BASE + WORK_PER_NODE * (r.nodes + o.nodes));
  });
});

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null || Array.isArray(value);
}

/** A copy of the plain objects and arrays of `value` (to be twisted), sharing all else. */
function copyPlain(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null || !isPlain(value)) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  const out = (
    Array.isArray(value) ? new Array<unknown>(value.length) : Object.create(Object.getPrototypeOf(value) as object | null)
  ) as object;
  copies.set(value, out);
  for (const k of Reflect.ownKeys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, k)!;
    if (k === "length" && Array.isArray(value)) continue;
    Object.defineProperty(out, k, "value" in d ? { ...d, value: copyPlain(d.value, copies) } : d);
  }
  return out;
}

describe("the issue renderer", () => {
  test.prop([fc.jsonValue()])("writes what JSON.stringify writes for JSON data, cut to 60 characters", (value) => {
    const json = JSON.stringify(value);
    expect(describeValue(value)).toBe(json.length > 60 ? `${json.slice(0, 59)}…` : json);
  });
});
