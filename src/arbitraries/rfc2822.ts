/**
 * RFC 2822 date-times, as `date_updated` carries them. The names, the calendar and the
 * obsolete zones come from src/validators/formats/rfc2822.ts, so generator and parser share
 * one source.
 *
 * Section 3.3, what every valid sample follows (FWS: one or more spaces or tabs):
 *
 *     date-time   = [ day-of-week "," ] date FWS time [CFWS]
 *     day-of-week = ([FWS] day-name)
 *     date        = day month year
 *     day         = ([FWS] 1*2DIGIT)
 *     month       = (FWS month-name FWS)
 *     year        = 4DIGIT                       ; 1900 or later
 *     time        = time-of-day FWS zone
 *     time-of-day = hour ":" minute [ ":" second ]
 *     zone        = ( "+" / "-" ) 4DIGIT         ; minutes of the zone ≤ 59
 *
 * Section 4.3, what the `obsolete` samples add: two- and three-digit years, named zones (UT,
 * GMT, EST … and military letters), comments and folding between tokens, space around ":"
 * and before ",".
 */
import fc from "fast-check";
import {
  DAY_NAMES,
  daysInMonth,
  formatRfc2822DateTime,
  isLeapYear,
  MONTH_NAMES,
  OBSOLETE_ZONES,
  parseRfc2822DateTime,
} from "../validators/formats/rfc2822.js";
import type { InvalidSample } from "./invalid-sample.js";

/**
 * Which date-times to generate.
 * - `"twilio"`: only Twilio's canonical form, `Thu, 30 Jul 2015 20:00:00 +0000`.
 * - `"strict"` (default): every form of section 3.3, the canonical one included.
 * - `"obsolete"`: also the section 4.3 forms a lenient client accepts.
 * @public
 */
export type Rfc2822Syntax = "twilio" | "strict" | "obsolete";

/** Options of {@link rfc2822DateTime} and {@link rfc2822DateTimeWithInstant}. @public */
export interface Rfc2822DateTimeOptions {
  /** Which syntax the samples follow; `"strict"` by default. */
  readonly syntax?: Rfc2822Syntax;
}

/** Options of {@link invalidRfc2822DateTime}. @public */
export interface InvalidRfc2822DateTimeOptions {
  /**
   * `"strict"` (default): samples the strict check refuses, obsolete forms included.
   * `"obsolete"`: only samples that even the lenient `{ obsolete: true }` check refuses.
   */
  readonly syntax?: "strict" | "obsolete";
}

/** A date-time as text and the instant it denotes. @public */
export interface Rfc2822Sample {
  readonly text: string;
  readonly instant: Date;
}

const FIRST_INSTANT = Date.UTC(1900, 0, 1);
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59);

/** Calendar fields as written in the text (local to the zone). */
interface WallClock {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The tokens of a date-time and the white space (or comments) between them. */
interface Pieces {
  leading: string;
  weekday: string | undefined;
  beforeComma: string;
  afterComma: string;
  day: string;
  dayToMonth: string;
  month: string;
  monthToYear: string;
  year: string;
  yearToTime: string;
  hour: string;
  colonGap: string; // around each ":", only in the obsolete syntax
  minute: string;
  second: string | undefined;
  timeToZone: string;
  zone: string;
  trailing: string;
}

function render(p: Pieces): string {
  const weekday = p.weekday === undefined ? "" : `${p.weekday}${p.beforeComma},${p.afterComma}`;
  const colon = `${p.colonGap}:${p.colonGap}`;
  const second = p.second === undefined ? "" : `${colon}${p.second}`;
  return (
    `${p.leading}${weekday}${p.day}${p.dayToMonth}${p.month}${p.monthToYear}${p.year}${p.yearToTime}` +
    `${p.hour}${colon}${p.minute}${second}${p.timeToZone}${p.zone}${p.trailing}`
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function dayOfWeek(w: Pick<WallClock, "year" | "month" | "day">): number {
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
}

/** Wall clocks from `minYear` to `maxYear`, shrinking towards 1 Jan of `minYear`, 00:00:00. */
function wallClock(minYear: number, maxYear: number): fc.Arbitrary<WallClock> {
  return fc
    .date({ min: new Date(Date.UTC(minYear, 0, 1)), max: new Date(Date.UTC(maxYear, 11, 31, 23, 59, 59)), noInvalidDate: true })
    .map((d) => ({
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    }));
}

// FWS = 1*WSP (folding has no place in a JSON string); mostly the single space Twilio writes.
const fws = fc.oneof(
  { weight: 5, arbitrary: fc.constant(" ") },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(" ", "\t"), minLength: 1, maxLength: 3 }) },
);
const optionalFws = fc.oneof({ weight: 3, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fws });

