import { describe, expect, it } from "vitest";
import { formatRfc2822DateTime, isRfc2822DateTime, parseRfc2822DateTime } from "../../src/validators/formats/rfc2822.js";

describe("RFC 2822 section 3.3 (strict)", () => {
  it.each([
    "Thu, 30 Jul 2015 20:00:00 +0000",
    "30 Jul 2015 20:00:00 +0000",
    "Thu, 30 Jul 2015 20:00 +0000",
    "thu, 30 JUL 2015 20:00:00 +0000",
    "Sat, 1 Jan 2000 00:00:60 -0000",
    "Tue, 29 Feb 2000 23:59:59 +9959",
    "Thu,30 Jul 2015 20:00:00 +0000",
    "  Thu,  30\tJul  2015   20:00:00   +0000  ",
    "Thu, 30 Jul 2015 20:00:00 +0000 (UTC)",
    "Mon, 01 Jan 1900 00:00:00 +0000",
  ])("accepts %j", (text) => {
    expect(isRfc2822DateTime(text)).toBe(true);
  });

  it.each([
    ["wrong weekday", "Fri, 30 Jul 2015 20:00:00 +0000"],
    ["no such day", "Thu, 31 Jun 2015 20:00:00 +0000"],
    ["not a leap year", "Sun, 29 Feb 1900 00:00:00 +0000"],
    ["hour 24", "Thu, 30 Jul 2015 24:00:00 +0000"],
    ["minute 60", "Thu, 30 Jul 2015 20:60:00 +0000"],
    ["second 61", "Thu, 30 Jul 2015 20:00:61 +0000"],
    ["zone minutes 60", "Thu, 30 Jul 2015 20:00:00 +0060"],
    ["named zone", "Thu, 30 Jul 2015 20:00:00 GMT"],
    ["two-digit year", "Thu, 30 Jul 15 20:00:00 +0000"],
    ["year before 1900", "Sun, 31 Dec 1899 00:00:00 +0000"],
    ["ISO 8601", "2015-07-30T20:00:00Z"],
    ["missing zone", "Thu, 30 Jul 2015 20:00:00"],
    ["space before colon", "Thu, 30 Jul 2015 20 :00:00 +0000"],
    ["three-digit day", "Thu, 030 Jul 2015 20:00:00 +0000"],
    ["five-digit year", "Thu, 30 Jul 02015 20:00:00 +0000"],
    ["comment inside", "Thu, 30 Jul (x) 2015 20:00:00 +0000"],
    ["unclosed comment", "Thu, 30 Jul 2015 20:00:00 +0000 (UTC"],
    ["empty", ""],
  ])("rejects %s", (_why, text) => {
    expect(isRfc2822DateTime(text)).toBe(false);
  });

  it("denotes the right instant, zone included", () => {
    expect(parseRfc2822DateTime("Thu, 30 Jul 2015 22:30:00 +0230")?.toISOString()).toBe("2015-07-30T20:00:00.000Z");
  });

  it("formats as Twilio does", () => {
    expect(formatRfc2822DateTime(new Date("2015-07-05T08:09:10Z"))).toBe("Sun, 05 Jul 2015 08:09:10 +0000");
    expect(() => formatRfc2822DateTime(new Date("1800-01-01T00:00:00Z"))).toThrow(RangeError);
  });
});

describe("RFC 2822 section 4.3 (obsolete, what a client accepts)", () => {
  const obsolete = { obsolete: true };
  it.each([
    ["GMT", "Thu, 30 Jul 2015 20:00:00 GMT", "2015-07-30T20:00:00.000Z"],
    ["EST", "Thu, 30 Jul 2015 15:00:00 EST", "2015-07-30T20:00:00.000Z"],
    ["military", "Thu, 30 Jul 2015 20:00:00 Z", "2015-07-30T20:00:00.000Z"],
    ["two-digit year", "Thu, 30 Jul 15 20:00:00 +0000", "2015-07-30T20:00:00.000Z"],
    ["two-digit year 99", "Fri, 31 Dec 99 00:00:00 +0000", "1999-12-31T00:00:00.000Z"],
    ["comments", "Thu (day), 30 Jul (month (nested)) 2015 20 : 00 : 00 +0000 (UTC)", "2015-07-30T20:00:00.000Z"],
  ])("accepts %s", (_why, text, iso) => {
    expect(parseRfc2822DateTime(text, obsolete)?.toISOString()).toBe(iso);
  });

  it("still checks the weekday and the date", () => {
    expect(isRfc2822DateTime("Fri, 30 Jul 15 20:00:00 GMT", obsolete)).toBe(false);
    expect(isRfc2822DateTime("Thu, 30 Jul 2015 20:00:00 J", obsolete)).toBe(false);
  });
});

describe("linear time on hostile input", () => {
  // Not a timing assertion: the input would take astronomically long to a backtracking parser.
  it.each([
    "(".repeat(200_000),
    `Thu, 30 Jul 2015 20:00:00 +0000 ${"(".repeat(100_000)}${")".repeat(99_999)}`,
    " ".repeat(200_000),
    `Thu, 30 Jul 2015 20:00:00 +0000${" ".repeat(200_000)}x`,
  ])("returns on input %#", (text) => {
    expect(isRfc2822DateTime(text, { obsolete: true })).toBe(false);
    expect(isRfc2822DateTime(text)).toBe(false);
  });
});
