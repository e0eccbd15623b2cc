/**
 * A client check as data (RunReport, src/report/types.ts): one outcome per operation — passed
 * when none of its requests broke the contract — one for requests to no Stream path, and what
 * the caller adds (check-client: the command's exit, whether any request arrived).
 */
import type { MediaSessionRecord } from "../dialer/session.js";
import type { ClientIssue, RecordedRequest } from "../engine/journal.js";
import type { CallbackDelivery, DeliveryOutcome } from "../status-callbacks/sender.js";
import type { CheckFailure, CheckOutcome, RunReport } from "../report/types.js";

/** Failures listed per outcome; the rest are counted in its message. */
const MAX_FAILURES = 50;

/** What a run of the mock recorded. */
export interface ClientRecord {
  readonly requests: readonly RecordedRequest[];
  readonly violations: readonly ClientIssue[];
  /** The status callbacks the mock sent, when it sent any (the latest 10,000). */
  readonly callbacks?: readonly CallbackDelivery[];
  /** How many callbacks ended each way, exact (also past the kept list's limit); default: counted from `callbacks`. */
  readonly callbackCounts?: CallbackCounts;
}

/** How many callbacks ended each way. */
export type CallbackCounts = Readonly<Partial<Record<DeliveryOutcome, number>>>;

/** The counts of the kept deliveries (when no exact ones are given). */
export function countOf(callbacks: readonly CallbackDelivery[]): CallbackCounts {
  const counts: Partial<Record<DeliveryOutcome, number>> = {};
  for (const c of callbacks) counts[c.outcome] = (counts[c.outcome] ?? 0) + 1;
  return counts;
}

/** The sum of `counts` over `outcomes`. */
function total(counts: CallbackCounts, outcomes: Iterable<DeliveryOutcome>): number {
  let sum = 0;
  for (const outcome of outcomes) sum += counts[outcome] ?? 0;
  return sum;
}

/** One violation as a report failure: the request, then expected versus received. */
function violationFailure(violation: ClientIssue): CheckFailure {
  return {
    message: `${violation.method} ${violation.path} → ${violation.status}: ${violation.message}`,
    expected: violation.issues.map((i) => `${i.path}: ${i.expected}`).join("; "),
    actual: violation.issues.map((i) => `${i.path}: ${i.received}`).join("; "),
  };
}

function outcome(
  name: string,
  requests: readonly RecordedRequest[],
  violations: readonly ClientIssue[],
  skipWhenEmpty: boolean,
): CheckOutcome {
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
const RECEIVER_FAILURES: readonly DeliveryOutcome[] = ["non-2xx", "refused", "timeout", "error"];
/** Callbacks sent. */
const SENT: readonly DeliveryOutcome[] = ["delivered", "slow", "no-account-token", ...RECEIVER_FAILURES];
/** What to do about a Stream the mock could not sign for (unknownAccountToken, src/engine/stream-events.ts). */
const NO_TOKEN_HINT = "an API key created the Stream: give the account's auth token with --auth-token or TWILIO_AUTH_TOKEN";

/**
 * The receivers' side: every callback sent answered 2xx (slow ones pass, with a note). From the
 * exact `counts` (default: those of `callbacks`); the failures listed are the kept ones.
 */
export function callbackOutcome(callbacks: readonly CallbackDelivery[], counts: CallbackCounts = countOf(callbacks)): CheckOutcome {
  const name = "client › status callback receivers answer 2xx";
  const sent = total(counts, SENT);
  const notSent = [
    (counts.blocked ?? 0) > 0 ? `${counts.blocked} not sent (not a loopback host)` : "",
    (counts.dropped ?? 0) > 0 ? `${counts.dropped} dropped (too many waiting)` : "",
  ].filter((part) => part !== "");
  const note = notSent.length > 0 ? `; ${notSent.join(", ")}` : "";
  if (sent === 0)
    return { name, group: "client", status: "skipped", durationMs: 0, message: `no status callback was sent${note}`, failures: [] };
  const failedCount = total(counts, RECEIVER_FAILURES);
  const unsigned = counts["no-account-token"] ?? 0;
  const unsignedNote = unsigned > 0 ? `; ${unsigned} refused because the mock could not sign them as Twilio does (${NO_TOKEN_HINT})` : "";
  if (sent === unsigned)
    return {
      name,
      group: "client",
      status: "skipped",
      durationMs: 0,
      message: `no callback could be checked${unsignedNote}${note}`,
      failures: [],
    };
  const failed = callbacks.filter((c) => RECEIVER_FAILURES.includes(c.outcome));
  const slow = counts.slow ?? 0;
  const more = failedCount > Math.min(failed.length, MAX_FAILURES) ? ` (first ${Math.min(failed.length, MAX_FAILURES)} listed)` : "";
  return {
    name,
    group: "client",
    status: failedCount === 0 ? "passed" : "failed",
    durationMs: 0,
    message: `${sent} callback(s) sent, ${failedCount} not answered with 2xx${more}${slow > 0 ? `, ${slow} slow` : ""}${unsignedNote}${note}`,
    failures: failed.slice(0, MAX_FAILURES).map((c) => ({
      message: `${c.event} ${c.method} ${c.url} (Stream ${c.streamSid}): ${c.outcome}, ${c.message}`,
      expected: "a 2xx answer",
      actual: c.status === undefined ? c.outcome : `HTTP ${c.status}`,
    })),
  };
}

/** The outcomes of what the mock recorded. */
export function clientOutcomes({ requests, violations, callbacks = [], callbackCounts }: ClientRecord): CheckOutcome[] {
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
    ...(callbacks.length === 0 && Object.keys(callbackCounts ?? {}).length === 0 ? [] : [callbackOutcome(callbacks, callbackCounts)]),
  ];
}

/** The outcome of the Streams the mock dialled (`--stream-media`): passed when no server broke the protocol. */
export function mediaOutcome(sessions: readonly MediaSessionRecord[]): CheckOutcome {
  const name = "media › the WebSocket servers follow the Media Streams protocol";
  const dialled = sessions.filter((s) => s.state !== "not-dialled");
  const unverified = dialled.filter((s) => s.unverified === true).length;
  const unverifiedNote =
    unverified > 0 ? `; ${unverified} refused the upgrade the mock could not sign as Twilio does (${NO_TOKEN_HINT})` : "";
  if (dialled.length === unverified)
    return {
      name,
      group: "media",
      status: "skipped",
      durationMs: 0,
      message: dialled.length === 0 ? "no Stream was dialled" : `no Stream could be checked${unverifiedNote}`,
      failures: [],
    };
  const violations = sessions.flatMap((s) => s.violations);
  const more = violations.length > MAX_FAILURES ? ` (first ${MAX_FAILURES} listed)` : "";
  return {
    name,
    group: "media",
    status: violations.length === 0 ? "passed" : "failed",
    durationMs: 0,
    message: `${dialled.length} Stream(s) dialled, ${violations.length} violation(s)${more}${unverifiedNote}`,
    failures: violations.slice(0, MAX_FAILURES).map((v) => ({ message: `${v.url} (${v.streamSid}): ${v.code} ${v.title}: ${v.message}` })),
  };
}

/** A RunReport of a client check. */
export function clientRunReport(
  tool: "mock" | "check-client",
  target: string,
  started: Date,
  outcomes: readonly CheckOutcome[],
): RunReport {
  return { tool, target, startedAt: started.toISOString(), durationMs: Date.now() - started.getTime(), outcomes };
}
