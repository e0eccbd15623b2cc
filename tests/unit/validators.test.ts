import { describe, expect, it } from "vitest";
import {
  assertStream,
  ContractViolationError,
  isAccountSid,
  isStream,
  validateCreateStreamRequest,
  validateStream,
  validateTwilioError,
  validateUpdateStreamRequest,
} from "../../src/index.js";
import streamSchema from "../../schemas/stream.schema.json" with { type: "json" };

const example = streamSchema.examples[0]!;

describe("validateStream", () => {
  it("accepts the official examples", () => {
    for (const value of streamSchema.examples) expect(validateStream(value)).toEqual({ valid: true, value });
  });

  it("reports every broken field with its path, rule and value", () => {
    const result = validateStream({ ...example, sid: "MZ123", status: "running", account_sid: undefined });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.issues.map((e) => [e.path, e.rule])).toEqual([
      ["/account_sid", "required"],
      ["/sid", "pattern"],
      ["/status", "enum"],
    ]);
    expect(result.issues[1]?.message).toBe('/sid must be a Stream SID matching ^MZ[0-9a-fA-F]{32}$, got "MZ123"');
  });

  it("allows fields Twilio may add, and null where Twilio's spec does", () => {
    expect(isStream({ ...example, new_field: 1, name: null, uri: null })).toBe(true);
    expect(isStream({ ...example, status: null })).toBe(false);
  });

  it("truncates long values in messages", () => {
    const result = validateStream({ ...example, name: 1, uri: "x".repeat(1000) });
    expect(result.valid || result.issues.every((e) => e.received.length <= 60)).toBe(true);
  });

  it("assertStream throws a ContractViolationError listing the issues", () => {
    expect(() => assertStream({ ...example, date_updated: "2015-07-30T20:00:00Z" })).toThrow(ContractViolationError);
    expect(() => assertStream(example)).not.toThrow();
  });
});

describe("request validators", () => {
  const path = { AccountSid: example.account_sid, CallSid: example.call_sid };

  it("take a raw form string, URLSearchParams or an object", () => {
    const body = "Url=wss%3A%2F%2Fexample.com%2Fmedia&Parameter1.Name=a&Parameter1.Value=b";
    expect(validateCreateStreamRequest({ body }).valid).toBe(true);
    expect(validateCreateStreamRequest({ path, body: new URLSearchParams(body) }).valid).toBe(true);
    expect(validateCreateStreamRequest({ path, body: { Url: "wss://example.com/media" } }).valid).toBe(true);
  });

  it("point issues into /body and /path", () => {
    const result = validateCreateStreamRequest({ path: { ...path, CallSid: "CA1" }, body: { Url: "ws://example.com", Track: "both" } });
    expect(result.valid ? [] : result.issues.map((e) => e.path)).toEqual(["/path/CallSid", "/body/Url", "/body/Track"]);
  });

  it("refuse a ParameterN.Value without its Name, and parameters past 99", () => {
    const orphan = validateCreateStreamRequest({ body: { Url: "wss://x.example", "Parameter7.Value": "v" } });
    expect(orphan.valid ? [] : orphan.issues.map((e) => [e.path, e.rule])).toEqual([["/body/Parameter7.Value", "dependentRequired"]]);
    expect(validateCreateStreamRequest({ body: { Url: "wss://x.example", "Parameter100.Name": "n" } }).valid).toBe(false);
  });

  it("UpdateStream takes Status=stopped only, by SID or by name", () => {
    expect(validateUpdateStreamRequest({ path: { ...path, Sid: "myStream" }, body: "Status=stopped" }).valid).toBe(true);
    expect(validateUpdateStreamRequest({ body: "Status=in-progress" }).valid).toBe(false);
    expect(validateUpdateStreamRequest({ path: { ...path, Sid: "" }, body: "Status=stopped" }).valid).toBe(false);
  });
});

describe("other checks", () => {
  it("SIDs follow Twilio's patterns exactly", () => {
    expect(isAccountSid("AC0123456789abcdefABCDEF0123456789")).toBe(true);
    expect(isAccountSid("AC0123456789abcdefABCDEF0123456789\n")).toBe(false);
    expect(isAccountSid("ac0123456789abcdefABCDEF0123456789")).toBe(false);
    expect(isAccountSid(42)).toBe(false);
  });

  it("Twilio error bodies", () => {
    expect(
      validateTwilioError({ code: 20404, message: "Not found", more_info: "https://www.twilio.com/docs/errors/20404", status: 404 }).valid,
    ).toBe(true);
    expect(validateTwilioError({ code: "20404", message: "", more_info: "x", status: 200 }).valid).toBe(false);
  });
});

describe("messages", () => {
  it("suggest the right field for a field name in the wrong case", () => {
    const result = validateCreateStreamRequest({
      body: {
        Url: "wss://example.com/media",
        track: "both_tracks",
        statuscallback: "https://x.example",
      },
    });
    expect(result.valid ? [] : result.issues.map((e) => e.message)).toEqual([
      '/body/track must be absent (not a field of this request; field names are case-sensitive: did you mean Track?), got "both_tracks"',
      '/body/statuscallback must be absent (not a field of this request; field names are case-sensitive: did you mean StatusCallback?), got "https://x.example"',
    ]);
  });
});
