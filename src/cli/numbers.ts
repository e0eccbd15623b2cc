/**
 * Every numeric flag of the CLI, read by one rule: decimal digits, an optional sign, nothing
 * else (`1e3`, `0x10`, `5.0`, ` 5` are refused alike), then checked against the flag's range.
 * Durations are whole milliseconds, or a number with a unit: `500ms`, `30s`, `15m`, `1h`.
 * node:util parseArgs reads the flags as strings; these turn them into numbers or usage errors.
 */
import { decimalInteger } from "../lib/decimal.js";
import { UsageError } from "./exit.js";

/** The range of every per-request timeout (verify, publish): 1 ms to 10 minutes. */
export const REQUEST_TIMEOUT_MS = { min: 1, max: 600_000 } as const;

/** The range of every --seed: fast-check's seeds are 32-bit integers. */
export const SEED = { min: -(2 ** 31), max: 2 ** 31 - 1 } as const;

/** An inclusive range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

// duration = 1*16DIGIT [ "ms" / "s" / "m" / "h" ]
const DURATION = /^(\d{1,16})(ms|[hms])?$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** The integer `text` is; a usage error unless it is one within `range`. Undefined for undefined. */
export function integerFlag(text: string | undefined, flag: string, range: Range): number | undefined {
  if (text === undefined) return undefined;
  const value = decimalInteger(text) ?? Number.NaN;
  if (!(value >= range.min && value <= range.max)) {
    throw new UsageError(`${flag} must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The milliseconds `text` says; a usage error unless it is a duration within `range` (ms). */
export function durationFlag(text: string | undefined, flag: string, range: Range): number | undefined {
  if (text === undefined) return undefined;
  const match = DURATION.exec(text);
  const value = match === null ? Number.NaN : Number(match[1]) * (UNIT_MS[match[2] ?? "ms"] as number);
  if (!(value >= range.min && value <= range.max)) {
    throw new UsageError(
      `${flag} must be a duration from ${describe(range.min)} to ${describe(range.max)} (milliseconds, or with a unit: 500ms, 30s, 15m, 1h), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** A duration in the largest unit that divides it. */
function describe(ms: number): string {
  for (const unit of ["h", "m", "s"])
    if (ms % (UNIT_MS[unit] as number) === 0 && ms >= (UNIT_MS[unit] as number)) return `${ms / (UNIT_MS[unit] as number)}${unit}`;
  return `${ms}ms`;
}
