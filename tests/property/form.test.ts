/**
 * readForm reads a well-formed form without URLSearchParams (the mock's hot path) and falls back
 * to URLSearchParams otherwise: both readings must agree on every input.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { readForm } from "../../src/validators/form.js";

/** The WHATWG reading: URLSearchParams (a leading "?" is part of the first name), last value wins. */
function reference(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text.startsWith("?") ? `&${text}` : text)) fields[name] = value;
  return fields;
}

// Pieces that exercise the parser: separators, escapes good and bad, "+", non-ASCII, lone surrogates.
const piece = fc.constantFrom(
  "&",
  "=",
  "+",
  "%",
  "%2",
  "%20",
  "%26",
  "%3D",
  "%C3%A9",
  "%E2%82",
  "%FF",
  "?",
  "a",
  "Url",
  "Name",
  "é",
  "\uD800",
  "\u{1F600}",
  " ",
);
const form = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(""));

test.prop([form])("readForm agrees with URLSearchParams", (text) => {
  const { fields } = readForm(text, "/body");
  expect({ ...fields }).toEqual(reference(text));
});

test.prop([form])("a field given twice is reported, once per field", (text) => {
  const names = [...new URLSearchParams(text.startsWith("?") ? `&${text}` : text).keys()];
  const repeated = new Set(names.filter((name, i) => names.indexOf(name) !== i));
  expect(readForm(text, "/body").issues.map((issue) => issue.rule)).toEqual([...repeated].map(() => "form"));
});
