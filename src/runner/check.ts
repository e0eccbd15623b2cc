/**
 * A check, as every checker (verify, verify --callbacks, check-media-server,
 * check-status-callback) writes one: a name, what it asserts, when it applies, and a property
 * over generated samples that throws a CheckIssue when the target breaks a rule. The runner
 * (src/runner/run.ts) knows nothing of any single check.
 */
import type fc from "fast-check";

/** The target broke a rule (an issue: the one word for a broken rule, CONTRIBUTING.md): what was expected, what came. */
export class CheckIssue extends Error {
  override readonly name: string = "CheckIssue";
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(message);
  }
}

/** Handed to a check's run: how it says a sample could not reach its assertion. */
interface Reach {
  /**
   * The sample could not reach the assertion (an earlier step failed, the server sent nothing to
   * judge): a check none of whose samples got that far is skipped, not passed.
   */
  readonly unreached: () => void;
}

/** One check of a catalogue. */
export interface Check<Env, T = unknown> {
  /** Stable name: reports, `--only`, the docs and tests use it. */
  readonly name: string;
  /** What it asserts, in one line (help texts and the docs' tables, generated). */
  readonly asserts: string;
  /** When false, the check does not apply to this run and is left out (e.g. no `--max-response-time`). */
  readonly applies?: (env: Env) => boolean;
  /** Why it is skipped in this run (reported as skipped, with the reason), if it is. */
  readonly skip?: (env: Env) => string | undefined;
  readonly arbitrary: (env: Env) => fc.Arbitrary<T>;
  /** Deterministic examples run before the random samples (verify's coverage phase). */
  readonly examples?: (env: Env) => readonly T[];
  /** Sends the sample to the target and throws a CheckIssue when the answer breaks a rule. */
  readonly run: (sample: T, env: Env, reach: Reach) => Promise<void>;
  /** Why nothing was checked when no sample reached the assertion (default: a generic sentence). */
  readonly unreachedMessage?: (samples: number) => string;
}

/** A check with its sample type forgotten, so that checks of different samples share a catalogue. */
export function erase<Env, T>(check: Check<Env, T>): Check<Env, unknown> {
  return check as unknown as Check<Env, unknown>;
}
