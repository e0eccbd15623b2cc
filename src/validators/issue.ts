/**
 * Failures are data: every broken rule becomes a `ContractIssue` that says where (a JSON
 * Pointer), which rule, what was expected and what was received; the message is rendered from
 * those fields.
 */
import { pointerToken } from "../lib/json.js";
import { describeValue } from "./describe.js";

export { describeValue };

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
  { readonly valid: true; readonly value: T } | { readonly valid: false; readonly issues: readonly ContractIssue[] };

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
  "date-time-iso-8601": "an ISO 8601 (RFC 3339) date-time such as 2026-01-01T00:00:00.000Z",
  "mulaw-base64": "base64 of raw μ-law audio (padded, at least one byte, no WAV or other file header)",
};

/** Builds an issue and its message. */
export function issue(path: string, rule: string, expected: string, received: string): ContractIssue {
  const where = path === "" ? "the document" : path;
  const message =
    received === "nothing"
      ? `${where} is missing: expected ${expected}`
      : rule === "readable"
        ? `${where} could not be read: ${received}`
        : `${where} must be ${expected}, got ${received}`;
  return { path, rule, expected, received, message };
}

// What an issue expects, worded once per rule of the schema (keyed by the schema's own values,
// which live as long as the compiled checks): wording it again for every invalid value was a
// good part of the cost of reporting it.
const TYPE_WORDS = new Map<unknown, string>();
const ENUM_WORDS = new Map<unknown, string>();
const PATTERN_WORDS = new Map<unknown, string>();

/** The wording of `error` kept under `key`, worded by `word` the first time (no closure per call). */
function remembered(words: Map<unknown, string>, key: unknown, word: (error: CompiledError) => string, error: CompiledError): string {
  let text = words.get(key);
  if (text === undefined) {
    text = word(error);
    words.set(key, text);
  }
  return text;
}
const typeWords = ({ params }: CompiledError): string => `of type ${String(params.type).replace(",", " or ")}`;
const enumWords = ({ params }: CompiledError): string =>
  `one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
const patternWords = ({ params, parentSchema }: CompiledError): string =>
  `${parentSchema?.title ? `a ${parentSchema.title}` : "a string"} matching ${String(params.pattern)}`;

function fromCompiledError(error: CompiledError, prefix: string): ContractIssue {
  const { keyword, params, parentSchema } = error;
  const at = prefix + error.instancePath;
  switch (keyword) {
    case "required":
      return issue(`${at}/${pointerToken(String(params.missingProperty))}`, keyword, "a value", "nothing");
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      // Field names are case-sensitive; a client that wrote `track` meant `Track`.
      const meant = Object.keys(parentSchema?.properties ?? {}).find((name) => name.toLowerCase() === field.toLowerCase());
      const expected =
        meant === undefined
          ? "absent (not a field of this request)"
          : `absent (not a field of this request; field names are case-sensitive: did you mean ${meant}?)`;
      return issue(`${at}/${pointerToken(field)}`, keyword, expected, describeValue(propertyOf(error.data, field)));
    }
    case "dependentRequired":
      return issue(
        `${at}/${pointerToken(String(params.property))}`,
        keyword,
        `given together with ${String(params.missingProperty)}`,
        describeValue(propertyOf(error.data, String(params.property))),
      );
    case "type":
      return issue(at, keyword, remembered(TYPE_WORDS, params.type, typeWords, error), describeValue(error.data));
    case "enum":
      return issue(at, keyword, remembered(ENUM_WORDS, params.allowedValues, enumWords, error), describeValue(error.data));
    case "pattern":
      return issue(at, keyword, remembered(PATTERN_WORDS, parentSchema ?? params.pattern, patternWords, error), describeValue(error.data));
    case "format":
      return issue(at, keyword, FORMAT_WORDS[String(params.format)] ?? `in format ${String(params.format)}`, describeValue(error.data));
    case "minLength":
    case "maxLength":
      return issue(
        at,
        keyword,
        `${keyword === "minLength" ? "at least" : "at most"} ${String(params.limit)} characters long`,
        describeValue(error.data),
      );
    case "minimum":
    case "maximum":
      return issue(at, keyword, `${String(params.comparison)} ${String(params.limit)}`, describeValue(error.data));
    default:
      return issue(at, keyword, `valid by the rule "${keyword}" ${describeValue(params)}`, describeValue(error.data));
  }
}

/**
 * The issues of a failed check, paths under `prefix`. A length error is left out where the same
 * value also fails its pattern: the pattern already says all (SIDs are fixed by both).
 */
export function issuesOf(check: CompiledCheck, prefix = ""): ContractIssue[] {
  const errors = check.errors ?? [];
  const issues: ContractIssue[] = [];
  // A plain loop: this runs for every invalid value, and a Set and three array passes were most
  // of its cost.
  for (const error of errors) {
    const isLength = error.keyword === "minLength" || error.keyword === "maxLength";
    if (isLength && errors.some((e) => e.keyword === "pattern" && e.instancePath === error.instancePath)) continue;
    issues.push(fromCompiledError(error, prefix));
  }
  return issues;
}

/** `data[key]` for an issue's `received`; undefined when `data` is not an object or reading throws. */
function propertyOf(data: unknown, key: string): unknown {
  if (typeof data !== "object" || data === null) return undefined;
  try {
    return (data as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
