/**
 * The conformance-check framework: a check is a fast-check property over the live server. It
 * generates requests with the project's arbitraries, sends them, and throws a `Violation` when
 * the answer breaks the contract; fast-check shrinks the failing sample, and the outcome carries
 * the shrunk counterexample, its seed and replay path, and the request as curl.
 */
import fc from "fast-check";
import type { CheckFailure, CheckOutcome } from "../report/types.js";
import { redact } from "../secrets.js";
import type { Credentials } from "./credentials.js";
import { renderCurl } from "./curl.js";
import { ConnectionError, type HttpClient, type HttpExchange } from "./http.js";
import { StateChangeError, type StatesClient } from "./states.js";

/** What the checks run against. */
export interface CheckEnv {
  readonly http: HttpClient;
  readonly credentials: Credentials;
  /** The provider-state endpoint, when one was given. */
  readonly states: StatesClient | undefined;
  /** `--max-response-time`, in milliseconds. */
  readonly maxResponseTimeMs: number | undefined;
  /** Every Stream SID the server has handed out in this run (a new Stream must not reuse one). */
  readonly seenStreamSids: Set<string>;
  /**
   * `checkedRequests`: requests whose answers were checked (state changes not counted);
   * `calls`: calls set up so far (each sample gets a call of its own, see checks/fixtures.ts).
   */
  readonly counters: { checkedRequests: number; calls: number };
  /**
   * A check calls this when a sample cannot reach its assertion because an earlier step failed
   * (no create succeeded, say): that step's own check reports it. A check none of whose samples
   * got that far is reported as skipped, not as passed.
   */
  readonly unreached: () => void;
}

/** An answer that breaks the contract: what was expected, what came, and the exchange. */
export class Violation extends Error {
  override readonly name = "Violation";
  constructor(
    message: string,
    readonly expected: string,
    readonly actual: string,
    readonly exchange: HttpExchange | undefined,
  ) {
    super(message);
  }
}

/** One conformance check. */
export interface ConformanceCheck<T = unknown> {
  /** Stable name, e.g. `positive data acceptance`: reports, `--only` and tests use it. */
  readonly name: string;
  /** What it asserts, in one line (help text and README). */
  readonly asserts: string;
  /**
   * `required`: cannot run without a states URL (skipped with a notice);
   * `optional`: runs without one, but is stronger with it; `none`: never uses states.
   */
  readonly states: "required" | "optional" | "none";
  /** When false, the check does not apply to this run (e.g. no `--max-response-time`). */
  readonly enabled?: (env: CheckEnv) => boolean;
  readonly arbitrary: (env: CheckEnv) => fc.Arbitrary<T>;
  /** Sends the sample's requests and throws a Violation when an answer breaks the contract. */
  readonly run: (sample: T, env: CheckEnv) => Promise<void>;
}

/** How many samples, which seed, and optionally one path to replay. */
export interface PropertySettings {
  readonly numRuns: number;
  readonly seed: number;
  readonly replayPath?: string | undefined;
  /** Time left for the whole run (--max-duration), in milliseconds. */
  readonly timeLimitMs?: number;
}

/** A check's outcome, with what the run needs beyond the report. */
export interface CheckResult {
  readonly outcome: CheckOutcome;
  /** The server could not be reached: the run stops (exit 2). */
  readonly connectionError?: ConnectionError;
  /** The states URL refused a state change. */
  readonly stateError?: StateChangeError;
  /** The HTTP status of the shrunk failing answer, for the misconfiguration diagnosis. */
  readonly failedStatus?: number;
}

const GROUP = "conformance";

/** How long one check may take, generation and shrinking together. */
const CHECK_TIME_BUDGET_MS = 60_000;

/** Runs one check as a fast-check property and turns its result into an outcome. */
export async function runConformanceCheck<T>(check: ConformanceCheck<T>, env: CheckEnv, settings: PropertySettings): Promise<CheckResult> {
  const name = `${GROUP} › ${check.name}`;
  if (check.states === "required" && env.states === undefined) {
    return { outcome: { name, group: GROUP, status: "skipped", durationMs: 0, message: "needs provider states: give --states-url", failures: [] } };
  }
  const started = performance.now();
  // Set by the property when no answer came or a state could not be set up: from then on every
  // sample passes at once, so that fast-check stops shrinking instead of retrying a dead server.
  let stop: ConnectionError | StateChangeError | undefined;
  let unreached = 0;
  const own: CheckEnv = { ...env, unreached: () => (unreached += 1) };
  const property = fc.asyncProperty(check.arbitrary(own), async (sample) => {
    if (stop !== undefined) return;
    try {
      await check.run(sample, own);
    } catch (error) {
      if (error instanceof ConnectionError || error instanceof StateChangeError) {
        stop = error;
        return;
      }
      throw error;
    }
  });
  const details = await fc.check(property, {
    numRuns: settings.numRuns,
    seed: settings.seed,
    // A slow server makes shrinking slow (each step is a round trip or three): past the budget
    // the check ends with what it has, the smallest counterexample found so far included.
    interruptAfterTimeLimit: Math.min(CHECK_TIME_BUDGET_MS, settings.timeLimitMs ?? CHECK_TIME_BUDGET_MS),
    markInterruptAsFailure: false,
    ...(settings.replayPath === undefined ? {} : { path: settings.replayPath, endOnFailure: true }),
  });
  const durationMs = Math.round(performance.now() - started);
  const secrets = [env.credentials.authToken];
  const users = [env.credentials.accountSid];

  if (stop instanceof ConnectionError) {
    const failure: CheckFailure = { message: redact(`connection failure: ${stop.message}`, secrets, users) };
    return { outcome: { name, group: GROUP, status: "failed", durationMs, message: failure.message, failures: [failure] }, connectionError: stop };
  }
  if (stop instanceof StateChangeError) {
    const failure: CheckFailure = { message: redact(`provider state not set up: ${stop.message}`, secrets, users) };
    return { outcome: { name, group: GROUP, status: "failed", durationMs, message: failure.message, failures: [failure] }, stateError: stop };
  }
  if (!details.failed) {
    if (unreached >= details.numRuns) {
      const message = "no sample got far enough to be checked (an earlier step failed every time: see the other checks)";
      return { outcome: { name, group: GROUP, status: "skipped", durationMs, message, failures: [] } };
    }
    const budget = details.interrupted ? `, stopped after ${CHECK_TIME_BUDGET_MS / 1000} s` : "";
    return { outcome: { name, group: GROUP, status: "passed", durationMs, message: `${details.numRuns} samples${budget}`, failures: [] } };
  }
  const error = details.errorInstance;
  const violation = error instanceof Violation ? error : undefined;
  const message = violation?.message ?? (error instanceof Error ? `the check itself failed: ${error.message}` : String(error));
  const counterexample = details.counterexample?.[0];
  const failure: CheckFailure = {
    message: redact(message, secrets, users),
    ...(violation === undefined
      ? {}
      : {
          expected: redact(violation.expected, secrets, users),
          actual: redact(violation.actual, secrets, users),
          ...(violation.exchange === undefined ? {} : { curl: renderCurl(env.http.baseUrl, violation.exchange.request, env.credentials) }),
        }),
    seed: details.seed,
    replayPath: details.counterexamplePath ?? undefined,
    counterexample: JSON.parse(redact(JSON.stringify(counterexample ?? null), secrets, users)) as unknown,
  };
  return {
    outcome: { name, group: GROUP, status: "failed", durationMs, message: failure.message, failures: [failure] },
    ...(violation?.exchange === undefined ? {} : { failedStatus: violation.exchange.status }),
  };
}
