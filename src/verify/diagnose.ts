/**
 * When most checks fail the same way, the server is probably fine and the run is misconfigured:
 * nearly every answer 401 means the credentials are wrong, nearly every answer 404 that the base
 * URL or the states URL is. One hint then says so, instead of a screen of identical failures.
 */

/** A probable misconfiguration and the checks whose failures it explains. */
export interface Diagnosis {
  /** What was seen, e.g. `11 of 12 failing checks got 401`. */
  readonly seen: string;
  /** What is probably wrong and what to do. */
  readonly hint: string;
  /** Names of the checks whose failure it explains. */
  readonly explains: readonly string[];
}

/** What the diagnosis looks at, per failed check. */
export interface FailedCheck {
  readonly name: string;
  /** Status of the failing answer, when there was one. */
  readonly status?: number;
  /** The states URL refused a state change. */
  readonly stateError?: boolean;
}

/** The share of failures that must agree before they are put down to one cause. */
const NEARLY_ALL = 0.8;
/** Fewer failures than this are shown as they are. */
const AT_LEAST = 3;

const HINTS: Readonly<Record<number, string>> = {
  401: "the credentials are probably wrong: check --account-sid and --auth-token (or TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN); the account SID must be the one in the request paths, and the auth token its current token",
  403: "the account is probably not allowed to use this API: check the credentials and the account's permissions",
  404: "the base URL is probably wrong (the checks request /2010-04-01/Accounts/…/Calls/…/Streams.json under --base-url), or the states URL does not set up the calls the checks use (check --states-url and that its handler knows the states `a call is in progress`, `a stream is in progress`, `no call exists`)",
  405: "the base URL probably points at something else than the Twilio API (POST is refused): check --base-url",
};

/** The probable misconfigurations behind `failed`, if any. */
export function diagnose(failed: readonly FailedCheck[], statesUrl: string | undefined): Diagnosis[] {
  const diagnoses: Diagnosis[] = [];
  const stateFailures = failed.filter((f) => f.stateError === true);
  if (stateFailures.length > 0) {
    diagnoses.push({
      seen: `${stateFailures.length} check${stateFailures.length === 1 ? "" : "s"} could not set up a provider state`,
      hint: `the states URL ${statesUrl ?? ""} refused the standard state-change request (POST JSON {"state", "params", "action": "setup" | "teardown"}): check --states-url and the server's state handler`,
      explains: stateFailures.map((f) => f.name),
    });
  }
  const withStatus = failed.filter((f) => f.stateError !== true && f.status !== undefined);
  if (withStatus.length >= AT_LEAST) {
    const counts = new Map<number, string[]>();
    for (const f of withStatus) counts.set(f.status as number, [...(counts.get(f.status as number) ?? []), f.name]);
    for (const [status, names] of counts) {
      if (names.length / withStatus.length >= NEARLY_ALL && HINTS[status] !== undefined) {
        diagnoses.push({
          seen: `${names.length} of ${withStatus.length} failing checks got ${status}`,
          hint: HINTS[status],
          explains: names,
        });
      }
    }
  }
  return diagnoses;
}
