/**
 * What the two request validators share: read the form body, check it (with the path when one is
 * given) and report issues under `/body` and `/path` — for any body and path whatsoever: one that
 * throws when read takes the careful path (careful.ts) and is reported, never thrown.
 */
import { carefulIssues, copyCarefully, type UnreadablePath } from "./careful.js";
import { type FormInput, readForm } from "./form.js";
import { type CompiledCheck, type ContractIssue, describeValue, issue, type ValidationResult } from "./issue.js";

/**
 * Path parameters as a caller has them, before they are checked: a plain object such as
 * `CreateStreamRequest["path"]` (an interface, hence `object` rather than a Record). @public
 */
export type PathInput = object;

/** A request validator's signature. */
export type RequestValidator<T> = (body: FormInput, path?: PathInput) => ValidationResult<T>;

export function defineRequestValidator<T>(checkRequest: CompiledCheck, checkBody: CompiledCheck): RequestValidator<T> {
  /** The issues of the request and the request as checked. */
  const check = (body: unknown, path: unknown): { issues: readonly ContractIssue[]; request: unknown } => {
    const notForm = typeof body !== "string" && (typeof body !== "object" || body === null);
    const form = notForm ? { fields: {}, issues: [bodyTypeIssue(body)] } : readForm(body as FormInput, "/body");
    const request = path === undefined ? undefined : { path, body: form.fields };
    const found = request === undefined ? checkBody(form.fields, "/body") : checkRequest(request, "");
    const issues = found === null ? form.issues : [...form.issues, ...found];
    return { issues, request: request ?? { body: form.fields } };
  };
  return (body, path) => {
    let checked: ReturnType<typeof check>;
    try {
      checked = check(body, path);
    } catch (thrown) {
      const unreadable: UnreadablePath[] = [];
      const plainBody = copyCarefully(body, "/body", unreadable);
      const plainPath = path === undefined ? undefined : copyCarefully(path, "/path", unreadable);
      return { valid: false, issues: carefulIssues(() => check(plainBody, plainPath).issues, unreadable, thrown, "/body") };
    }
    if (checked.issues.length > 0) return { valid: false, issues: checked.issues };
    return { valid: true, value: checked.request as T };
  };
}

/** The issue of a body that is none of the shapes a form body comes in. */
function bodyTypeIssue(body: unknown): ContractIssue {
  return issue("/body", "type", "a form body: a string, a URLSearchParams or an object of fields", describeValue(body));
}
