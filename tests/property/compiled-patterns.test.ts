/**
 * The schema patterns that scripts/generate-validators.mjs compiles to character loops match
 * exactly what their RegExp matches: on strings built from the pattern, those strings with one
 * character changed, cut or lengthened, and any string at all.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import commonSchema from "../../schemas/common.schema.json" with { type: "json" };
import streamSchema from "../../schemas/stream.schema.json" with { type: "json" };
import { compiledPatterns } from "../../src/validators/generated/compiled.js";

const sources = Object.keys(compiledPatterns);

/** A string of the pattern, then perhaps changed at one place. */
function nearMatch(source: string): fc.Arbitrary<string> {
  const matching = fc.stringMatching(new RegExp(source, "u"));
  return fc.oneof(
    matching,
    fc.tuple(matching, fc.nat(), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })).map(([s, at, c]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
    fc.tuple(matching, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
    fc.tuple(matching, fc.string({ unit: "binary", maxLength: 3 })).map(([s, tail]) => s + tail),
    fc.string({ unit: "binary" }),
  );
}

describe("patterns compiled to character loops", () => {
  it("include the SIDs' and the Stream uri's: no SID check runs a RegExp", () => {
    const defs = commonSchema.$defs as Record<string, { pattern?: string }>;
    const expected = [...Object.values(defs).flatMap((d) => (d.pattern ? [d.pattern] : [])), streamSchema.properties.uri.pattern];
    expect([...sources].sort()).toEqual([...new Set(expected)].sort());
  });

  for (const source of sources) {
    test.prop([nearMatch(source)])(`${source} matches what its RegExp matches`, (text) => {
      expect(compiledPatterns[source]!.test(text)).toBe(new RegExp(source, "u").test(text));
    });
  }
});
