/**
 * RFC 2822 date-times: the `date-time-rfc-2822` format of Twilio's API.
 *
 * Section 3.3, the syntax a server must generate (and the schema's format):
 *
 *     date-time   = [ day-of-week "," ] date FWS time [CFWS]
 *     day-of-week = ([FWS] day-name)
 *     day-name    = "Mon" / "Tue" / "Wed" / "Thu" / "Fri" / "Sat" / "Sun"
 *     date        = day month year
 *     day         = ([FWS] 1*2DIGIT)
 *     month       = (FWS month-name FWS)
 *     month-name  = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" /
 *                   "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
 *     year        = 4*DIGIT                  ; here exactly four, 1900 or later
 *     time        = time-of-day FWS zone
 *     time-of-day = hour ":" minute [ ":" second ]   ; 2DIGIT each
 *     zone        = ( "+" / "-" ) 4DIGIT
 *
 * Names are case-insensitive, as every ABNF literal is (RFC 2234 section 2.3). FWS is one or
 * more spaces or tabs: header folding (CRLF) has no meaning inside a JSON string. The date
 * must exist, a given day-of-week must be that date's, hour ≤ 23, minute ≤ 59, second ≤ 60
 * (a leap second), and the zone's minutes ≤ 59.
 *
 * Section 4.3, the obsolete syntax a client should still accept (`{ obsolete: true }`):
 * comments and folding between any two tokens, two- and three-digit years (section 4.3:
 * 00–49 → 2000–2049, 50–999 → 1900 + year), and named zones: UT, GMT, the US zones
 * (EST … PDT) and the military letters, which section 4.3 says to read as -0000.
 *
 * Every function here reads its input once, left to right: linear time on any input.
 */

/** Day names by `Date#getUTCDay()` index. */
export const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** Month names by `Date#getUTCMonth()` index. */
export const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Section 4.3 obs-zone names and their offsets in minutes; military letters are handled apart. */
export const OBSOLETE_ZONES: Readonly<Record<string, number>> = {
  UT: 0,
  GMT: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};