// ctext = printable US-ASCII except "(", ")" and "\"; quoted-pair = "\" (VCHAR / WSP)
const CTEXT = [...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))].filter((c) => !"()\\".includes(c));
const commentText = fc.string({ unit: fc.constantFrom(...CTEXT, " "), maxLength: 12 });
// comment = "(" *([FWS] ccontent) [FWS] ")" ; ccontent = ctext / quoted-pair / comment
const comment = fc.oneof(
  fc.constantFrom("(UTC)", "(Coordinated Universal Time)"),
  commentText.map((t) => `(${t})`),
  fc.tuple(commentText, commentText).map(([outer, inner]) => `(${outer} (${inner}))`),
  fc.tuple(commentText, fc.constantFrom("(", ")", "\\")).map(([t, quoted]) => `(${t}\\${quoted})`),
);
// [CFWS] after the zone.
const trailing = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fws },
  { weight: 1, arbitrary: fc.tuple(optionalFws, comment, optionalFws).map((parts) => parts.join("")) },
);

type NameCase = "title" | "upper" | "lower";
const nameCase = fc.constantFrom<NameCase>("title", "upper", "lower");
function applyCase(name: string, style: NameCase): string {
  return style === "upper" ? name.toUpperCase() : style === "lower" ? name.toLowerCase() : name;
}

/** zone = ( "+" / "-" ) 4DIGIT: hours 00–99, minutes 00–59. */
interface NumericZone {
  readonly text: string;
  readonly offsetMinutes: number;
}
const numericZone: fc.Arbitrary<NumericZone> = fc
  .record({
    sign: fc.constantFrom("+", "-"),
    hours: fc.oneof(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 99 })),
    minutes: fc.oneof(fc.constantFrom(0, 30, 45), fc.integer({ min: 0, max: 59 })),
  })
  .map(({ sign, hours, minutes }) => ({
    text: `${sign}${pad(hours, 2)}${pad(minutes, 2)}`,
    offsetMinutes: (sign === "-" ? -1 : 1) * (hours * 60 + minutes),
  }));

/** How a section 3.3 date-time is laid out, beyond its fields. */
const strictLayout = fc.record({
  weekday: fc.boolean(),
  weekdayCase: nameCase,
  monthCase: nameCase,
  padDay: fc.boolean(),
  withSeconds: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  leapSecond: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  leading: optionalFws,
  afterComma: optionalFws,
  dayToMonth: fws,
  monthToYear: fws,
  yearToTime: fws,
  timeToZone: fws,
  trailing,
});
type StrictLayout = typeof strictLayout extends fc.Arbitrary<infer L> ? L : never;

/** A laid-out date-time: its pieces and the instant they denote. */
interface Drawn {
  readonly pieces: Pieces;
  readonly wall: WallClock;
  readonly offsetMinutes: number;
}

function instantOf(wall: WallClock, offsetMinutes: number): Date {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return new Date(local + (wall.second - offsetMinutes * 60) * 1000);
}

function lay(clock: WallClock, zone: NumericZone, layout: StrictLayout): Drawn {
  const second = !layout.withSeconds ? 0 : layout.leapSecond ? 60 : clock.second;
  const wall = { ...clock, second };
  const pieces: Pieces = {
    leading: layout.leading,
    weekday: layout.weekday ? applyCase(DAY_NAMES[dayOfWeek(wall)]!, layout.weekdayCase) : undefined,
    beforeComma: "",
    afterComma: layout.afterComma,
    day: layout.padDay ? pad(wall.day, 2) : String(wall.day),
    dayToMonth: layout.dayToMonth,
    month: applyCase(MONTH_NAMES[wall.month - 1]!, layout.monthCase),
    monthToYear: layout.monthToYear,
    year: pad(wall.year, 4),
    yearToTime: layout.yearToTime,
    hour: pad(wall.hour, 2),
    colonGap: "",
    minute: pad(wall.minute, 2),
    second: layout.withSeconds ? pad(second, 2) : undefined,
    timeToZone: layout.timeToZone,
    zone: zone.text,
    trailing: layout.trailing,
  };
  return { pieces, wall, offsetMinutes: zone.offsetMinutes };
}

/** Section 3.3 date-times in every layout, wall clocks from `minYear` to `maxYear`. */
function strictDrawn(minYear = 1900, maxYear = 9999): fc.Arbitrary<Drawn> {
  return fc.tuple(wallClock(minYear, maxYear), numericZone, strictLayout).map(([clock, zone, layout]) => lay(clock, zone, layout));
}

