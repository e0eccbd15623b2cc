/**
 * The schema patterns that scripts/generate-validators.mjs compiles (scripts/compile-pattern.mjs)
 * match exactly what their RegExp matches: on strings built from the pattern, those strings with
 * one character changed, cut or lengthened, and any string at all. The same for a sample of the
 * grammar the compiler reads (`+`, `*`, `?`, `{n,m}`, alternatives) that no schema uses yet.
 */
import fs from "node:fs";
import path from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createPatternCompiler } from "../../scripts/compile-pattern.mjs";
import { compiledPatterns } from "../../src/validators/generated/compiled.js";

const sources = Object.keys(compiledPatterns);

/** Every `pattern` keyword of the schemas in schemas/. */
function schemaPatterns(): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) {
        if (key === "pattern" && typeof value === "string") found.add(value);
        else visit(value);
      }
    }
  };
  const dir = path.join(import.meta.dirname, "../../schemas");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".schema.json"))) {
    visit(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")));
  }
  return [...found].sort();
}

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

/** Patterns of the compiler's grammar beyond the schemas' own. */
const GRAMMAR_SAMPLES = [
  "^[a-z]+$",
  "^[0-9]*$",
  "^[A-Za-z0-9+/]*$",
  "^x[0-9]+y$",
  "^[0-9]+\\.[0-9]{1,3}$",
  "^[a-f]{2,}-[0-9]?$",
  "^ab?c*d+$",
  "^[+*#]+",
  "^[0-9]{0,3}",
  "^(?:[a-c]+|[0-9]{2,4}|-)$",
  "^(?:0|[1-9][0-9]*)$",
  "^ID[0-9A-Z]{20}$",
  "^[a-z]{2}[0-9]{16}x$",
];

/** Patterns a reading without backtracking would get wrong: they stay RegExps. */
const REFUSED = ["^[0-9]*[0-9]$", "^[a-z]+a$", "^a?a$", "^[0-9]{0,3}[5-7]$", "^[a-z]*[0-9]?[a-c]$", "^[0-9]+?$", "^(?:a(b)|c)$"];

describe("patterns compiled to checks", () => {
  it("include every pattern of the schemas: no schema pattern runs ajv's RegExp", () => {
    expect([...sources].sort()).toEqual(schemaPatterns());
  });

  for (const source of sources) {
    test.prop([nearMatch(source)])(`${source} matches what its RegExp matches`, (text) => {
      expect(compiledPatterns[source]!.test(text)).toBe(new RegExp(source, "u").test(text));
    });
  }
});

describe("the pattern compiler's grammar", () => {
  const compiler = createPatternCompiler();
  const compiled = GRAMMAR_SAMPLES.map((source) => compiler.compile(source));
  const matchers = new Function(`${compiler.declarations()}\nreturn [${compiled.join(", ")}];`)() as { test(s: string): boolean }[];

  it("compiles every sample", () => {
    expect(GRAMMAR_SAMPLES.filter((_, k) => compiled[k] === undefined)).toEqual([]);
  });

  GRAMMAR_SAMPLES.forEach((source, k) => {
    test.prop([nearMatch(source)])(`${source} matches what its RegExp matches`, (text) => {
      expect(matchers[k]!.test(text)).toBe(new RegExp(source, "u").test(text));
    });
  });

  it("leaves a pattern whose runs would need backtracking to its RegExp", () => {
    expect(REFUSED.filter((source) => createPatternCompiler().compile(source) !== undefined)).toEqual([]);
  });
});
