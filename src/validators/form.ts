/**
 * Form bodies (application/x-www-form-urlencoded), as the request validators take them: a raw
 * string, a URLSearchParams or a plain object. A field given twice is an issue of its own:
 * Twilio would keep one of the two, and which one is not part of the contract.
 */
import { pointerToken } from "../lib/json.js";
import { type ContractIssue, describeValue, issue } from "./issue.js";

/**
 * A form body in any of the shapes the request validators accept: a raw string, a
 * URLSearchParams or a plain object of fields. `object` rather than a Record so that the
 * generated interfaces (`CreateStreamRequest["body"]`, which have no index signature) fit.
 * @public
 */
export type FormInput = string | URLSearchParams | object;

/**
 * A record with no prototype: field names are the client's, and on a plain object `__proto__`
 * would set the prototype instead of adding a field (the field would vanish from the check).
 */
function fieldRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Reads `input` into one value per field, and the issues of fields given more than once. */
export function readForm(input: FormInput, prefix: string): { fields: Record<string, unknown>; issues: ContractIssue[] } {
  if (typeof input !== "string" && !(input instanceof URLSearchParams)) {
    return { fields: Object.assign(fieldRecord(), input), issues: [] };
  }
  if (typeof input === "string") {
    const fields = readPlainForm(input);
    if (fields !== undefined) return { fields, issues: [] };
  }
  // The URLSearchParams constructor drops one leading "?" (a query string's); a form body has
  // none to drop — "?Url=…" names the field "?Url" — so an "&" in front keeps it.
  const params = typeof input === "string" ? new URLSearchParams(input.startsWith("?") ? `&${input}` : input) : input;
  const fields = fieldRecord();
  const counts = new Map<string, number>();
  for (const [name, value] of params) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    fields[name] = value;
  }
  const issues: ContractIssue[] = [];
  for (const [name, count] of counts) {
    if (count > 1) {
      issues.push(issue(`${prefix}/${pointerToken(name)}`, "form", "given once", `${count} values, ${describeValue(params.getAll(name))}`));
    }
  }
  return { fields, issues };
}

/**
 * The common case of a form string, read without URLSearchParams (the costliest step of checking
 * a request): well-formed text whose escapes all decode and where no field is given twice. Read
 * as the WHATWG form parser reads it — split on "&", then on the first "=", "+" is a space, then
 * percent-decoding. Undefined for anything else, which the full reading above handles: malformed
 * escapes (kept as they are there), lone surrogates (replaced there), repeated fields (issues).
 */
function readPlainForm(text: string): Record<string, unknown> | undefined {
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) return undefined; // ES2024, in Node 20
  const fields = fieldRecord();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("&", start);
    if (end < 0) end = text.length;
    if (end > start) {
      const part = text.slice(start, end); // searched on its own: linear however many parts lack "="
      const equals = part.indexOf("=");
      const name = decodeFormPart(equals < 0 ? part : part.slice(0, equals));
      const value = equals < 0 ? "" : decodeFormPart(part.slice(equals + 1));
      if (name === undefined || value === undefined || Object.hasOwn(fields, name)) return undefined;
      fields[name] = value;
    }
    start = end + 1;
  }
  return fields;
}

function decodeFormPart(part: string): string | undefined {
  const spaced = part.includes("+") ? part.replaceAll("+", " ") : part;
  if (!spaced.includes("%")) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return undefined;
  }
}