function toSample(d: Drawn): Rfc2822Sample {
  return { text: render(d.pieces), instant: instantOf(d.wall, d.offsetMinutes) };
}

// Twilio's form: formatRfc2822DateTime of an instant, to the second. The unmapper lets a
// user-given text shrink too.
const wholeSeconds = fc.date({ min: new Date(FIRST_INSTANT), max: new Date(LAST_INSTANT), noInvalidDate: true }).map(
  (date) => new Date(date.getTime() - date.getUTCMilliseconds()),
  (date) => {
    if (!(date instanceof Date) || date.getUTCMilliseconds() !== 0) throw new Error("not a whole second");
    return date;
  },
);
const twilioText = wholeSeconds.map(formatRfc2822DateTime, (text) => {
  const instant = typeof text === "string" ? parseRfc2822DateTime(text) : undefined;
  if (instant === undefined || formatRfc2822DateTime(instant) !== text) throw new Error("not Twilio's form");
  return instant;
});
// The instant comes from the Date, not from parsing the text: tests compare the two.
const twilioSample: fc.Arbitrary<Rfc2822Sample> = wholeSeconds.map((instant) => ({ text: formatRfc2822DateTime(instant), instant }));

/** A section 4.3 twist on a section 3.3 date-time: the name of the twist and the drawn date. */
interface ObsoleteDrawn {
  readonly feature: string;
  readonly drawn: Drawn;
}

const NAMED_ZONES = Object.keys(OBSOLETE_ZONES);
// obs-zone military letters: "A"–"I", "K"–"Z", read as -0000 (section 4.3).
const MILITARY_ZONES = [..."ABCDEFGHIKLMNOPQRSTUVWXYZ"];

function withPieces(d: Drawn, change: Partial<Pieces>): Drawn {
  return { ...d, pieces: { ...d.pieces, ...change } };
}

/** Forms only section 4.3 allows, each built on a section 3.3 sample. */
const obsoleteDrawn: fc.Arbitrary<ObsoleteDrawn> = fc.oneof(
  // obs-year = 2*DIGIT: 00–49 → 2000–2049, 50–99 → 1950–1999.
  strictDrawn(1950, 2049).map((d) => ({ feature: "two-digit year", drawn: withPieces(d, { year: pad(d.wall.year % 100, 2) }) })),
  // Three digits: 1900 + year.
  strictDrawn(1900, 2899).map((d) => ({ feature: "three-digit year", drawn: withPieces(d, { year: pad(d.wall.year - 1900, 3) }) })),
  fc.tuple(strictDrawn(), fc.constantFrom(...NAMED_ZONES), nameCase).map(([d, zone, style]) => ({
    feature: "named zone",
    drawn: { ...withPieces(d, { zone: applyCase(zone, style) }), offsetMinutes: OBSOLETE_ZONES[zone]! },
  })),
  fc.tuple(strictDrawn(), fc.constantFrom(...MILITARY_ZONES), fc.boolean()).map(([d, letter, lower]) => ({
    feature: "military zone",
    drawn: { ...withPieces(d, { zone: lower ? letter.toLowerCase() : letter }), offsetMinutes: 0 },
  })),
  fc
    .tuple(strictDrawn(), comment, fc.constantFrom<keyof Pieces>("dayToMonth", "monthToYear", "yearToTime", "timeToZone"))
    .map(([d, c, gap]) => ({ feature: "comment between tokens", drawn: withPieces(d, { [gap]: ` ${c} ` }) })),
  fc
    .tuple(
      strictDrawn(),
      fc.constantFrom<keyof Pieces>("dayToMonth", "monthToYear", "yearToTime", "timeToZone"),
      fc.constantFrom(" ", "\t"),
    )
    .map(([d, gap, wsp]) => ({ feature: "folding", drawn: withPieces(d, { [gap]: `\r\n${wsp}` }) })),
  fc.tuple(strictDrawn(), fws).map(([d, space]) => ({ feature: "space around colon", drawn: withPieces(d, { colonGap: space }) })),
  fc.tuple(strictDrawn(), fws).map(([d, space]) => {
    const weekday = DAY_NAMES[dayOfWeek(d.wall)]!;
    return { feature: "space before comma", drawn: withPieces(d, { weekday, beforeComma: space }) };
  }),
);

/**
 * Valid RFC 2822 date-times with the instant each denotes — for checks that a parser reads
 * the right time, not only that it accepts the text.
 * @public
 */
