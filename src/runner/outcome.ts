/**
 * What every checker's run ends with, written once: the marks of a check's line, the exit code
 * of a report, the default seed, and how long one check may take.
 */
import type { CheckOutcome, RunReport } from "../report/types.js";

/** The status column of a check's line (summaries and progress lines). */
export const MARK: Readonly<Record<CheckOutcome["status"], string>> = { passed: "ok  ", failed: "FAIL", skipped: "skip" };

/**
 * How long one check may take: a slow target makes shrinking slow (each step is a round trip or
 * a session), so past it every further sample passes at once and the check ends with the
 * smallest counterexample found so far. check-media-server also stops drawing samples then.
 */
export const CHECK_TIME_BUDGET_MS = 60_000;

/** A fast-check seed when none was given: random, and printed by every tool. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/**
 * 0 conformant, 1 a check failed (a contract violation), 2 the run could not be done. With
 * `nothingTested: 2`, a run whose every check was skipped is not a pass either (check-media-server).
 */
export function exitCodeOf(report: Pick<RunReport, "runError" | "outcomes">, options: { readonly nothingTested?: 0 | 2 } = {}): 0 | 1 | 2 {
  if (report.runError !== undefined) return 2;
  if (report.outcomes.some((o) => o.status === "failed")) return 1;
  return report.outcomes.some((o) => o.status === "passed") ? 0 : (options.nothingTested ?? 0);
}
