/**
 * `defineValidator` turns one compiled check into the validate / is / assert trio (`is` asks the
 * check to stop at the first broken rule), which returns a verdict for any JavaScript value: a
 * value whose getters or Proxy traps throw is read again carefully (careful.ts) and reported,
 * never thrown. The guard costs nothing on the fast path — one try/catch around the compiled code.
 */
import { checkCarefully } from "./careful.js";
import { type CompiledCheck, ContractViolationError, type ContractIssue, type ValidationResult } from "./issue.js";

/** The validate / is / assert trio of one compiled check. */
export interface Validator<T> {
  validate(value: unknown): ValidationResult<T>;
  is(value: unknown): value is T;
  assert(value: unknown): asserts value is T;
}

/** Makes the trio for `check`, `subject` naming what it checks in errors. */
export function defineValidator<T>(check: CompiledCheck, subject: string): Validator<T> {
  /** The issues of `value`, or null when it is valid (a value that cannot be read has issues). */
  const issuesOfValue = (value: unknown): readonly ContractIssue[] | null => {
    try {
      return check(value, "");
    } catch (thrown) {
      return checkCarefully(check, value, thrown);
    }
  };
  return {
    validate(value) {
      const issues = issuesOfValue(value);
      return issues === null ? { valid: true, value: value as T } : { valid: false, issues };
    },
    is(value): value is T {
      try {
        return check(value, "", true) === null;
      } catch {
        return false;
      }
    },
    assert(value): asserts value is T {
      const issues = issuesOfValue(value);
      if (issues !== null) throw new ContractViolationError(subject, issues);
    },
  };
}
