/**
 * How to replay a failure found by fast-check: the flags to add to the command that found it.
 * The console summaries and the HTML report print the same line.
 */
import type { CheckFailure, CheckOutcome } from "./types.js";

/**
 * `--seed S --only 'CHECK' [--replay-path P]`, quoted for a POSIX shell; undefined when the
 * failure has no seed (it was not found by a property).
 */
export function replayFlags(failure: CheckFailure, outcome: CheckOutcome): string | undefined {
  if (failure.seed === undefined) return undefined;
  const check = outcome.name.replace(`${outcome.group} › `, ""); // --only takes the name within its group
  const path = failure.replayPath === undefined ? "" : ` --replay-path ${failure.replayPath}`;
  return `--seed ${failure.seed} --only '${check.replace(/'/g, "'\\''")}'${path}`;
}
