/**
 * Failures are data: every broken rule becomes a `ContractIssue` that says where (a JSON
 * Pointer), which rule, what was expected and what was received; the message is rendered from
 * those fields. `defineValidator` turns one compiled check into the validate / is / assert trio.
 */
import { pointerToken } from "../lib/json.js";

/** One broken rule of the contract. @public */
export interface ContractIssue {
  /** JSON Pointer (RFC 6901) to the offending value, e.g. `/date_updated` or `/body/Url`. */
  readonly path: string;
  /** The JSON Schema keyword (or `form` for a malformed form body) that was broken. */
  readonly rule: string;
  /** What the contract asks for, in words. */
  readonly expected: string;
  /** The value received, as JSON, truncated; `nothing` for a missing field. */
  readonly received: string;
  /** `path`, `expected` and `received` in one readable sentence. */
  readonly message: string;
}

/** The result of a `validate…` function. @public */
export type ValidationResult<T> =
  | { readonly valid: true; readonly value: T }
  | { readonly valid: false; readonly errors: readonly ContractIssue[] };

/** Thrown by the `assert…` functions. @public */
export class ContractViolationError extends Error {
  override readonly name = "ContractViolationError";
  constructor(
    /** What was validated, e.g. `Stream`. */
    readonly subject: string,
    readonly issues: readonly ContractIssue[],
  ) {
    super(`${subject} breaks the contract:\n${issues.map((issue) => `  - ${issue.message}`).join("\n")}`);
  }
}

/** The fields of an ajv error (with `verbose: true`) that issues are made from. */
interface CompiledError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly data?: unknown;
  readonly schema?: unknown;
  readonly parentSchema?: { readonly title?: string; readonly format?: string; readonly properties?: Readonly<Record<string, unknown>> };
}

/** A validator generated ahead of time by ajv standalone (src/validators/generated/). */
export type CompiledCheck = ((data: unknown) => boolean) & { errors?: readonly CompiledError[] | null };

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  "date-time-rfc-2822": "an RFC 2822 date-time such as Thu, 30 Jul 2015 20:00:00 +0000",
  "wss-url": "an absolute wss:// URL without a fragment",
  "http-url": "an absolute http:// or https:// URL",
  "mulaw-base64": "base64 of raw μ-law audio (padded, at least one byte, no WAV or other file header)",
  "date-time-iso-8601": "an ISO 8601 (RFC 3339) date-time such as 2026-01-01T00:00:00.000Z",
};

const MAX_RECEIVED = 60;

/** A value as JSON, cut to a readable length. */
export function describeValue(value: unknown): string {
  const json = value === undefined ? "undefined" : (JSON.stringify(value) ?? String(value));
  return json.length > MAX_RECEIVED ? `${json.slice(0, MAX_RECEIVED - 1)}…` : json;
}

/** Builds an issue and its message. */
export function issue(path: string, rule: string, expected: string, received: string): ContractIssue {
  const where = path === "" ? "the document" : path;
  const message =
    received === "nothing" ? `${where} is missing: expected ${expected}` : `${where} must be ${expected}, got ${received}`;
  return { path, rule, expected, received, message };
}

function fromCompiledError(error: CompiledError, prefix: string): ContractIssue {
  const { keyword, params, parentSchema } = error;
  const at = prefix + error.instancePath;
  const title = parentSchema?.title;
  switch (keyword) {
    case "required":
      return issue(`${at}/${pointerToken(String(params.missingProperty))}`, keyword, "a value", "nothing");
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      // Field names are case-sensitive; a client that wrote `track` meant `Track`.
      const meant = Object.keys(parentSchema?.properties ?? {}).find((name) => name.toLowerCase() === field.toLowerCase());
      const expected = meant === undefined ? "absent (not a field of this request)" : `absent (not a field of this request; field names are case-sensitive: did you mean ${meant}?)`;
      return issue(`${at}/${pointerToken(field)}`, keyword, expected, describeValue(error.data === undefined ? undefined : (error.data as Record<string, unknown>)[field]));
    }
    case "dependentRequired":
      return issue(`${at}/${pointerToken(String(params.property))}`, keyword, `given together with ${String(params.missingProperty)}`, describeValue((error.data as Record<string, unknown>)[String(params.property)]));
    case "type":
      return issue(at, keyword, `of type ${String(params.type).replace(",", " or ")}`, describeValue(error.data));
    case "enum":
      return issue(at, keyword, `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`, describeValue(error.data));
    case "pattern":
      return issue(at, keyword, `${title ? `a ${title}` : "a string"} matching ${String(params.pattern)}`, describeValue(error.data));
    case "format":
      return issue(at, keyword, FORMAT_WORDS[String(params.format)] ?? `in format ${String(params.format)}`, describeValue(error.data));
    case "minLength":
    case "maxLength":
      return issue(at, keyword, `${keyword === "minLength" ? "at least" : "at most"} ${String(params.limit)} characters long`, describeValue(error.data));
    case "minimum":
    case "maximum":
      return issue(at, keyword, `${String(params.comparison)} ${String(params.limit)}`, describeValue(error.data));
    default:
      return issue(at, keyword, `valid by the rule "${keyword}" ${JSON.stringify(params)}`, describeValue(error.data));
  }
}

/**
 * The issues of a failed check, paths under `prefix`. A length error is left out where the same
 * value also fails its pattern: the pattern already says all (SIDs are fixed by both).
 */
export function issuesOf(check: CompiledCheck, prefix = ""): ContractIssue[] {
  const errors = check.errors ?? [];
  const patternPaths = new Set(errors.filter((e) => e.keyword === "pattern").map((e) => e.instancePath));
  return errors
    .filter((e) => !((e.keyword === "minLength" || e.keyword === "maxLength") && patternPaths.has(e.instancePath)))
    .map((e) => fromCompiledError(e, prefix));
}

/** The validate / is / assert trio of one compiled check. */
export interface Validator<T> {
  validate(value: unknown): ValidationResult<T>;
  is(value: unknown): value is T;
  assert(value: unknown): asserts value is T;
}

/** Makes the trio for `check`, `subject` naming what it checks in errors. */
export function defineValidator<T>(check: CompiledCheck, subject: string): Validator<T> {
  return {
    validate: (value) => (check(value) ? { valid: true, value: value as T } : { valid: false, errors: issuesOf(check) }),
    is: (value): value is T => check(value),
    assert(value): asserts value is T {
      if (!check(value)) throw new ContractViolationError(subject, issuesOf(check));
    },
  };
}
