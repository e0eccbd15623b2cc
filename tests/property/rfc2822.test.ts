/**
 * RFC 2822 date-times: formatting round-trips, every valid form denotes the instant it was
 * built from, and the strict syntax is a subset of the obsolete one.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { invalidRfc2822DateTime, rfc2822DateTime, rfc2822DateTimeWithInstant } from "../../src/arbitraries/index.js";
import { formatRfc2822DateTime, isRfc2822DateTime, parseRfc2822DateTime } from "../../src/index.js";

const FIRST = new Date(Date.UTC(1900, 0, 1));
const LAST = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
const anyDate = fc.date({ min: FIRST, max: LAST, noInvalidDate: true });

describe("formatRfc2822DateTime", () => {
  test.prop([anyDate])("any Date from 1900 to 9999 round-trips to the second", (date) => {
    const text = formatRfc2822DateTime(date);
    expect(parseRfc2822DateTime(text)?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
    expect(parseRfc2822DateTime(text, { obsolete: true })?.getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
  });

  test.prop([rfc2822DateTime({ syntax: "twilio" })])("Twilio's form is a fixed point of parse then format", (text) => {
    expect(formatRfc2822DateTime(parseRfc2822DateTime(text)!)).toBe(text);
  });

  test.prop([rfc2822DateTimeWithInstant()])("every section 3.3 form formats back to Twilio's form of its instant", ({ text, instant }) => {
    const parsed = parseRfc2822DateTime(text);
    // Zones may move an instant of 1900-01-01 to 1899; Twilio's form is only for 1900–9999 in UTC.
    if (parsed === undefined || parsed.getUTCFullYear() < 1900 || parsed.getUTCFullYear() > 9999) return;
    expect(formatRfc2822DateTime(parsed)).toBe(formatRfc2822DateTime(instant));
  });

  test.prop([
    fc.oneof(fc.date({ max: new Date(Date.UTC(1899, 11, 31, 23, 59, 59, 999)) }), fc.date({ min: new Date(Date.UTC(10000, 0, 1)) })),
  ])("refuses dates outside 1900–9999 and invalid Dates", (date) => {
    expect(() => formatRfc2822DateTime(date)).toThrow(RangeError);
  });
});

describe("parseRfc2822DateTime", () => {
  test.prop([rfc2822DateTimeWithInstant({ syntax: "strict" })])(
    "reads every section 3.3 form as the instant it was built from",
    ({ text, instant }) => {
      expect(parseRfc2822DateTime(text)?.toISOString()).toBe(instant.toISOString());
    },
  );

  test.prop([rfc2822DateTimeWithInstant({ syntax: "obsolete" })])(
    "reads every section 4.3 form as the instant it was built from",
    ({ text, instant }) => {
      expect(parseRfc2822DateTime(text, { obsolete: true })?.toISOString()).toBe(instant.toISOString());
    },
  );
});

describe("strict ⊂ obsolete", () => {
  test.prop([rfc2822DateTime({ syntax: "strict" })])(
    "what the strict check accepts, the obsolete one accepts as the same instant",
    (text) => {
      expect(parseRfc2822DateTime(text, { obsolete: true })?.getTime()).toBe(parseRfc2822DateTime(text)?.getTime());
    },
  );

  test.prop([
    fc.oneof(
      invalidRfc2822DateTime(),
      rfc2822DateTime({ syntax: "obsolete" }).map((value) => ({ value })),
    ),
  ])("on any sample, strict acceptance implies obsolete acceptance", ({ value }) => {
    if (isRfc2822DateTime(value)) expect(isRfc2822DateTime(value, { obsolete: true })).toBe(true);
  });

  test.prop([invalidRfc2822DateTime()])("the strict-only invalid samples are exactly the obsolete forms", (sample) => {
    const obsoleteOnly = sample.reason.endsWith("(obsolete syntax)");
    expect(isRfc2822DateTime(sample.value, { obsolete: true })).toBe(obsoleteOnly);
  });
});
