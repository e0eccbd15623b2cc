/**
 * A differential check of the strict RFC 2822 parser against an independent reference: the
 * section 3.3 grammar as one anchored regular expression (comments left out, so that it stays
 * regular) plus the calendar rules, both run on near misses — valid date-times with one to
 * three characters inserted, replaced or deleted.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { rfc2822DateTime } from "../../src/arbitraries/index.js";
import { isRfc2822DateTime, parseRfc2822DateTime } from "../../src/index.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// [FWS] [day-name "," [FWS]] 1*2DIGIT FWS month FWS 4DIGIT FWS 2DIGIT ":" 2DIGIT [":" 2DIGIT] FWS zone [FWS]
// Each quantified run is followed by a character it cannot match: linear time.
const GRAMMAR = new RegExp(
  `^[ \\t]*(?:(${DAYS.join("|")}),[ \\t]*)?(\\d{1,2})[ \\t]+(${MONTHS.join("|")})[ \\t]+(\\d{4})[ \\t]+` +
    `(\\d{2}):(\\d{2})(?::(\\d{2}))?[ \\t]+([+-])(\\d{2})(\\d{2})[ \\t]*$`,
  "i",
);

/** The reference: milliseconds since the epoch, or undefined. */
function reference(text: string): number | undefined {
  const m = GRAMMAR.exec(text);
  if (m === null) return undefined;
  const [, dayName, day, monthName, year, hour, minute, second, sign, zoneHours, zoneMinutes] = m;
  const monthIndex = MONTHS.findIndex((name) => name.toLowerCase() === monthName!.toLowerCase());
  const [y, d, h, min, s, zm] = [year, day, hour, minute, second ?? "0", zoneMinutes].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(y, monthIndex, d));
  const exists = date.getUTCMonth() === monthIndex && date.getUTCDate() === d;
  if (y < 1900 || !exists || h > 23 || min > 59 || s > 60 || zm > 59) return undefined;
  if (dayName !== undefined && DAYS[date.getUTCDay()]!.toLowerCase() !== dayName.toLowerCase()) return undefined;
  const offset = (sign === "-" ? -1 : 1) * (Number(zoneHours) * 60 + zm);
  return Date.UTC(y, monthIndex, d, h, min) + (s - offset * 60) * 1000;
}

/** One edit of a string: insert, replace or delete one character at a position. */
const EDIT_CHARACTERS = [..." \t\n0123456789:+-,JanFebMonThuSepGMTZx."];
const edit = fc.record({
  kind: fc.constantFrom("insert", "replace", "delete"),
  at: fc.nat(),
  character: fc.constantFrom(...EDIT_CHARACTERS),
});

function applyEdits(text: string, edits: readonly { kind: string; at: number; character: string }[]): string {
  let result = text;
  for (const { kind, at, character } of edits) {
    const i = at % (result.length + 1);
    if (kind === "insert") result = result.slice(0, i) + character + result.slice(i);
    else if (kind === "replace") result = result.slice(0, i) + character + result.slice(i + 1);
    else result = result.slice(0, i) + result.slice(i + 1);
  }
  return result;
}

// Comments are not regular; the reference leaves them out, and so do these samples.
const withoutComment = rfc2822DateTime().filter((text) => !text.includes("("));

test.prop([withoutComment])("the reference accepts every generated date-time as the same instant", (text) => {
  expect(reference(text)).toBe(parseRfc2822DateTime(text)?.getTime());
});

test.prop([withoutComment, fc.array(edit, { minLength: 1, maxLength: 3 })])("parser and reference agree on near misses", (text, edits) => {
  const mutated = applyEdits(text, edits);
  expect({ mutated, instant: parseRfc2822DateTime(mutated)?.getTime() }).toEqual({ mutated, instant: reference(mutated) });
  expect(isRfc2822DateTime(mutated)).toBe(reference(mutated) !== undefined);
});
