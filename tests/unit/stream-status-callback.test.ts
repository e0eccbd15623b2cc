import { describe, expect, it } from "vitest";
import {
  assertStreamStatusCallback,
  ContractViolationError,
  isStreamStatusCallback,
  validateStreamStatusCallback,
} from "../../src/index.js";

const FIELDS = {
  AccountSid: `AC${"a".repeat(32)}`,
  CallSid: `CA${"b".repeat(32)}`,
  StreamSid: `MZ${"c".repeat(32)}`,
  StreamName: `MZ${"c".repeat(32)}`,
  StreamEvent: "stream-started",
  Timestamp: "2026-01-01T00:00:00.000Z",
};

describe("validateStreamStatusCallback", () => {
  it("reads a POST body, a GET query string with its ?, a URLSearchParams and an object", () => {
    const query = new URLSearchParams(FIELDS).toString();
    for (const input of [query, `?${query}`, new URLSearchParams(FIELDS), FIELDS])
      expect(validateStreamStatusCallback(input)).toEqual({ valid: true, value: FIELDS });
  });

  it("accepts the ISO 8601 forms Twilio may write, and fields it may add", () => {
    for (const Timestamp of ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456Z", "2026-01-01T01:00:00+01:00", "2024-02-29t00:00:60z"]) {
      expect(isStreamStatusCallback({ ...FIELDS, Timestamp }), Timestamp).toBe(true);
    }
    expect(isStreamStatusCallback({ ...FIELDS, ApiVersion: "2010-04-01" })).toBe(true);
    expect(isStreamStatusCallback({ ...FIELDS, StreamEvent: "stream-error", StreamError: "31920" })).toBe(true);
  });

  it("issues are data at the field's path", () => {
    const result = validateStreamStatusCallback({
      ...FIELDS,
      StreamEvent: "started",
      Timestamp: "Thu, 01 Jan 2026 00:00:00 GMT",
      CallSid: undefined,
    });
    expect(result.valid).toBe(false);
    const issues = result.valid ? [] : result.issues;
    expect(issues.map((i) => [i.path, i.rule])).toEqual(
      expect.arrayContaining([
        ["/StreamEvent", "enum"],
        ["/Timestamp", "format"],
        ["/CallSid", "required"],
      ]),
    );
    expect(issues.find((i) => i.path === "/Timestamp")?.message).toContain("ISO 8601");
  });

  it("a field given twice is an issue", () => {
    const result = validateStreamStatusCallback(`${new URLSearchParams(FIELDS).toString()}&StreamEvent=stream-stopped`);
    expect(result.valid ? [] : result.issues.map((i) => [i.path, i.rule])).toEqual([["/StreamEvent", "form"]]);
  });

  it("assert throws a ContractViolationError naming the subject", () => {
    expect(() => assertStreamStatusCallback({})).toThrow(ContractViolationError);
    expect(() => assertStreamStatusCallback({})).toThrow(/Stream status callback/);
    expect(() => assertStreamStatusCallback(FIELDS)).not.toThrow();
  });
});
