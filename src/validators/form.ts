/**
 * Form bodies (application/x-www-form-urlencoded), as the request validators take them: a raw
 * string, a URLSearchParams or a plain object. A field given twice is an issue of its own:
 * Twilio would keep one of the two, and which one is not part of the contract.
 */
import { type ContractIssue, describeValue, issue, pointerToken } from "./issue.js";

/**
 * A form body in any of the shapes the request validators accept: a raw string, a
 * URLSearchParams or a plain object of fields. `object` rather than a Record so that the
 * generated interfaces (`CreateStreamRequest["body"]`, which have no index signature) fit.
 * @public
 */
export type FormInput = string | URLSearchParams | object;

/** Reads `input` into one value per field, and the issues of fields given more than once. */
export function readForm(input: FormInput, prefix: string): { fields: Record<string, unknown>; issues: ContractIssue[] } {
  if (typeof input !== "string" && !(input instanceof URLSearchParams)) {
    return { fields: { ...(input as Readonly<Record<string, unknown>>) }, issues: [] };
  }
  // The URLSearchParams constructor drops one leading "?" (a query string's); a form body has
  // none to drop — "?Url=…" names the field "?Url" — so an "&" in front keeps it.
  const params = typeof input === "string" ? new URLSearchParams(input.startsWith("?") ? `&${input}` : input) : input;
  const fields: Record<string, unknown> = {};
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
