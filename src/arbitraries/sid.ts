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
 * The characters a SID may carry after its prefix, read off the schema's pattern: every
 * printable ASCII character that, repeated, completes a valid SID. (The pattern is a prefix
 * and one character class repeated; its description says so.)
 */
function digitAlphabet(kind: SidKind): string[] {
  const pattern = new RegExp(sidPattern(kind));
  const count = sidLength(kind) - sidPrefix(kind).length;
  return Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => pattern.test(sidPrefix(kind) + c.repeat(count)));
}

/** The digits after a SID's prefix, shrinking towards all "0". */
function sidDigits(kind: SidKind, alphabet: readonly string[] = digitAlphabet(kind)): fc.Arbitrary<string> {
  const count = sidLength(kind) - sidPrefix(kind).length;
  return fc.string({ unit: fc.constantFrom(...alphabet), minLength: count, maxLength: count });
}

const SID_ARBITRARIES = new Map<SidKind, fc.Arbitrary<string>>();

/**
 * Valid SIDs of one kind: the prefix and digits of the schema's pattern, shrinking towards
 * `AC000…0`. Values you give (fc.assert `examples`) shrink too.
 * @example
 *   fc.assert(fc.property(sid("call"), (callSid) => isCallSid(callSid)));
 * @public
 */
export function sid(kind: SidKind): fc.Arbitrary<string> {
  let arb = SID_ARBITRARIES.get(kind);
  if (arb === undefined) {
    const prefix = sidPrefix(kind);
    const pattern = new RegExp(sidPattern(kind));
    arb = sidDigits(kind).map(
      (digits) => prefix + digits,
      (value) => {
        if (typeof value !== "string" || !pattern.test(value)) throw new Error(`not a ${kind} SID`);
        return value.slice(prefix.length);
      },
    );
    SID_ARBITRARIES.set(kind, arb);
  }
  return arb;
}

/** Characters that look like a hex digit or a prefix letter but are not ASCII. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  // Cyrillic А, С, М, Ѕ, а, с, е; Greek Α, Μ, Ζ; full-width digits ０–９ and letters.
  A: "\u0410\u0391\uFF21",
  C: "\u0421\uFF23",
  S: "\u0405\uFF33",
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
  // Lower-case digits, as Twilio writes them: the breaks below are then the only oddity.
  const digits = sidDigits(
    kind,
    digitAlphabet(kind).filter((c) => c === c.toLowerCase()),
  );
  const sample =
    (reason: string) =>
    (value: string): InvalidSample<string> => ({ value, reason, path: "" });
  const otherPrefixes = SID_KINDS.filter((k) => k !== kind).map(sidPrefix);
  const position = fc.nat(digitCount - 1);

  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...otherPrefixes, "SM", "PN", "XX"), digits)
      .map(([p, d]) => p + d)
      .map(sample("wrong prefix")),
    fc
      .tuple(fc.constantFrom(prefix.toLowerCase(), prefix[0]! + prefix[1]!.toLowerCase(), prefix[0]!.toLowerCase() + prefix[1]!), digits)
      .map(([p, d]) => p + d)
      .map(sample("lower-case prefix")),
    fc
      .tuple(digits, fc.constantFrom(...digitAlphabet(kind)))
      .map(([d, extra]) => prefix + d + extra)
      .map(sample("one character too long")),
    digits.map((d) => prefix + d.slice(1)).map(sample("one character too short")),
    fc
      .tuple(digits, position, fc.constantFrom(..."gGxzZ-_ .:/".split("").filter((c) => !digitAlphabet(kind).includes(c))))
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
    fc
      .tuple(digits, fc.constantFrom(" ", "\t", "\u00A0"))
      .map(([d, s]) => `${s}${prefix}${d}`)
      .map(sample("leading whitespace")),
    fc
      .tuple(digits, fc.constantFrom(" ", "\t", "\u00A0"))
      .map(([d, s]) => `${prefix}${d}${s}`)
      .map(sample("trailing whitespace")),
    digits.map((d) => `${prefix}${d}\n`).map(sample("trailing newline")),
    digits.map((d) => `${prefix}${d}\r\n`).map(sample("trailing CRLF")),
    fc.constant(prefix).map(sample("prefix only")),
    fc.constant("").map(sample("empty")),
  );
}
