/**
 * What the two request validators share: take the request `{ path?, body }`, read the form body,
 * check it (with the path when one is given) and report issues under `/body` and `/path` — for
 * any value whatsoever: one that throws when read takes the careful path (careful.ts) and is
 * reported, never thrown.
 */
import { carefulIssues, copyCarefully, type UnreadablePath } from "./careful.js";
import { type FormInput, readForm } from "./form.js";
import { type CompiledCheck, type ContractIssue, describeValue, issue, type ValidationResult } from "./issue.js";

/**
 * Path parameters as a caller has them, before they are checked: a plain object such as
 * `CreateStreamRequest["path"]` (an interface, hence `object` rather than a Record). @public
 */
export type PathInput = object;

/**
 * A request as a caller has it — the shape of `CreateStreamRequest`, `{ path, body }`, with the
 * body in any form shape and the path when known. @public
 */
export interface RequestInput {
  /** The form body: a raw `a=b&c=d` string, a URLSearchParams or a plain object of fields. */
  readonly body: FormInput;
  /** The path parameters, checked when given. */
  readonly path?: PathInput | undefined;
}

/** A request validator's signature: one value, the request, as every validator takes. @public */
export type RequestValidator<T> = (request: RequestInput) => ValidationResult<T>;

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
  /** The request's parts checked; a request that is no object at all is one issue. */
  const checkParts = (request: unknown): { issues: readonly ContractIssue[]; request: unknown } => {
    if (typeof request !== "object" || request === null) return { issues: [requestTypeIssue(request)], request };
    const { body, path } = request as { body?: unknown; path?: unknown };
    return check(body, path);
  };
  return (request) => {
    let checked: ReturnType<typeof check>;
    try {
      checked = checkParts(request);
    } catch (thrown) {
      const unreadable: UnreadablePath[] = [];
      // One level deeper than a body or path alone: the request holds them.
      const plain = copyCarefully(request, "", unreadable, 4);
      return { valid: false, issues: carefulIssues(() => checkParts(plain).issues, unreadable, thrown) };
    }
    if (checked.issues.length > 0) return { valid: false, issues: checked.issues };
    return { valid: true, value: checked.request as T };
  };
}

/** The issue of a request that is not an object `{ path?, body }`. */
function requestTypeIssue(request: unknown): ContractIssue {
  return issue("", "type", "a request: an object { path?, body }", describeValue(request));
}

/** The issue of a body that is none of the shapes a form body comes in. */
function bodyTypeIssue(body: unknown): ContractIssue {
  return issue("/body", "type", "a form body: a string, a URLSearchParams or an object of fields", describeValue(body));
}
