/**
 * The server-side rules: every invalid sample the generators make falls under a named rule,
 * every rule a server must follow names its source, and the false alarms are "either".
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalidCreateStreamRequest, invalidUpdateStreamRequest } from "../../src/arbitraries/requests.js";
import { SERVER_RULES, serverDutyFor, serverRuleFor } from "../../src/verify/server-rules.js";

const path = { AccountSid: `AC${"a".repeat(32)}`, CallSid: `CA${"a".repeat(32)}` };
const create = (body: Record<string, string>, at: string, reason: string) =>
  serverRuleFor("CreateStream", { value: { path, body }, path: at, reason });
const stop = (body: Record<string, string>, at: string, reason: string) =>
  serverRuleFor("UpdateStream", { value: { path: { ...path, Sid: "x" }, body }, path: at, reason });

describe("server-side rules", () => {
  it("every rule a server must follow names Twilio's OpenAPI document or an error code", () => {
    for (const rule of Object.values(SERVER_RULES)) {
      if (rule.duty !== "either") expect(rule.source).toMatch(/OpenAPI|error \d{5}/);
    }
  });

  it("unknown, misspelt and lower-case fields may be ignored, as Twilio does; --strict refuses them", () => {
    expect(create({ Url: "wss://a.aa", a: "" }, "/body/a", "unknown field")).toBe("unknownField");
    expect(stop({ Status: "stopped", Url: "" }, "/body/Url", "unknown field")).toBe("unknownField");
    expect(create({ Url: "wss://a.aa", name: "x" }, "/body/name", "lower-case field name")).toBe("unknownField");
    expect(serverDutyFor("unknownField", false)).toBe("either");
    expect(serverDutyFor("unknownField", true)).toBe("refuse");
  });

  it("what Twilio's document refuses must be refused", () => {
    expect(create({}, "/body/Url", "missing Url")).toBe("missingUrl");
    expect(create({ Url: "" }, "/body/Url", "empty")).toBe("missingUrl");
    expect(create({ Url: "wss://a.aa/a z" }, "/body/Url", "character not allowed in a URI")).toBe("notAUri");
    expect(create({ Url: "wss://a.aa", Track: "inbound-track" }, "/body/Track", "- and _ swapped")).toBe("trackNotInEnum");
    expect(create({ Url: "wss://a.aa", StatusCallbackMethod: "PUT" }, "/body/StatusCallbackMethod", "not a value of the enum")).toBe(
      "methodNotInEnum",
    );
    expect(stop({ Status: "completed" }, "/body/Status", "not a value of the enum")).toBe("statusNotInEnum");
    expect(stop({}, "/body/Status", "missing Status")).toBe("missingStatus");
    expect(create({ Url: "wss://a.aa" }, "/path/CallSid", "lower-case prefix")).toBe("malformedPathSid");
    for (const rule of [
      "missingUrl",
      "notAUri",
      "trackNotInEnum",
      "methodNotInEnum",
      "statusNotInEnum",
      "missingStatus",
      "malformedPathSid",
    ] as const) {
      expect(serverDutyFor(rule, false)).toBe("refuse");
    }
  });

  it("other spellings of enum values and non-wss URLs may be taken", () => {
    expect(create({ Url: "wss://a.aa", Track: "INBOUND_TRACK" }, "/body/Track", "upper case")).toBe("enumSpelling");
    expect(stop({ Status: " stopped" }, "/body/Status", "leading whitespace")).toBe("enumSpelling");
    expect(create({ Url: "ws://a.aa" }, "/body/Url", "insecure ws:// scheme")).toBe("urlNotWss");
    expect(create({ Url: "wss://a.aa/é" }, "/body/Url", "non-ASCII character")).toBe("urlNotWss");
    expect(
      create({ Url: "wss://a.aa", StatusCallback: "mailto:ops@example.com" }, "/body/StatusCallback", "not an http(s):// scheme"),
    ).toBe("urlNotWss");
  });

  it("every generated invalid request falls under a rule of its own operation", () => {
    fc.assert(
      fc.property(invalidCreateStreamRequest(), (sample) => {
        const rule = SERVER_RULES[serverRuleFor("CreateStream", sample)];
        expect(rule.operation).not.toBe("UpdateStream");
        expect(rule.duty).not.toBe("accept");
      }),
    );
    fc.assert(
      fc.property(invalidUpdateStreamRequest(), (sample) => {
        const rule = SERVER_RULES[serverRuleFor("UpdateStream", sample)];
        expect(rule.operation).not.toBe("CreateStream");
        expect(rule.duty).not.toBe("accept");
      }),
    );
  });
});
