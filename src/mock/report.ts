/**
 * A client check as data (RunReport, src/report/types.ts): one outcome per operation — passed
 * when none of its requests broke the contract — one for requests to no Stream path, and what
 * the caller adds (check-client: the command's exit, whether any request arrived).
 */
import type { MediaSessionRecord } from "../dialer/session.js";
import type { ClientViolation, RecordedRequest } from "../engine/journal.js";
import type { CallbackDelivery } from "../status-callbacks/sender.js";
import type { CheckFailure, CheckOutcome, RunReport } from "../report/types.js";

/** Failures listed per outcome; the rest are counted in its message. */
const MAX_FAILURES = 50;

/** What a run of the mock recorded. */
export interface ClientRecord {
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly ClientViolation[];
  /** The status callbacks the mock sent, when it sent any. */
  readonly callbacks?: readonly CallbackDelivery[];
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

/** Callbacks that went wrong on the receiver's side (blocked and dropped ones were never sent). */
const RECEIVER_FAILURES = new Set(["non-2xx", "refused", "timeout", "error"]);

/** The receivers' side: every callback sent answered 2xx (slow ones pass, with a note). */
export function callbackOutcome(callbacks: readonly CallbackDelivery[]): CheckOutcome {
  const name = "client › status callback receivers answer 2xx";
  const sent = callbacks.filter((c) => c.outcome !== "blocked" && c.outcome !== "dropped");
  const notSent = callbacks.length - sent.length;
  const note = notSent > 0 ? `; ${notSent} not sent (not a loopback host, or too many waiting)` : "";
  if (sent.length === 0) return { name, group: "client", status: "skipped", durationMs: 0, message: `no status callback was sent${note}`, failures: [] };
  const failed = sent.filter((c) => RECEIVER_FAILURES.has(c.outcome));
  const slow = sent.filter((c) => c.outcome === "slow").length;
  return {
    name,
    group: "client",
    status: failed.length === 0 ? "passed" : "failed",
    durationMs: 0,
    message: `${sent.length} callback(s) sent, ${failed.length} not answered with 2xx${slow > 0 ? `, ${slow} slow` : ""}${note}`,
    failures: failed.slice(0, MAX_FAILURES).map((c) => ({
      message: `${c.event} ${c.method} ${c.url} (Stream ${c.streamSid}): ${c.outcome}, ${c.message}`,
      expected: "a 2xx answer",
      actual: c.status === undefined ? c.outcome : `HTTP ${c.status}`,
    })),
  };
}

/** The outcomes of what the mock recorded. */
export function clientOutcomes({ requests, violations, callbacks }: ClientRecord): CheckOutcome[] {
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
    ...(callbacks === undefined || callbacks.length === 0 ? [] : [callbackOutcome(callbacks)]),
  ];
}

/** The outcome of the Streams the mock dialled (`--stream-media`): passed when no server broke the protocol. */
export function mediaOutcome(sessions: readonly MediaSessionRecord[]): CheckOutcome {
  const name = "media › the WebSocket servers follow the Media Streams protocol";
  const dialled = sessions.filter((s) => s.state !== "not-dialled");
  if (dialled.length === 0) return { name, group: "media", status: "skipped", durationMs: 0, message: "no Stream was dialled", failures: [] };
  const violations = sessions.flatMap((s) => s.violations);
  const more = violations.length > MAX_FAILURES ? ` (first ${MAX_FAILURES} listed)` : "";
  return {
    name,
    group: "media",
    status: violations.length === 0 ? "passed" : "failed",
    durationMs: 0,
    message: `${dialled.length} Stream(s) dialled, ${violations.length} violation(s)${more}`,
    failures: violations.slice(0, MAX_FAILURES).map((v) => ({ message: `${v.url} (${v.streamSid}): ${v.code} ${v.title}: ${v.message}` })),
  };
}

/** A RunReport of a client check. */
export function clientRunReport(tool: "mock" | "check-client", target: string, started: Date, outcomes: readonly CheckOutcome[]): RunReport {
  return { tool, target, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime(), outcomes };
}
