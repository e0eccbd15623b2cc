/**
 * A client check as data (RunReport, src/report/types.ts): one outcome per operation — passed
 * when none of its requests broke the contract — one for requests to no Stream path, and what
 * the caller adds (check-client: the command's exit, whether any request arrived).
 */
import type { ClientViolation, RecordedRequest } from "../engine/journal.js";
import type { CheckFailure, CheckOutcome, RunReport } from "../report/types.js";

/** Failures listed per outcome; the rest are counted in its message. */
const MAX_FAILURES = 50;

/** What a run of the mock recorded. */
export interface ClientRecord {
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly ClientViolation[];
}

/** One violation as a report failure: the request, then expected versus received. */
function violationFailure(violation: ClientViolation): CheckFailure {
  return {
    message: `${violation.method} ${violation.path} → ${violation.status}: ${violation.message}`,
    expected: violation.issues.map((i) => `${i.path}: ${i.expected}`).join("; "),
    actual: violation.issues.map((i) => `${i.path}: ${i.received}`).join("; "),
  };
}

function outcome(name: string, requests: readonly RecordedRequest[], violations: readonly ClientViolation[], skipWhenEmpty: boolean): CheckOutcome {
  if (requests.length === 0 && skipWhenEmpty) {
    return { name, group: "client", status: "skipped", durationMs: 0, message: "no such request was made", failures: [] };
  }
  const more = violations.length > MAX_FAILURES ? ` (first ${MAX_FAILURES} listed)` : "";
  return {
    name,
    group: "client",
    status: violations.length === 0 ? "passed" : "failed",
    durationMs: 0,
    message: `${requests.length} request(s), ${violations.length} violation(s)${more}`,
    failures: violations.slice(0, MAX_FAILURES).map(violationFailure),
  };
}

/** The outcomes of what the mock recorded. */
export function clientOutcomes({ requests, violations }: ClientRecord): CheckOutcome[] {
  const of = (operation: RecordedRequest["operation"]) => ({
    requests: requests.filter((r) => r.operation === operation),
    violations: violations.filter((v) => v.operation === operation),
  });
  const create = of("CreateStream");
  const update = of("UpdateStream");
  const other = of(undefined);
  return [
    outcome("client › CreateStream requests follow the contract", create.requests, create.violations, true),
    outcome("client › UpdateStream requests follow the contract", update.requests, update.violations, true),
    outcome("client › requests go to the Streams API's paths", other.requests, other.violations, false),
  ];
}

/** A RunReport of a client check. */
export function clientRunReport(tool: "mock" | "check-client", target: string, started: Date, outcomes: readonly CheckOutcome[]): RunReport {
  return { tool, target, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime(), outcomes };
}
