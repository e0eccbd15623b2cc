/**
 * `date-time-iso-8601`: the `Timestamp` of a Stream status callback. Twilio says "the time of the
 * event in ISO 8601 format" (UTC) without an example; the profile accepted is RFC 3339 section
 * 5.6, ISO 8601's internet profile, which covers every way of writing a UTC instant Twilio uses
 * elsewhere (`2026-01-01T00:00:00Z`, `…00.000Z`, `…+00:00`):
 *
 *     date-time    = full-date "T" full-time
 *     full-date    = date-fullyear "-" date-month "-" date-mday      ; 4DIGIT "-" 2DIGIT "-" 2DIGIT
 *     full-time    = partial-time time-offset
 *     partial-time = time-hour ":" time-minute ":" time-second [time-secfrac]
 *     time-secfrac = "." 1*DIGIT
 *     time-offset  = "Z" / time-numoffset                             ; ("+" / "-") HH ":" MM
 *
 * "T" and "Z" may be lower case (RFC 3339 section 5.6, NOTE). Seconds go to 60 (leap second).
 */
import { daysInMonth } from "./rfc2822.js";

// Linear: every part is a fixed count of digits but the fraction, which one class ends.
const GRAMMAR = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether `text` is an RFC 3339 date-time (ISO 8601 profile) naming a real calendar day and time. */
export function isIso8601DateTime(text: string): boolean {
  const match = GRAMMAR.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second, offsetHours = "00", offsetMinutes = "00"] = match.slice(1).map((part) => part ?? "00");
  const m = Number(month);
  return (
    m >= 1 &&
    m <= 12 &&
    Number(day) >= 1 &&
    Number(day) <= daysInMonth(Number(year), m) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 60 &&
    Number(offsetHours) <= 23 &&
    Number(offsetMinutes) <= 59
  );
}
