/**
 * Twilio SIDs: `AC…` (Account), `CA…` (Call), `MZ…` (Stream).
 *
 *     sid = prefix 32HEXDIG        ; the pattern in schemas/common.schema.json, e.g.
 *                                  ; ^AC[0-9a-fA-F]{32}$
 */
import fc from "fast-check";
import { type SidKind, sidLength, sidPattern, sidPrefix } from "./_internals/schema.js";
import type { InvalidSample } from "./invalid-sample.js";

export type { SidKind } from "./_internals/schema.js";

const SID_KINDS: readonly SidKind[] = ["account", "call", "stream"];

/**
 * Valid SIDs of one kind, generated from the schema's own pattern.
 * @example
 *   fc.assert(fc.property(sid("call"), (callSid) => isCallSid(callSid)));
 * @public
 */
export function sid(kind: SidKind): fc.Arbitrary<string> {
  // Arbitraries are immutable, and building one from a pattern takes milliseconds: build once.
  let arb = SID_ARBITRARIES.get(kind);
  if (arb === undefined) {
    arb = fc.stringMatching(new RegExp(sidPattern(kind)));
    SID_ARBITRARIES.set(kind, arb);
  }
  return arb;
}

const SID_ARBITRARIES = new Map<SidKind, fc.Arbitrary<string>>();

/** The 32 hexadecimal digits after the prefix, as arrays of characters so they shrink. */
function hexDigits(count: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: count, maxLength: count });
}

/** Characters that look like a hex digit or a prefix letter but are not ASCII. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic А, С, М, а, с, е; Greek Α, Μ, Ζ; full-width digits ０–９ and letters.
  A: "\u0410\u0391\uFF21",
  C: "\u0421\uFF23",
  M: "\u041C\u039C\uFF2D",
  Z: "\u0396\uFF3A",
  a: "\u0430\uFF41",
  c: "\u0441\uFF43",
  e: "\u0435\uFF45",
  "0": "\uFF10\u0660\u06F0",
  "1": "\uFF11\u0661",
  "5": "\uFF15\u0665",
  "9": "\uFF19\u0669",
};

/**
 * Strings that are almost a SID of `kind` and must be refused, each with its reason (path
 * `""`): another kind's prefix, a lower-case prefix, one digit too many or too few, a non-hex
 * character, a Unicode look-alike or full-width digit, surrounding whitespace, a trailing
 * newline, the empty string.
 * @public
 */
export function invalidSid(kind: SidKind): fc.Arbitrary<InvalidSample<string>> {
  const prefix = sidPrefix(kind);
  const digitCount = sidLength(kind) - prefix.length;
  const digits = hexDigits(digitCount);
  const sample = (reason: string) => (value: string): InvalidSample<string> => ({ value, reason, path: "" });
  const otherPrefixes = SID_KINDS.filter((k) => k !== kind).map(sidPrefix);
  const position = fc.nat(digitCount - 1);

  return fc.oneof(
    fc.tuple(fc.constantFrom(...otherPrefixes, "SM", "PN", "XX"), digits).map(([p, d]) => p + d).map(sample("wrong prefix")),
    fc
      .tuple(fc.constantFrom(prefix.toLowerCase(), prefix[0]! + prefix[1]!.toLowerCase(), prefix[0]!.toLowerCase() + prefix[1]!), digits)
      .map(([p, d]) => p + d)
      .map(sample("lower-case prefix")),
    fc.tuple(digits, fc.constantFrom(..."0123456789abcdef")).map(([d, extra]) => prefix + d + extra).map(sample("one character too long")),
    digits.map((d) => prefix + d.slice(1)).map(sample("one character too short")),
    fc
      .tuple(digits, position, fc.constantFrom(..."gGxzZ-_ .:/"))
      .map(([d, at, c]) => prefix + d.slice(0, at) + c + d.slice(at + 1))
      .map(sample("non-hex character")),
    fc
      .tuple(digits, position, fc.constantFrom("0", "1", "5", "9", "a", "c", "e"))
      .map(([d, at, ascii]) => prefix + d.slice(0, at) + LOOK_ALIKES[ascii]![at % LOOK_ALIKES[ascii]!.length] + d.slice(at + 1))
      .map(sample("Unicode look-alike or full-width digit")),
    fc
      .tuple(digits, fc.nat(9))
      .map(([d, i]) => {
        const alike = [...LOOK_ALIKES[prefix[0]!]!];
        return alike[i % alike.length]! + prefix[1] + d;
      })
      .map(sample("look-alike prefix letter")),
    fc.tuple(digits, fc.constantFrom(" ", "\t", "\u00A0")).map(([d, s]) => `${s}${prefix}${d}`).map(sample("leading whitespace")),
    fc.tuple(digits, fc.constantFrom(" ", "\t", "\u00A0")).map(([d, s]) => `${prefix}${d}${s}`).map(sample("trailing whitespace")),
    digits.map((d) => `${prefix}${d}\n`).map(sample("trailing newline")),
    digits.map((d) => `${prefix}${d}\r\n`).map(sample("trailing CRLF")),
    fc.constant(prefix).map(sample("prefix only")),
    fc.constant("").map(sample("empty")),
  );
}
