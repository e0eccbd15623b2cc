/**
 * What the two request validators share: read the form body, check it (with the path when one is
 * given) and report issues under `/body` and `/path`.
 */
import { type FormInput, readForm } from "./form.js";
import { type CompiledCheck, issuesOf, type ValidationResult } from "./issue.js";

/**
 * Path parameters as a caller has them, before they are checked: a plain object such as
 * `CreateStreamRequest["path"]` (an interface, hence `object` rather than a Record). @public
 */
export type PathInput = object;

/** A request validator's signature. */
export type RequestValidator<T> = (body: FormInput, path?: PathInput) => ValidationResult<T>;

export function defineRequestValidator<T>(checkRequest: CompiledCheck, checkBody: CompiledCheck): RequestValidator<T> {
  return (body, path) => {
    const form = readForm(body, "/body");
    const request = path === undefined ? undefined : { path, body: form.fields };
    const ok = request === undefined ? checkBody(form.fields) : checkRequest(request);
    const issues = ok ? form.issues : [...form.issues, ...(request === undefined ? issuesOf(checkBody, "/body") : issuesOf(checkRequest))];
    if (issues.length > 0) return { valid: false, errors: issues };
    return { valid: true, value: (request ?? { body: form.fields }) as T };
  };
}
