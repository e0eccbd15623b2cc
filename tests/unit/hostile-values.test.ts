/**
 * Production validators never throw (issue 8): every exported validator and guard returns a
 * verdict for each hostile input — a ContractViolationError from assert… is the one throw
 * allowed — and a value that cannot be read is reported with its path and what reading threw.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeValue } from "../../src/validators/describe.js";
import { formatRfc2822DateTime, validateCreateStreamRequest, validateStream } from "../../src/index.js";
import {
  ENTRY_POINTS,
  exportedGuards,
  hostileInputs,
  nested,
  PATH,
  revoked,
  STREAM,
  throwingGetter,
  throwingProxy,
  VALIDATORS,
  verdictOf,
} from "../support/hostile-values.js";

const INPUTS = hostileInputs();

describe("the guards fed hostile values are every exported one, found by name", () => {
  it("the entry points are the exports map's code entries", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    expect(Object.keys(ENTRY_POINTS).sort()).toEqual(
      Object.keys(pkg.exports)
        .filter((key) => !/\.json$|\*/.test(key))
        .sort(),
    );
  });

  it("every validate…, is…, assert…, check… and parse… function of them", () => {
    const names = [...exportedGuards().keys()];
    for (const name of ["validateStream", "isStream", "assertStream", "isMulawBase64", "isValidTwilioSignature", "checkMediaSession"])
      expect(names).toContain(name);
    expect(names.length).toBeGreaterThanOrEqual(37);
  });
});

describe(`${INPUTS.length} hostile inputs × ${Object.keys(VALIDATORS).length} validators and guards`, () => {
  for (const input of INPUTS) {
    it(`${input.name}: a verdict from each`, () => {
      const failures = Object.keys(VALIDATORS)
        .map((name) => ({ name, ...verdictOf(name, input.value()) }))
        .filter((v) => !v.ok)
        .map((v) => `${v.name} ${v.detail}`);
      expect(failures).toEqual([]);
    });
  }

  it("none of them is a valid Stream (but for Proxies whose throwing traps reading a Stream never calls), and every issue renders as JSON", () => {
    for (const input of INPUTS) {
      const result = validateStream(input.value());
      expect(result.valid, input.name).toBe(input.validStream === true);
      if (!result.valid) expect(() => JSON.stringify(result), input.name).not.toThrow();
    }
  });

  for (const input of INPUTS.filter((i) => i.unreadable !== undefined)) {
    it(`${input.name}: says which path could not be read and that reading it threw`, () => {
      const result = validateStream(input.value());
      const unreadable = result.valid ? [] : result.issues.filter((e) => e.rule === "readable");
      expect(unreadable.map((e) => e.path)).toEqual(input.unreadable);
      expect(unreadable[0]?.message).toMatch(/^(\/\w+|the document) could not be read: reading it threw /);
    });
  }
});

describe("what the issues say", () => {
  it("a throwing getter: its path, the error, and the other fields still checked", () => {
    const result = validateStream(throwingGetter({ ...STREAM, status: "running" }, "sid"));
    expect(result.valid ? [] : result.issues.map((e) => e.message)).toEqual([
      "/sid could not be read: reading it threw TypeError: getter boom",
      '/status must be one of "in-progress", "stopped", got "running"',
    ]);
  });

  it("a revoked Proxy: the document could not be read", () => {
    const result = validateStream(revoked());
    expect(result.valid ? [] : result.issues.map((e) => e.message)).toEqual([
      "the document could not be read: reading it threw TypeError: Cannot perform 'IsArray' on a proxy that has been revoked",
    ]);
  });

  it("a body whose ownKeys trap throws: /body could not be read", () => {
    const result = validateCreateStreamRequest({ path: PATH, body: throwingProxy({ Url: "wss://x.example" }, ["ownKeys"]) });
    expect(result.valid ? [] : result.issues.map((e) => e.message)).toEqual([
      "/body could not be read: reading it threw Error: ownKeys trap boom",
    ]);
  });

  it("a path field whose getter throws: that field, and the body still checked", () => {
    const result = validateCreateStreamRequest({ path: throwingGetter(PATH, "CallSid"), body: { Url: "ws://x.example" } });
    expect(result.valid ? [] : result.issues.map((e) => [e.path, e.rule])).toEqual([
      ["/path/CallSid", "readable"],
      ["/body/Url", "format"],
    ]);
  });

  it("a request that is not an object { path?, body } says so", () => {
    for (const request of [null, 42, "Url=wss%3A%2F%2Fx.example"]) {
      const result = validateCreateStreamRequest(request as never);
      expect(result.valid ? [] : result.issues.map((e) => [e.path, e.rule])).toEqual([["", "type"]]);
    }
  });

  it("a body that is not a form at all says so", () => {
    const result = validateCreateStreamRequest({ body: 42 as never });
    expect(result.valid ? [] : result.issues.map((e) => [e.path, e.rule, e.received])).toEqual([
      ["/body", "type", "42"],
      ["/body/Url", "required", "nothing"],
    ]);
  });

  it("a deep, a cyclic, a BigInt and a throwing toJSON name are shown, cut, never thrown", () => {
    const received = (name: unknown) => {
      const result = validateStream({ ...STREAM, name });
      return result.valid ? "" : result.issues[0]!.received;
    };
    expect(received(nested(100_000))).toBe(`${'{"a":'.repeat(12).slice(0, 59)}…`);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(received(cycle)).toBe('{"a":1,"self":<cycle>}');
    expect(received(12345678901234567890n)).toBe("12345678901234567890n");
    expect(
      received({
        toJSON: () => {
          throw new Error("no");
        },
      }),
    ).toBe("<unreadable>");
    expect(received({ a: 1, b: throwingGetter({}, "c") })).toBe('{"a":1,"b":{"c":<unreadable>}}');
  });

  it("formatRfc2822DateTime throws only its RangeError, for anything but a valid Date", () => {
    for (const value of [revoked(), throwingProxy(new Date(0), ["get", "getPrototypeOf"]), 42n, null, {}, new Date(NaN)]) {
      expect(() => formatRfc2822DateTime(value as Date)).toThrow(RangeError);
    }
    const date = new Date(Date.UTC(2015, 6, 30, 20));
    Object.defineProperty(date, "getUTCFullYear", {
      get() {
        throw new Error("no");
      },
    });
    expect(formatRfc2822DateTime(date)).toBe("Thu, 30 Jul 2015 20:00:00 +0000");
  });
});

describe("describeValue writes what JSON.stringify writes, for JSON data", () => {
  it("on a few shapes", () => {
    for (const value of [
      null,
      true,
      1.5,
      -0,
      NaN,
      'é\u2028"',
      [1, [2, {}]],
      { a: [undefined, () => 1], b: undefined, "~/": "x" },
      new Date(0),
      "x".repeat(100),
    ]) {
      const json = JSON.stringify(value);
      expect(describeValue(value)).toBe(json.length > 60 ? `${json.slice(0, 59)}…` : json);
    }
  });
});
