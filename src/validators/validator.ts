/**
 * `defineValidator` turns one compiled check into the validate / is / assert trio, which returns
 * a verdict for any JavaScript value: a value whose getters or Proxy traps throw is read again
 * carefully (careful.ts) and reported, never thrown. The guard costs nothing on the fast path —
 * one try/catch around the compiled check and the rendering of its issues.
 */
import { checkCarefully } from "./careful.js";
import { type CompiledCheck, ContractViolationError, type ContractIssue, issuesOf, type ValidationResult } from "./issue.js";

/** The validate / is / assert trio of one compiled check. */
export interface Validator<T> {
  validate(value: unknown): ValidationResult<T>;
  is(value: unknown): value is T;
  assert(value: unknown): asserts value is T;
}

/** Makes the trio for `check`, `subject` naming what it checks in errors. */
export function defineValidator<T>(check: CompiledCheck, subject: string): Validator<T> {
  /** The issues of `value`, none when it is valid. */
  const issuesOfValue = (value: unknown): readonly ContractIssue[] => {
    try {
      return check(value) ? NONE : issuesOf(check);
    } catch (thrown) {
      return checkCarefully(check, value, thrown);
    }
  };
  return {
    validate(value) {
      const issues = issuesOfValue(value);
      return issues === NONE ? { valid: true, value: value as T } : { valid: false, issues: issues };
    },
    is(value): value is T {
      try {
        return check(value);
      } catch {
        return false;
      }
    },
    assert(value): asserts value is T {
      const issues = issuesOfValue(value);
      if (issues !== NONE) throw new ContractViolationError(subject, issues);
    },
  };
}

const NONE: readonly ContractIssue[] = Object.freeze([]);
