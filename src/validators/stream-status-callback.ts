/** Stream status callbacks (schemas/stream-status-callback.schema.json). */
import { type FormInput, readForm } from "./form.js";
import { checkStreamStatusCallback } from "./generated/compiled.js";
import type { StreamStatusCallback } from "./generated/types.js";
import type { ValidationResult } from "./issue.js";
import { defineValidator } from "./validator.js";
import { carefulIssues, copyCarefully, type UnreadablePath } from "./careful.js";

/** A GET callback's query string may come with its "?"; a form body never starts with one. */
function read(input: FormInput) {
  return readForm(typeof input === "string" && input.startsWith("?") ? input.slice(1) : input, "");
}

/**
 * Validates the parameters of a Stream status callback — a POST's form body or a GET's query
 * string (raw, with or without its "?"), a URLSearchParams or a plain object. Issues point at
 * `/AccountSid`, `/StreamEvent`, …; a field given twice is an issue.
 * @example
 *   const result = validateStreamStatusCallback(await readBody(req));
 *   if (result.valid && result.value.StreamEvent === "stream-error") log(result.value.StreamError);
 * @public
 */
export function validateStreamStatusCallback(input: FormInput): ValidationResult<StreamStatusCallback> {
  const check = (body: FormInput) => {
    const form = read(body);
    const found = checkStreamStatusCallback(form.fields, "");
    return { form, issues: found === null ? form.issues : [...form.issues, ...found] };
  };
  let checked: ReturnType<typeof check>;
  try {
    checked = check(input);
  } catch (thrown) {
    // A body whose getters or Proxy traps throw: read again carefully (careful.ts), never thrown.
    const unreadable: UnreadablePath[] = [];
    const plain = copyCarefully(input, "", unreadable) as FormInput;
    return { valid: false, issues: carefulIssues(() => check(plain).issues, unreadable, thrown) };
  }
  const { form, issues } = checked;
  return issues.length > 0 ? { valid: false, issues: issues } : { valid: true, value: form.fields as unknown as StreamStatusCallback };
}

const parsed = defineValidator<StreamStatusCallback>(checkStreamStatusCallback, "Stream status callback");
/** Whether `value` is a valid status callback's parameters, already parsed into a plain object. @public */
export const isStreamStatusCallback: (value: unknown) => value is StreamStatusCallback = parsed.is;
/** Throws a ContractViolationError listing every issue unless `value` (a plain object) is a valid status callback. @public */
export const assertStreamStatusCallback: (value: unknown) => asserts value is StreamStatusCallback = parsed.assert;
