/**
 * Failures are data: every broken rule becomes a `ContractIssue` that says where (a JSON
 * Pointer), which rule, what was expected and what was received; the message is rendered from
 * those fields.
 */
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

/**
 * A validator compiled from a schema at build time (scripts/compile-schema.mjs): the issues of
 * `data`, their paths under the JSON Pointer `at`, or null when it is valid. With `stop`, it
 * returns STOPPED at the first broken rule instead (for the `is…` guards).
 */
export type CompiledCheck = (data: unknown, at: string, stop?: boolean) => readonly ContractIssue[] | null;

/** What a compiled check returns with `stop` for an invalid value. */
export const STOPPED: readonly ContractIssue[] = Object.freeze([]);

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

// The builders the compiled validators call where a rule breaks (the wording of what each rule
// expects is fixed at build time). Each carries `@lintignore`: generated/compiled.js (build
// output, seen by TypeScript as compiled.d.ts) calls them.

/** `issues` with `added` at its end; a list is made only for the first issue. @lintignore */
export function add(issues: ContractIssue[] | null, added: ContractIssue): ContractIssue[] {
  if (issues === null) return [added];
  issues.push(added);
  return issues;
}

/** A required field that is missing. @lintignore */
export function missing(path: string, expected = "a value"): ContractIssue {
  return issue(path, "required", expected, "nothing");
}

/** A value that breaks `rule`. @lintignore */
export function broken(path: string, rule: string, expected: string, value: unknown): ContractIssue {
  return issue(path, rule, expected, describeValue(value));
}

/** A field the schema does not have (`additionalProperties: false`); `fields` are those it has. @lintignore */
export function unknownField(path: string, value: unknown, field: string, fields: readonly string[]): ContractIssue {
  // Field names are case-sensitive; a client that wrote `track` meant `Track`.
  const lower = field.toLowerCase();
  const meant = fields.find((name) => name.toLowerCase() === lower);
  const expected =
    meant === undefined
      ? "absent (not a field of this request)"
      : `absent (not a field of this request; field names are case-sensitive: did you mean ${meant}?)`;
  return issue(path, "additionalProperties", expected, describeValue(value));
}

/** A field given without the field it needs (`dependentRequired`). @lintignore */
export function notTogether(path: string, needed: string, value: unknown): ContractIssue {
  return issue(path, "dependentRequired", `given together with ${needed}`, describeValue(value));
}