/** Options of the RFC 2822 checks. */
export interface Rfc2822Options {
  /** Also accept the obsolete syntax of RFC 2822 section 4.3 (what a lenient client reads). */
  readonly obsolete?: boolean;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const OPEN = 40; // (
const CLOSE = 41; // )
const BACKSLASH = 92;

/** Whether `year` is a leap year in the Gregorian calendar. */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Number of days of month `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Parses an RFC 2822 date-time.
 * @returns the instant it denotes, or `undefined` when the text is not one.
 * @public
 */
export function parseRfc2822DateTime(text: string, options?: Rfc2822Options): Date | undefined {
  if (typeof text !== "string" || !readDateTime(text, wantsObsolete(options))) return undefined;
  return new Date(((read.days * 24 * 60 + read.minutes) * 60 + read.second) * 1000);
}

/**
 * Whether `value` is an RFC 2822 section 3.3 date-time (or section 4.3 with `{ obsolete: true }`).
 * @public
 */
export function isRfc2822DateTime(value: unknown, options?: Rfc2822Options): value is string {
  return typeof value === "string" && readDateTime(value, wantsObsolete(options));
}

/** Whether `options` ask for the obsolete syntax; options that cannot be read ask for nothing. */
function wantsObsolete(options: Rfc2822Options | undefined): boolean {
  if (options === undefined) return false;
  try {
    return options.obsolete === true;
  } catch {
    return false;
  }
}

/** The `date-time-rfc-2822` format as ajv calls it: strict section 3.3. */
export function checkRfc2822DateTime(value: string): boolean {
  return readDateTime(value, false);
}

/**
 * Formats a `Date` the way Twilio writes `date_updated`: `Thu, 30 Jul 2015 20:00:00 +0000` (UTC).
 * @throws RangeError for an invalid Date or a year outside 1900–9999.
 * @public
 */
export function formatRfc2822DateTime(date: Date): string {
  // A fresh Date of the same instant: whatever was given (a Proxy, a Date with its own methods)
  // is read once, by the one method that cannot be overridden on it.
  const utc = new Date(timeOf(date));
  const year = utc.getUTCFullYear();
  if (Number.isNaN(year) || year < 1900 || year > 9999) {
    throw new RangeError(
      `an RFC 2822 date-time needs a valid date in the years 1900–9999, got ${Number.isNaN(year) ? "no valid Date" : utc.toISOString()}`,
    );
  }
  return (
    `${DAY_NAMES[utc.getUTCDay()]}, ${pad2(utc.getUTCDate())} ${MONTH_NAMES[utc.getUTCMonth()]} ${year} ` +
    `${pad2(utc.getUTCHours())}:${pad2(utc.getUTCMinutes())}:${pad2(utc.getUTCSeconds())} +0000`
  );
}

/** The time value of a Date, or NaN for anything else (which `Date.prototype.getTime` refuses). */
function timeOf(date: unknown): number {
  try {
    return Date.prototype.getTime.call(date);
  } catch {
    return NaN;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// The names in lower case, three letters packed into one number and compared in one go. Only
// ASCII letters can match, since no other character lower-cases to one of theirs (U+0130 "İ"
// becomes two characters), so an ASCII fold is exactly `toLowerCase`, without allocating.
const packName = (a: number, b: number, c: number): number => (a << 16) | (b << 8) | c;
const packKeys = (names: readonly string[]): readonly number[] =>
  names.map((name) => packName(name.charCodeAt(0) | 32, name.charCodeAt(1) | 32, name.charCodeAt(2) | 32));
const DAY_KEYS = packKeys(DAY_NAMES);
const MONTH_KEYS = packKeys(MONTH_NAMES);

/** Index of the three-letter name at `text[at]` in `keys` (packed, lower case), case-insensitively, or -1. */
function nameAt(text: string, at: number, keys: readonly number[]): number {
  // `| 32` lower-cases an ASCII letter and maps nothing else onto a lower-case letter; past the
  // end, charCodeAt is NaN and `NaN | 32` is 32, which no name contains.
  const key = packName(text.charCodeAt(at) | 32, text.charCodeAt(at + 1) | 32, text.charCodeAt(at + 2) | 32);
  // A loop the compiler inlines, where `indexOf` is a call into the runtime's generic search.
  for (let index = 0; index < keys.length; index++) if (keys[index] === key) return index;
  return -1;
}

/** The end of the run of at most `max` digits starting at `from`. */
function digitsEnd(text: string, from: number, max: number): number {
  let i = from;
  while (i - from < max && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** The value of the two digits at `at` (2DIGIT), or -1. */
function twoDigitsAt(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const units = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/** The value of the digits `text[from..to)`. */
function numberAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/**
 * FWS (spaces, tabs) from `i` — and, in the obsolete syntax, folding; comments where
 * `allowComment`. Returns the index after it, or -1 for a malformed comment.
 */
function skipSpace(text: string, i: number, obsolete: boolean, allowComment: boolean): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB) i++;
    else if (obsolete && c === CR && text.charCodeAt(i + 1) === LF && isWsp(text.charCodeAt(i + 2))) i += 3;
    else if (allowComment && c === OPEN) {
      i = skipComment(text, i, obsolete);
      if (i < 0) return -1;
    } else break;
  }
  return i;
}

/** Between tokens: FWS in section 3.3, CFWS in section 4.3. */
function gap(text: string, i: number, obsolete: boolean): number {
  if (obsolete) return skipSpace(text, i, true, true);
  while (isWsp(text.charCodeAt(i))) i++;
  return i;
}

/** Where section 3.3 allows nothing (around ":", before ","), section 4.3 allows CFWS. */
function obsoleteGap(text: string, i: number, obsolete: boolean): number {
  return obsolete ? skipSpace(text, i, true, true) : i;
}

/** Days from 1970-01-01 to the given Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * What `readDateTime` read last: whole numbers only, so a check allocates nothing (a returned
 * millisecond count above 2^31 would be a heap number).
 */
const read = {
  /** Days since 1970-01-01 of the date as written. */
  days: 0,
  /** Minutes of the time of day, the zone's offset taken off (may be negative or over a day). */
  minutes: 0,
  second: 0,
};

/**
 * Whether `text` is a date-time; if so, its instant is left in `read`. A single pass: `i` only
 * moves forward and every loop consumes at least one character. A helper returning -1 (a
 * malformed comment) makes every following check fail.
 */
function readDateTime(text: string, obsolete: boolean): boolean {
  if (text.length === CANONICAL_LENGTH) {
    const canonical = readCanonical(text);
    if (canonical !== NOT_CANONICAL) return canonical === VALID;
  }
  let i = gap(text, 0, obsolete);
  if (i < 0) return false;
  let dayOfWeek = -1;
  if (isAlpha(text.charCodeAt(i))) {
    dayOfWeek = nameAt(text, i, DAY_KEYS);
    if (dayOfWeek < 0) return false;
    i = obsoleteGap(text, i + 3, obsolete);
    if (i < 0 || text.charCodeAt(i) !== 44 /* , */) return false;
    i = gap(text, i + 1, obsolete);
    if (i < 0) return false;
  }

  let from = i;
  i = digitsEnd(text, from, 2);
  if (i === from) return false;
  const day = numberAt(text, from, i);
  from = i;
  i = gap(text, from, obsolete);
  if (i - from < 1) return false;

  const monthIndex = nameAt(text, i, MONTH_KEYS);
  if (monthIndex < 0) return false;
  from = i + 3;
  i = gap(text, from, obsolete);
  if (i - from < 1) return false;

  from = i;
  i = digitsEnd(text, from, 4);
  const yearDigits = i - from;
  let year = numberAt(text, from, i);
  if (yearDigits === 4) {
    // section 3.3
  } else if (obsolete && yearDigits === 2) {
    year += year < 50 ? 2000 : 1900;
  } else if (obsolete && yearDigits === 3) {
    year += 1900;
  } else {
    return false;
  }
  if (isDigit(text.charCodeAt(i))) return false;
  from = i;
  i = gap(text, from, obsolete);
  if (i - from < 1) return false;

  const hour = twoDigitsAt(text, i);
  if (hour < 0) return false;
  i += 2;
  i = obsoleteGap(text, i, obsolete);
  if (i < 0 || text.charCodeAt(i) !== 58 /* : */) return false;
  i = obsoleteGap(text, i + 1, obsolete);
  if (i < 0) return false;
  const minute = twoDigitsAt(text, i);
  if (minute < 0) return false;
  i += 2;
  let second = 0;
  const beforeSecond = i;
  i = obsoleteGap(text, i, obsolete);
  if (i < 0) return false;
  if (text.charCodeAt(i) === 58) {
    i = obsoleteGap(text, i + 1, obsolete);
    if (i < 0) return false;
    second = twoDigitsAt(text, i);
    if (second < 0) return false;
    i += 2;
  } else {
    i = beforeSecond;
  }
  if (isDigit(text.charCodeAt(i))) return false;
  from = i;
  i = gap(text, from, obsolete);
  if (i - from < 1) return false;

  let offset: number;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    const zoneHours = twoDigitsAt(text, i + 1);
    const zoneMinutes = twoDigitsAt(text, i + 3);
    i += 5;
    if (zoneHours < 0 || zoneMinutes < 0 || zoneMinutes > 59 || isDigit(text.charCodeAt(i))) return false;
    offset = (sign === 45 ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  } else if (obsolete && isAlpha(sign)) {
    from = i;
    while (i < text.length && i - from < 4 && isAlpha(text.charCodeAt(i))) i++;
    const zone = text.slice(from, i).toUpperCase();
    const named = OBSOLETE_ZONES[zone];
    if (named !== undefined) offset = named;
    else if (zone.length === 1 && zone !== "J") offset = 0;
    else return false;
  } else {
    return false;
  }

  // [CFWS]: a trailing comment is legal even in section 3.3.
  if (skipSpace(text, i, obsolete, true) !== text.length) return false;

  return settle(year, monthIndex + 1, day, hour, minute, second, offset, dayOfWeek);
}

/**
 * The rules on what was read, whichever way it was read: the date exists, the time of day is
 * one, the day-of-week (-1: none given) is that date's. If so, the instant is left in `read`.
 */
function settle(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offset: number,
  dayOfWeek: number,
): boolean {
  if (year < 1900 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  const days = daysFromCivil(year, month, day);
  // 1 January 1970 was a Thursday (day 4).
  if (dayOfWeek >= 0 && (((days + 4) % 7) + 7) % 7 !== dayOfWeek) return false;
  read.days = days;
  read.minutes = hour * 60 + minute - offset;
  read.second = second;
  return true;
}

/**
 * Twilio's own form, every field at a fixed place — `Thu, 30 Jul 2015 20:00:00 +0000`, 31
 * characters — read without scanning: the form nearly every date checked here has. It is one
 * spelling of the grammar above (day-name "," SP 2DIGIT SP month-name SP 4DIGIT SP 2DIGIT ":"
 * 2DIGIT ":" 2DIGIT SP zone), so the general reader would read it the same; anything else of
 * 31 characters goes to the general reader.
 */
const CANONICAL_LENGTH = 31;
const NOT_CANONICAL = -1;
const INVALID = 0;
const VALID = 1;

function readCanonical(text: string): number {
  if (
    text.charCodeAt(3) !== 44 /* , */ ||
    text.charCodeAt(4) !== SPACE ||
    text.charCodeAt(7) !== SPACE ||
    text.charCodeAt(11) !== SPACE ||
    text.charCodeAt(16) !== SPACE ||
    text.charCodeAt(19) !== 58 /* : */ ||
    text.charCodeAt(22) !== 58 ||
    text.charCodeAt(25) !== SPACE
  ) {
    return NOT_CANONICAL;
  }
  const sign = text.charCodeAt(26);
  const day = twoDigitsAt(text, 5);
  const century = twoDigitsAt(text, 12);
  const yearOfCentury = twoDigitsAt(text, 14);
  const hour = twoDigitsAt(text, 17);
  const minute = twoDigitsAt(text, 20);
  const second = twoDigitsAt(text, 23);
  const zoneHours = twoDigitsAt(text, 27);
  const zoneMinutes = twoDigitsAt(text, 29);
  if (
    (sign !== 43 /* + */ && sign !== 45) /* - */ ||
    (day | century | yearOfCentury | hour | minute | second | zoneHours | zoneMinutes) < 0
  ) {
    return NOT_CANONICAL;
  }
  const dayOfWeek = nameAt(text, 0, DAY_KEYS);
  const monthIndex = nameAt(text, 8, MONTH_KEYS);
  if (dayOfWeek < 0 || monthIndex < 0 || zoneMinutes > 59) return INVALID;
  const offset = (sign === 45 ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  return settle(century * 100 + yearOfCentury, monthIndex + 1, day, hour, minute, second, offset, dayOfWeek) ? VALID : INVALID;
}

function isWsp(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * comment  = "(" *([FWS] ccontent) [FWS] ")"
 * ccontent = ctext / quoted-pair / comment
 * Nesting is counted, not recursed into. Returns the index after the comment, or -1.
 */
function skipComment(text: string, start: number, folding: boolean): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === OPEN) depth++;
    else if (c === CLOSE) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === BACKSLASH) {
      i++;
      const quoted = text.charCodeAt(i);
      if (!(quoted >= 32 && quoted <= 126) && quoted !== TAB) return -1;
    } else if (c === CR) {
      if (!folding || text.charCodeAt(i + 1) !== LF || !isWsp(text.charCodeAt(i + 2))) return -1;
      i += 2;
    } else if (!(c >= 32 && c <= 126) && c !== TAB) {
      return -1;
    }
  }
  return -1;
}
