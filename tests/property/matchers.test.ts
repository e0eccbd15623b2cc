/**
 * Each Pact matcher of the contract accepts what the schema accepts, on generated samples.
 *
 * A regex matcher is evaluated here with JavaScript's engine; the Pact verifier (Rust) matches
 * the whole value, as `^…$` does here. SID and enum matchers agree with the schema exactly.
 * The date-time and URL matchers check the shape only, so for them the inclusion is one-way:
 * every schema-valid value matches, and every invalid one whose fault is of shape is refused;
 * faults of value (a wrong weekday, 31 Feb, hour 25, non-ASCII in a URL …) are left to the
 * schema check that `verify` runs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import common from "../../schemas/common.schema.json" with { type: "json" };
import * as arb from "../../src/arbitraries/index.js";
import { basicAuthorization, INTERACTIONS } from "../../src/contract/interactions.js";
import {
  BASIC_AUTHORIZATION_PATTERN,
  ENUM_PATTERN,
  enumPattern,
  HTTP_URL_PATTERN,
  isMatcher,
  RFC2822_DATE_TIME_PATTERN,
  SID_PATTERN,
  WSS_URL_PATTERN,
} from "../../src/contract/matchers.js";
import { isAccountSid, isCallSid, isRfc2822DateTime, isStreamSid, validateStream } from "../../src/index.js";
import { isHttpUrl, isWssUrl } from "../../src/validators/formats/url.js";

const matches = (pattern: string, value: string): boolean => new RegExp(pattern).test(value);

describe("SID matchers agree with the schema exactly", () => {
  const kinds = [
    ["account", isAccountSid],
    ["call", isCallSid],
    ["stream", isStreamSid],
  ] as const;
  for (const [kind, schemaAccepts] of kinds) {
    it(`${kind} SIDs: valid samples match`, () => {
      fc.assert(fc.property(arb.sid(kind), (sid) => matches(SID_PATTERN[kind], sid) && schemaAccepts(sid)));
    });
    it(`${kind} SIDs: invalid samples do not match`, () => {
      fc.assert(
        fc.property(arb.invalidSid(kind), ({ value, reason }) => {
          expect(schemaAccepts(value), reason).toBe(false);
          expect(matches(SID_PATTERN[kind], value), reason).toBe(false);
        }),
      );
    });
    it(`${kind} SIDs: any string matches exactly when the schema accepts it`, () => {
      const nearSid = fc.oneof(
        fc.string(),
        arb.sid(kind),
        arb.invalidSid(kind).map((s) => s.value),
      );
      fc.assert(fc.property(nearSid, (text) => matches(SID_PATTERN[kind], text) === schemaAccepts(text)));
    });
  }
});

it("enumPattern matches exactly its values, whatever characters they hold", () => {
  const values = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 });
  fc.assert(
    fc.property(values, fc.string({ maxLength: 8 }), (list, other) => {
      const pattern = enumPattern(list);
      for (const value of list) expect(matches(pattern, value), value).toBe(true);
      expect(matches(pattern, other)).toBe(list.includes(other));
    }),
  );
});

describe("enum matchers agree with the schema's enums exactly", () => {
  const enums = [
    ["streamStatus", common.$defs.streamStatus.enum, arb.streamStatus(), arb.invalidStreamStatus()],
    ["updateStatus", common.$defs.updateStatus.enum, arb.updateStatus(), arb.invalidUpdateStatus()],
    ["track", common.$defs.track.enum, arb.track(), arb.invalidTrack()],
    ["httpMethod", common.$defs.httpMethod.enum, arb.statusCallbackMethod(), arb.invalidStatusCallbackMethod()],
  ] as const;
  for (const [name, values, valid, invalid] of enums) {
    it(`${name}: valid and invalid samples, and any string`, () => {
      const pattern = ENUM_PATTERN[name];
      fc.assert(fc.property(valid, (value: string) => matches(pattern, value)));
      fc.assert(
        fc.property(invalid, ({ value, reason }) => {
          expect(matches(pattern, String(value)), reason).toBe(false);
        }),
      );
      const text = fc.oneof(
        fc.constantFrom(...values),
        fc.string(),
        fc.constantFrom(...values).map((v) => `${v}\n`),
      );
      fc.assert(fc.property(text, (value) => matches(pattern, value) === (values as readonly string[]).includes(value)));
    });
  }
});

/** Faults of value in a date-time: the shape is right, the schema's date rule refuses it. */
const DATE_VALUE_FAULTS = new Set([
  "wrong weekday",
  "31st of a 30-day month",
  "29 Feb in a non-leap year",
  "day past the end of the month",
  "day 00",
  "hour out of range",
  "minute out of range",
  "second out of range",
  "zone minutes out of range",
  "year before 1900",
]);

