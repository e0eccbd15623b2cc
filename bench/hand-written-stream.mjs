// The baseline of bench/validators.bench.mjs: a careful hand-written check of the same rules as
// validateStream (schemas/stream.schema.json), as one would write it without a schema — character
// loops, no regular expression, no Date, no allocation on valid input. On invalid input it reports
// what validateStream reports: for each broken field its path, the rule, what was expected, the
// value received (as JSON, cut to 60 characters) and a sentence of the three.
//
// It is the one place where the rules are written a second time, on purpose: it is what the
// generated validator is measured against. tests/unit/hand-written-baseline.test.ts and the bench
// itself check that it agrees with validateStream (verdict and paths) before anything is timed.

const SID_LENGTH = 34;

// Hexadecimal digits by table (1 for each): faster over the whole check than three range tests
// per character (docs/performance.md). Past 127, HEX[c] is undefined (0 when and-ed):
// not a digit.
const HEX = new Uint8Array(128);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;

/**
 * Whether `s` is two given letters then 32 hexadecimal digits. Four digits a test (their table
 * entries and-ed): faster than one test a digit.
 */
function isSid(s, first, second) {
  if (s.length !== SID_LENGTH || s.charCodeAt(0) !== first || s.charCodeAt(1) !== second) return false;
  for (let i = 2; i < SID_LENGTH; i += 4)
    if ((HEX[s.charCodeAt(i)] & HEX[s.charCodeAt(i + 1)] & HEX[s.charCodeAt(i + 2)] & HEX[s.charCodeAt(i + 3)]) !== 1) return false;
  return true;
}

function isDigit(c) {
  return c >= 48 && c <= 57;
}

function isWsp(c) {
  return c === 32 || c === 9;
}

function skipWsp(s, i) {
  while (isWsp(s.charCodeAt(i))) i++;
  return i;
}

function twoDigits(s, i) {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

// Three letters, lower-cased with `| 32`, packed into one number: a name is compared in one go.
const pack = (a, b, c) => (a << 16) | (b << 8) | c;
const packAt = (s, i) => pack(s.charCodeAt(i) | 32, s.charCodeAt(i + 1) | 32, s.charCodeAt(i + 2) | 32);
const packName = (name) => pack(name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(2));

/** Day of week (0 = Sunday) of the name at `s[i]`, or -1. */
function dayAt(s, i) {
  switch (packAt(s, i)) {
    case SUN:
      return 0;
    case MON:
      return 1;
    case TUE:
      return 2;
    case WED:
      return 3;
    case THU:
      return 4;
    case FRI:
      return 5;
    case SAT:
      return 6;
    default:
      return -1;
  }
}
const [SUN, MON, TUE, WED, THU, FRI, SAT] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].map(packName);

/** Month (1–12) of the name at `s[i]`, or 0. */
function monthAt(s, i) {
  switch (packAt(s, i)) {
    case JAN:
      return 1;
    case FEB:
      return 2;
    case MAR:
      return 3;
    case APR:
      return 4;
    case MAY:
      return 5;
    case JUN:
      return 6;
    case JUL:
      return 7;
    case AUG:
      return 8;
    case SEP:
      return 9;
    case OCT:
      return 10;
    case NOV:
      return 11;
    case DEC:
      return 12;
    default:
      return 0;
  }
}
const [JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC] = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
].map(packName);

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// Sakamoto's day-of-week offsets, by month.
const MONTH_OFFSET = [0, 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];

/** comment = "(" *(ctext / quoted-pair / comment) ")", nesting counted; the index after it, or -1. */
function skipComment(s, i) {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) {
      if (--depth === 0) return i + 1;
    } else if (c === 92) {
      const quoted = s.charCodeAt(++i);
      if (!(quoted >= 32 && quoted <= 126) && quoted !== 9) return -1;
    } else if (!(c >= 32 && c <= 126) && c !== 9) return -1;
  }
  return -1;
}