export function rfc2822DateTimeWithInstant(options?: Rfc2822DateTimeOptions): fc.Arbitrary<Rfc2822Sample> {
  const syntax = options?.syntax ?? "strict";
  if (syntax === "twilio") return twilioSample;
  const strict = fc.oneof(twilioSample, strictDrawn().map(toSample));
  if (syntax === "strict") return strict;
  return fc.oneof(
    strict,
    obsoleteDrawn.map((o) => toSample(o.drawn)),
  );
}

/**
 * Valid RFC 2822 date-times: Twilio's canonical form (`Thu, 30 Jul 2015 20:00:00 +0000`) and,
 * unless `syntax` is `"twilio"`, every legal section 3.3 variant — optional weekday, one- or
 * two-digit day, any letter case, optional seconds, leap second 60, numeric zones ±HHMM,
 * extra spaces and tabs, a trailing comment — from 1900 to 9999. With `syntax: "obsolete"`,
 * also section 4.3 forms (two-digit years, GMT, comments between tokens …).
 * @example
 *   fc.assert(fc.property(rfc2822DateTime(), (text) => isRfc2822DateTime(text)));
 * @public
 */
export function rfc2822DateTime(options?: Rfc2822DateTimeOptions): fc.Arbitrary<string> {
  const syntax = options?.syntax ?? "strict";
  if (syntax === "twilio") return twilioText;
  return rfc2822DateTimeWithInstant(options).map((s) => s.text);
}

// ---------------------------------------------------------------------------------------
// Invalid date-times: each breaks one rule of a valid one.

function invalid(reason: string) {
  return (value: string): InvalidSample<string> => ({ value, reason, path: "" });
}

/** A valid date-time's wall clock and a canonical layout, to break one field of. */
const canonical = fc.tuple(wallClock(1900, 9999), numericZone).map(([wall, zone]) =>
  lay(wall, zone, {
    weekday: true,
    weekdayCase: "title",
    monthCase: "title",
    padDay: true,
    withSeconds: true,
    leapSecond: false,
    leading: "",
    afterComma: " ",
    dayToMonth: " ",
    monthToYear: " ",
    yearToTime: " ",
    timeToZone: " ",
    trailing: "",
  }),
);
const noWeekday = canonical.map((d) => withPieces(d, { weekday: undefined }));
const MONTHS_OF_30_DAYS = [4, 6, 9, 11];

