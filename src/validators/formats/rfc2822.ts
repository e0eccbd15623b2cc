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
  const ms = parseToEpochMs(text, options?.obsolete === true);
  return ms === undefined ? undefined : new Date(ms);
}

/**
 * Whether `value` is an RFC 2822 section 3.3 date-time (or section 4.3 with `{ obsolete: true }`).
 * @public
 */
export function isRfc2822DateTime(value: unknown, options?: Rfc2822Options): value is string {
  return typeof value === "string" && parseToEpochMs(value, options?.obsolete === true) !== undefined;
}

/** The `date-time-rfc-2822` format as ajv calls it: strict section 3.3. */
export function checkRfc2822DateTime(value: string): boolean {
  return parseToEpochMs(value, false) !== undefined;
}

/**
 * Formats a `Date` the way Twilio writes `date_updated`: `Thu, 30 Jul 2015 20:00:00 +0000` (UTC).
 * @throws RangeError for an invalid Date or a year outside 1900–9999.
 * @public
 */
export function formatRfc2822DateTime(date: Date): string {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1900 || year > 9999) {
    throw new RangeError(`an RFC 2822 date-time needs a valid date in the years 1900–9999, got ${String(date)}`);
  }
  return (
    `${DAY_NAMES[date.getUTCDay()]}, ${pad2(date.getUTCDate())} ${MONTH_NAMES[date.getUTCMonth()]} ${year} ` +
    `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())} +0000`
  );
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

/** Index of the three-letter `name` at `text[at]` in `names`, case-insensitively, or -1. */
function nameAt(text: string, at: number, names: readonly string[]): number {
  const word = text.slice(at, at + 3).toLowerCase();
  return names.findIndex((name) => name.toLowerCase() === word);
}

/**
 * The single pass. `i` only moves forward; every loop consumes at least one character.
 * Returns milliseconds since the epoch, or undefined.
 */
function parseToEpochMs(text: string, obsolete: boolean): number | undefined {
  const n = text.length;
  let i = 0;

  // FWS (spaces, tabs) — and, in the obsolete syntax, folding and comments. Returns how many
  // characters were skipped, or -1 for a malformed comment.
  const skipSpace = (allowComment: boolean): number => {
    const start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) i++;
      else if (obsolete && c === CR && text.charCodeAt(i + 1) === LF && isWsp(text.charCodeAt(i + 2))) i += 3;
      else if (allowComment && c === OPEN) {
        i = skipComment(text, i, obsolete);
        if (i < 0) return -1;
      } else break;
    }
    return i - start;
  };
  // Between tokens: FWS in section 3.3, CFWS in section 4.3.
  const gap = (): number => skipSpace(obsolete);
  // Where section 3.3 allows nothing (around ":", before ","), section 4.3 allows CFWS.
  const obsoleteGap = (): number => (obsolete ? skipSpace(true) : 0);
  const digits = (max: number): number => {
    const start = i;
    while (i < n && i - start < max && isDigit(text.charCodeAt(i))) i++;
    return i - start;
  };
  const number = (from: number): number => Number(text.slice(from, i));

  if (gap() < 0) return undefined;
  let dayOfWeek = -1;
  if (isAlpha(text.charCodeAt(i))) {
    dayOfWeek = nameAt(text, i, DAY_NAMES);
    if (dayOfWeek < 0) return undefined;
    i += 3;
    if (obsoleteGap() < 0 || text.charCodeAt(i) !== 44 /* , */) return undefined;
    i++;
    if (gap() < 0) return undefined;
  }

  let from = i;
  if (digits(2) === 0) return undefined;
  const day = number(from);
  if (gap() < 1) return undefined;

  const monthIndex = nameAt(text, i, MONTH_NAMES);
  if (monthIndex < 0) return undefined;
  i += 3;
  if (gap() < 1) return undefined;

  from = i;
  const yearDigits = digits(4);
  let year = number(from);
  if (yearDigits === 4) {
    // section 3.3
  } else if (obsolete && yearDigits === 2) {
    year += year < 50 ? 2000 : 1900;
  } else if (obsolete && yearDigits === 3) {
    year += 1900;
  } else {
    return undefined;
  }
  if (isDigit(text.charCodeAt(i)) || gap() < 1) return undefined;

  from = i;
  if (digits(2) !== 2) return undefined;
  const hour = number(from);
  if (obsoleteGap() < 0 || text.charCodeAt(i) !== 58 /* : */) return undefined;
  i++;
  if (obsoleteGap() < 0) return undefined;
  from = i;
  if (digits(2) !== 2) return undefined;
  const minute = number(from);
  let second = 0;
  const beforeSecond = i;
  if (obsoleteGap() < 0) return undefined;
  if (text.charCodeAt(i) === 58) {
    i++;
    if (obsoleteGap() < 0) return undefined;
    from = i;
    if (digits(2) !== 2) return undefined;
    second = number(from);
  } else {
    i = beforeSecond;
  }
  if (isDigit(text.charCodeAt(i)) || gap() < 1) return undefined;

  let offset: number;
  const sign = text.charCodeAt(i);
  if (sign === 43 /* + */ || sign === 45 /* - */) {
    i++;
    from = i;
    if (digits(4) !== 4 || isDigit(text.charCodeAt(i))) return undefined;
    const hhmm = number(from);
    if (hhmm % 100 > 59) return undefined;
    offset = (sign === 45 ? -1 : 1) * (Math.floor(hhmm / 100) * 60 + (hhmm % 100));
  } else if (obsolete && isAlpha(sign)) {
    from = i;
    while (i < n && i - from < 4 && isAlpha(text.charCodeAt(i))) i++;
    const zone = text.slice(from, i).toUpperCase();
    const named = OBSOLETE_ZONES[zone];
    if (named !== undefined) offset = named;
    else if (zone.length === 1 && zone !== "J") offset = 0;
    else return undefined;
  } else {
    return undefined;
  }

  // [CFWS]: a trailing comment is legal even in section 3.3.
  if (skipSpace(true) < 0 || i !== n) return undefined;

  const month = monthIndex + 1;
  if (year < 1900 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const local = Date.UTC(year, monthIndex, day);
  if (dayOfWeek >= 0 && new Date(local).getUTCDay() !== dayOfWeek) return undefined;
  return local + ((hour * 60 + minute - offset) * 60 + second) * 1000;
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
