/**
 * The benchmark's baseline (bench/hand-written-stream.mjs) checks the same rules as
 * validateStream: the same verdict and the same broken fields on valid, invalid and any other
 * Streams, and the same date language as isRfc2822DateTime. Otherwise the bench's ratios would
 * compare different work.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { handCheckStream, isRfc2822 } from "../../bench/hand-written-stream.mjs";
import { invalidRfc2822DateTime, invalidStream, rfc2822DateTime, stream } from "../../src/arbitraries/index.js";
import { isRfc2822DateTime, validateStream } from "../../src/index.js";

/** The distinct paths of the issues, sorted; [] when valid. */
function brokenPaths(issues: readonly { path: string }[] | null): string[] {
  return [...new Set((issues ?? []).map((i) => i.path))].sort();
}

function expectAgreement(value: unknown): void {
  const result = validateStream(value);
  expect(brokenPaths(handCheckStream(value))).toEqual(brokenPaths(result.valid ? null : result.issues));
}

const dateLike = fc.stringMatching(
  /^[ \t]?(?:(?:Sun|Mon|Thu|sat|Fri),[ \t]?)?\d{1,3}[ \t]{1,2}(?:Jan|feb|Jul|Dec|Xyz)[ \t]\d{2,5}[ \t]\d\d:\d\d(?::\d\d)?[ \t][+-]\d{4,5}(?:[ \t]?\((?:[a-z\\()]|\\.)*\))?[ \t]?$/,
);

// Twilio's 31-character form with any names and digits in place (isRfc2822DateTime's fast path).
const canonicalLike = fc.stringMatching(
  /^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat|sUN|Xyz|1 J), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|dEC|Xyz) \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/,
);

describe("the hand-written baseline agrees with validateStream", () => {
  test.prop([stream()])("on valid Streams", expectAgreement);
  test.prop([invalidStream().map((sample) => sample.value)])("on invalid Streams", expectAgreement);
  test.prop([stream(), fc.constantFrom("sid", "account_sid", "call_sid", "name", "status", "date_updated", "uri"), fc.anything()])(
    "on Streams with any field replaced by anything",
    (value, field, replacement) => expectAgreement({ ...value, [field]: replacement }),
  );
  test.prop([fc.anything()])("on anything", expectAgreement);
});

describe("the hand-written date check agrees with isRfc2822DateTime", () => {
  test.prop([
    fc.oneof(
      rfc2822DateTime({ syntax: "strict" }),
      rfc2822DateTime({ syntax: "obsolete" }),
      invalidRfc2822DateTime().map((s) => String(s.value)),
      dateLike,
      canonicalLike,
      fc.string(),
    ),
  ])("on valid, obsolete, invalid, date-like, Twilio-form-like and arbitrary text", (text) => {
    expect(isRfc2822(text)).toBe(isRfc2822DateTime(text));
  });
});