/** Invalid under both syntaxes. */
const invalidEverywhere: fc.Arbitrary<InvalidSample<string>> = fc.oneof(
  fc
    .tuple(canonical, fc.integer({ min: 1, max: 6 }))
    .map(([d, shift]) => render({ ...d.pieces, weekday: DAY_NAMES[(dayOfWeek(d.wall) + shift) % 7] }))
    .map(invalid("wrong weekday")),
  fc
    .tuple(noWeekday, fc.constantFrom(...MONTHS_OF_30_DAYS))
    .map(([d, month]) => render({ ...d.pieces, day: "31", month: MONTH_NAMES[month - 1]! }))
    .map(invalid("31st of a 30-day month")),
  noWeekday
    .map((d) => render({ ...d.pieces, day: "29", month: "Feb", year: pad(isLeapYear(d.wall.year) ? d.wall.year + 1 : d.wall.year, 4) }))
    .map(invalid("29 Feb in a non-leap year")),
  fc
    .tuple(noWeekday, fc.integer({ min: 1, max: 68 }))
    .map(([d, past]) => render({ ...d.pieces, day: String(Math.min(99, daysInMonth(d.wall.year, d.wall.month) + past)) }))
    .map(invalid("day past the end of the month")),
  noWeekday.map((d) => render({ ...d.pieces, day: "00" })).map(invalid("day 00")),
  fc
    .tuple(canonical, fc.integer({ min: 24, max: 99 }))
    .map(([d, hour]) => render({ ...d.pieces, hour: String(hour) }))
    .map(invalid("hour out of range")),
  fc
    .tuple(canonical, fc.integer({ min: 60, max: 99 }))
    .map(([d, m]) => render({ ...d.pieces, minute: String(m) }))
    .map(invalid("minute out of range")),
  fc
    .tuple(canonical, fc.integer({ min: 61, max: 99 }))
    .map(([d, s]) => render({ ...d.pieces, second: String(s) }))
    .map(invalid("second out of range")),
  fc
    .tuple(canonical, fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 60, max: 99 }))
    .map(([d, sign, h, m]) => render({ ...d.pieces, zone: `${sign}${pad(h, 2)}${m}` }))
    .map(invalid("zone minutes out of range")),
  canonical.map((d) => render({ ...d.pieces, hour: String(d.wall.hour % 10) })).map(invalid("one-digit hour")),
  fc
    .tuple(noWeekday, fc.integer({ min: 0, max: 1899 }))
    .map(([d, year]) => render({ ...d.pieces, day: "01", year: pad(year, 4) }))
    .map(invalid("year before 1900")),
  fc
    .tuple(noWeekday, fc.integer({ min: 10000, max: 99999 }))
    .map(([d, year]) => render({ ...d.pieces, year: String(year) }))
    .map(invalid("five-digit year")),
  canonical.map((d) => instantOf(d.wall, 0).toISOString()).map(invalid("ISO 8601, not RFC 2822")),
  canonical.map((d) => instantOf(d.wall, 0).toISOString().replace("T", " ").replace(".000Z", "")).map(invalid("ISO 8601 without zone")),
  canonical.map((d) => render({ ...d.pieces, timeToZone: "", zone: "" })).map(invalid("missing zone")),
  canonical.map((d) => render({ ...d.pieces, zone: d.pieces.zone.slice(1) })).map(invalid("zone without sign")),
  canonical
    .map((d) => render({ ...d.pieces, zone: `${d.pieces.zone.slice(0, 3)}:${d.pieces.zone.slice(3)}` }))
    .map(invalid("zone with a colon")),
  canonical.map((d) => render({ ...d.pieces, zone: d.pieces.zone.slice(0, 4) })).map(invalid("three-digit zone")),
  canonical.map((d) => render({ ...d.pieces, zone: `${d.pieces.zone}0` })).map(invalid("five-digit zone")),
  canonical.map((d) => render({ ...d.pieces, zone: "UTC" })).map(invalid("UTC is no RFC 2822 zone")),
  canonical.map((d) => render({ ...d.pieces, minute: "", second: undefined }).replace(/:(?= )/, "")).map(invalid("hour without minutes")),
  canonical.map((d) => render({ ...d.pieces, second: `${d.pieces.second}.000` })).map(invalid("fraction of a second")),
  canonical.map((d) => render({ ...d.pieces, afterComma: " ", beforeComma: "" }).replace(",", "")).map(invalid("weekday without comma")),
  canonical
    .map((d) =>
      render({
        ...d.pieces,
        weekday: new Date(Date.UTC(2024, 0, 7 + dayOfWeek(d.wall))).toLocaleDateString("en-US", { weekday: "long", timeZone: "UTC" }),
      }),
    )
    .map(invalid("full weekday name")),
  canonical
    .map((d) =>
      render({
        ...d.pieces,
        month: new Date(Date.UTC(2024, d.wall.month - 1, 1)).toLocaleDateString("en-US", { month: "long", timeZone: "UTC" }),
      }),
    )
    .filter((text) => !/ May /.test(text))
    .map(invalid("full month name")),
  canonical.map((d) => instantOf(d.wall, 0).toString()).map(invalid("Date#toString, not RFC 2822")),
  fc
    .tuple(canonical, fc.constantFrom("\n", "\r\n", "\r", "x", ".", ";"))
    .map(([d, tail]) => `${render(d.pieces)}${tail}`)
    .map(invalid("trailing character")),
  canonical.map((d) => `${render(d.pieces)} (UTC`).map(invalid("unterminated comment")),
  canonical
    .map((d) => render({ ...d.pieces, day: [...d.pieces.day].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join("") }))
    .map(invalid("full-width digits")),
  fc.constantFrom("", " ", "\t").map(invalid("empty")),
);

/** Valid only under section 4.3: what the strict check must refuse. */
const obsoleteOnly: fc.Arbitrary<InvalidSample<string>> = obsoleteDrawn.map((o) => ({
  value: render(o.drawn.pieces),
  reason: `${o.feature} (obsolete syntax)`,
  path: "",
}));

/**
 * Strings that are not RFC 2822 date-times, each with its reason (path `""`): wrong weekday,
 * impossible dates (31 Jun, 29 Feb of a non-leap year), hour, minute, second or zone minutes
 * out of range, years before 1900, ISO 8601, a missing or malformed zone, trailing characters
 * … and, unless `syntax` is `"obsolete"`, the section 4.3 forms (named zones such as GMT,
 * two-digit years, comments between tokens) that the strict check refuses.
 * @public
 */
export function invalidRfc2822DateTime(options?: InvalidRfc2822DateTimeOptions): fc.Arbitrary<InvalidSample<string>> {
  return options?.syntax === "obsolete" ? invalidEverywhere : fc.oneof(invalidEverywhere, obsoleteOnly);
}