describe("the RFC 2822 date-time matcher (shape only: one-way)", () => {
  it("matches every date-time the schema accepts, in every section 3.3 layout", () => {
    fc.assert(
      fc.property(fc.oneof(arb.rfc2822DateTime(), arb.rfc2822DateTime({ syntax: "twilio" })), (text) => {
        expect(isRfc2822DateTime(text)).toBe(true);
        expect(matches(RFC2822_DATE_TIME_PATTERN, text), text).toBe(true);
      }),
    );
  });

  it("refuses every invalid date-time whose fault is of shape; the schema refuses all", () => {
    fc.assert(
      fc.property(arb.invalidRfc2822DateTime(), ({ value, reason }) => {
        expect(isRfc2822DateTime(value), reason).toBe(false);
        if (!DATE_VALUE_FAULTS.has(reason))
          expect(matches(RFC2822_DATE_TIME_PATTERN, value), `${reason}: ${JSON.stringify(value)}`).toBe(false);
      }),
    );
  });

  it("is knowingly weaker: it matches a wrong weekday and 31 Feb, which the schema refuses", () => {
    for (const text of ["Fri, 30 Jul 2015 20:00:00 +0000", "31 Feb 2015 20:00:00 +0000", "Thu, 30 Jul 2015 29:00:00 +0000"]) {
      expect(matches(RFC2822_DATE_TIME_PATTERN, text)).toBe(true);
      expect(isRfc2822DateTime(text)).toBe(false);
    }
  });
});

describe("URL matchers (shape only: one-way)", () => {
  it("wss-url: every valid Media Stream Url matches; wrong schemes and fragments do not", () => {
    fc.assert(fc.property(arb.mediaStreamUrl(), (url) => isWssUrl(url) && matches(WSS_URL_PATTERN, url)));
    const shapeFaults = new Set(["insecure ws:// scheme", "not a wss:// scheme", "fragment in a WebSocket URL"]);
    fc.assert(
      fc.property(arb.invalidMediaStreamUrl(), ({ value, reason }) => {
        expect(isWssUrl(value), reason).toBe(false);
        if (shapeFaults.has(reason)) expect(matches(WSS_URL_PATTERN, value), `${reason}: ${value}`).toBe(false);
      }),
    );
  });

  it("http-url: every valid callback URL matches; other schemes do not", () => {
    fc.assert(fc.property(arb.callbackUrl(), (url) => isHttpUrl(url) && matches(HTTP_URL_PATTERN, url)));
    fc.assert(
      fc.property(arb.invalidCallbackUrl(), ({ value, reason }) => {
        expect(isHttpUrl(value), reason).toBe(false);
        if (reason === "not an http(s):// scheme") expect(matches(HTTP_URL_PATTERN, value), value).toBe(false);
      }),
    );
  });
});

describe("the Stream body matchers of the contract", () => {
  // The regex matchers of the Stream the contract's first interaction answers with.
  const body = INTERACTIONS[0]!.response.body as Record<string, unknown>;
  const fieldPatterns = Object.entries(body).flatMap(([field, template]) =>
    isMatcher(template) && template["pact:matcher:type"] === "regex" ? [[field, template.regex] as const] : [],
  );

  it("cover the SIDs, the date and the uri", () => {
    expect(fieldPatterns.map(([field]) => field).sort()).toEqual(["account_sid", "call_sid", "date_updated", "sid", "uri"]);
  });

  it("match every field of every valid Stream (null fields aside: see docs/pact.md)", () => {
    fc.assert(
      fc.property(arb.stream({ shape: "schema" }), (resource) => {
        expect(validateStream(resource).valid).toBe(true);
        const record = resource as unknown as Record<string, unknown>;
        for (const [field, pattern] of fieldPatterns) {
          const value = record[field];
          if (value !== null) expect(matches(pattern, String(value)), `${field}: ${String(value)}`).toBe(true);
        }
      }),
    );
  });

  it("refuse a broken SID or uri, and a date-time broken in its shape", () => {
    fc.assert(
      fc.property(arb.invalidStream(), ({ value, reason, path }) => {
        const field = path.slice(1);
        const pattern = fieldPatterns.find(([name]) => name === field)?.[1];
        const broken = value[field];
        if (pattern === undefined || typeof broken !== "string" || DATE_VALUE_FAULTS.has(reason)) return;
        expect(matches(pattern, broken), `${path} ${reason}: ${broken}`).toBe(false);
      }),
    );
  });
});

describe("the Authorization matcher", () => {
  it("matches the Basic credentials of any user and password", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (user, password) => matches(BASIC_AUTHORIZATION_PATTERN, basicAuthorization(user, password))),
    );
  });

  it("refuses other schemes and malformed tokens", () => {
    for (const header of ["Bearer abc", "basic QUM6eA==", "Basic", "Basic QUM6eA==\n", "Basic QU M6", "Basic QUM6eA==="]) {
      expect(matches(BASIC_AUTHORIZATION_PATTERN, header), header).toBe(false);
    }
  });
});
