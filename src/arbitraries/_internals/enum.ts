/**
 * Valid and invalid values of a schema enum (statuses, Track, StatusCallbackMethod).
 */
import fc from "fast-check";
import type { InvalidSample } from "../invalid-sample.js";

/** One of `values`, shrinking towards the first. */
export function enumValue<T extends string>(values: readonly T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values);
}

/**
 * Near misses of an enum: case changes, `-`/`_` swapped, surrounding whitespace, truncation,
 * the empty string, and arbitrary strings — each kept only when the enum does not hold it.
 */
export function notInEnum(values: readonly string[], others: readonly string[] = []): fc.Arbitrary<InvalidSample<string>> {
  const member = fc.constantFrom(...values);
  const allowed = new Set(values);
  const sample =
    (reason: string) =>
    (value: string): InvalidSample<string> => ({ value, reason, path: "" });
  return fc
    .oneof(
      member.map((v) => v.toUpperCase()).map(sample("upper case")),
      member.map((v) => v[0]!.toUpperCase() + v.slice(1)).map(sample("capitalised")),
      member.map((v) => (v.includes("-") ? v.replace(/-/g, "_") : v.replace(/_/g, "-"))).map(sample("- and _ swapped")),
      fc
        .tuple(member, fc.constantFrom(" ", "\t", "\n"))
        .map(([v, s]) => `${v}${s}`)
        .map(sample("trailing whitespace")),
      fc
        .tuple(member, fc.constantFrom(" ", "\t"))
        .map(([v, s]) => `${s}${v}`)
        .map(sample("leading whitespace")),
      member.map((v) => v.slice(0, -1)).map(sample("truncated")),
      fc.constant("").map(sample("empty")),
      ...(others.length > 0 ? [fc.constantFrom(...others).map(sample("not a value of the enum"))] : []),
      fc.string({ maxLength: 12 }).map(sample("arbitrary string")),
    )
    .filter((s) => !allowed.has(s.value));
}