/** RFC 2822 section 3.3: [day-of-week ","] day month year hour ":" minute [":" second] zone [CFWS]. */
export function isRfc2822(s) {
  let i = skipWsp(s, 0);
  let weekday = -1;
  const first = s.charCodeAt(i) | 32;
  if (first >= 97 && first <= 122) {
    weekday = dayAt(s, i);
    if (weekday < 0 || s.charCodeAt(i + 3) !== 44) return false;
    i = skipWsp(s, i + 4);
  }
  if (!isDigit(s.charCodeAt(i))) return false;
  let day = s.charCodeAt(i++) - 48;
  if (isDigit(s.charCodeAt(i))) day = day * 10 + s.charCodeAt(i++) - 48;
  let next = skipWsp(s, i);
  if (next === i) return false;
  const month = monthAt(s, next);
  if (month === 0) return false;
  i = skipWsp(s, next + 3);
  if (i === next + 3) return false;
  let year = 0;
  for (const end = i + 4; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return false;
    year = year * 10 + c - 48;
  }
  next = skipWsp(s, i);
  if (next === i) return false;
  const hour = twoDigits(s, next);
  const minute = twoDigits(s, next + 3);
  if (hour < 0 || s.charCodeAt(next + 2) !== 58 || minute < 0) return false;
  i = next + 5;
  let second = 0;
  if (s.charCodeAt(i) === 58) {
    second = twoDigits(s, i + 1);
    if (second < 0) return false;
    i += 3;
  }
  next = skipWsp(s, i);
  if (next === i) return false;
  const sign = s.charCodeAt(next);
  if ((sign !== 43 && sign !== 45) || twoDigits(s, next + 1) < 0) return false;
  const zoneMinutes = twoDigits(s, next + 3);
  if (zoneMinutes < 0 || zoneMinutes > 59) return false;
  for (i = next + 5; ;) {
    const c = s.charCodeAt(i);
    if (isWsp(c)) i++;
    else if (c === 40 && (i = skipComment(s, i)) > 0) continue;
    else break;
  }
  if (i !== s.length) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : MONTH_DAYS[month];
  if (year < 1900 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60) return false;
  if (weekday < 0) return true;
  const y = month < 3 ? year - 1 : year;
  return (y + ((y / 4) | 0) - ((y / 100) | 0) + ((y / 400) | 0) + MONTH_OFFSET[month] + day) % 7 === weekday;
}

// ---------------------------------------------------------------------------------------------
// The report on invalid input.

function received(value) {
  const json = value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
  return json.length > 60 ? `${json.slice(0, 59)}…` : json;
}

function report(issues, path, rule, expected, value) {
  const got = received(value);
  const issue = {
    path,
    rule,
    expected,
    received: got,
    message: `${path || "the document"} must be ${expected}, got ${got}`,
  };
  if (issues === null) return [issue];
  issues.push(issue);
  return issues;
}

function missing(issues, path) {
  const issue = {
    path,
    rule: "required",
    expected: "a value",
    received: "nothing",
    message: `${path} is missing: expected a value`,
  };
  if (issues === null) return [issue];
  issues.push(issue);
  return issues;
}

const STRING_OR_NULL = "of type string or null";

/** Checks one SID field: null, or its two letters then 32 hexadecimal digits. */
function checkSid(issues, value, path, first, second, title) {
  if (value === null) return issues;
  if (value === undefined) return missing(issues, path);
  if (typeof value !== "string") return report(issues, path, "type", STRING_OR_NULL, value);
  if (isSid(value, first, second)) return issues;
  const prefix = String.fromCharCode(first, second);
  return report(issues, path, "pattern", `a ${title} matching ^${prefix}[0-9a-fA-F]{32}$`, value);
}

/**
 * Checks a Stream resource.
 * @returns null when `value` is valid, else its issues.
 */
export function handCheckStream(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return report(null, "", "type", "of type object", value);
  let issues = null;
  const { sid, account_sid, call_sid, name, status, date_updated, uri } = value;
  issues = checkSid(issues, account_sid, "/account_sid", 65, 67, "Account SID");
  issues = checkSid(issues, call_sid, "/call_sid", 67, 65, "Call SID");
  issues = checkSid(issues, sid, "/sid", 77, 90, "Stream SID");
  if (name === undefined) issues = missing(issues, "/name");
  else if (name !== null && typeof name !== "string") issues = report(issues, "/name", "type", STRING_OR_NULL, name);
  if (status === undefined) issues = missing(issues, "/status");
  else if (status !== "in-progress" && status !== "stopped")
    issues = report(issues, "/status", "enum", 'one of "in-progress", "stopped"', status);
  if (date_updated === undefined) issues = missing(issues, "/date_updated");
  else if (date_updated !== null) {
    if (typeof date_updated !== "string") issues = report(issues, "/date_updated", "type", STRING_OR_NULL, date_updated);
    else if (!isRfc2822(date_updated))
      issues = report(issues, "/date_updated", "format", "an RFC 2822 date-time such as Thu, 30 Jul 2015 20:00:00 +0000", date_updated);
  }
  if (uri === undefined) issues = missing(issues, "/uri");
  else if (uri !== null) {
    if (typeof uri !== "string") issues = report(issues, "/uri", "type", STRING_OR_NULL, uri);
    else if (!uri.startsWith("/2010-04-01/")) issues = report(issues, "/uri", "pattern", "a string matching ^/2010-04-01/", uri);
  }
  return issues;
}
