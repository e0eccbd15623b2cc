/**
 * One run of `verify`: Pact verification of the contracts and the property-based conformance
 * checks against one server (the bundled reference provider when no base URL is given),
 * gathered into a RunReport. The CLI renders it; `--report` writes it.
 */
import { createStreamPath } from "../contract/paths.js";
import type { CheckOutcome, RunReport } from "../report/types.js";
import { runChecks, type ChecksResult } from "../runner/run.js";
import { redact } from "../secrets.js";
import { CALLBACK_CHECK_NAMES, checkCallbacks } from "./callbacks.js";
import { conformanceSettings, type CheckEnv, type ConformanceCheck, AnswerIssue } from "./check.js";
import { CONFORMANCE_CHECKS } from "./checks/index.js";
import { redactionOf } from "./credentials.js";
import { diagnose, type Diagnosis, type FailedCheck } from "./diagnose.js";
import { ConnectionError } from "./http.js";
import { verifyPacts, type PactVerificationResult } from "./pact.js";
import { bareRequest } from "./requests.js";
import { StateChangeError } from "./states.js";
import { checkEnvOf, setUpTarget, type Target } from "./target.js";
import { settingsOf, VerifyConfigError, type VerifyOptions, type VerifySettings } from "./settings.js";

export { VerifyConfigError, type VerifyOptions } from "./settings.js";

/** A run of verify: the RunReport and what verify adds to it. */
export interface VerifyReport extends RunReport {
  readonly tool: "verify";
  /** The fast-check seed of the conformance checks. */
  readonly seed: number;
  /** Random samples per conformance check, after its coverage examples. */
  readonly runs: number;
  /**
   * The coverage phase: deterministic examples the checks ran before their random samples, all
   * checks together (src/verify/coverage.ts). Optional: check-status-callback's summary has none.
   */
  readonly coverageExamples?: number;
  /** Requests whose answers were checked (state changes and the Pact verifier's not counted). */
  readonly checkedRequests: number;
  /** Things the reader should know first (reference provider used, checks skipped …). */
  readonly notices: readonly string[];
  /** Probable misconfigurations behind most failures. */
  readonly diagnoses: readonly Diagnosis[];
  /** The server could not be reached, or the Pact verifier could not run: exit 2. */
  readonly runError?: string;
}

/** Runs verify: Pact verification and conformance checks; never throws for a broken server. */
export async function runVerify(options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const settings = settingsOf(options);
  const progress = options.onProgress ?? (() => {});
  const target = await setUpTarget(options, settings);
  const env = checkEnvOf(target, options);
  const { secrets, users } = redactionOf(target.credentials);
  const report = (outcomes: readonly CheckOutcome[], diagnoses: readonly Diagnosis[], runError?: string): VerifyReport => ({
    tool: "verify",
    target: target.name,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes,
    seed: settings.seed,
    runs: settings.runs,
    coverageExamples: env.counters.coverageExamples,
    checkedRequests: env.counters.checkedRequests,
    notices: target.notices,
    diagnoses,
    ...(runError === undefined ? {} : { runError: redact(runError, secrets, users) }),
  });
  const deadline = started + settings.maxDurationMs;
  const stopPact = new AbortController();
  const overtime = setTimeout(() => stopPact.abort(), Math.max(0, deadline - Date.now()));
  try {
    progress(
      `verify: checking ${target.name} (seed ${settings.seed}; each check: its coverage examples, then ${settings.runs} random samples)`,
    );
    // One request first: a server that is not there is a usage error, not a hundred failures.
    const unreachable = await probe(env);
    if (unreachable !== undefined) return report([], [], unreachable);
    const { checks, callbacks } = selectChecks(options);
    const pact = options.skipPact ? undefined : startPact(target, settings, stopPact.signal, progress);
    const conformance = await runChecks(
      checks,
      env,
      conformanceSettings(env, {
        numRuns: settings.runs,
        seed: settings.seed,
        replayPath: options.replayPath,
        timeLimit: () => ({ ms: Math.max(1, deadline - Date.now()), note: ", stopped by --max-duration" }),
        deadline: { at: deadline, message: "not run: --max-duration reached" },
        concurrency: settings.concurrency,
        onProgress: progress,
      }),
    );
    for (const result of conformance.results) env.counters.coverageExamples += result.examples;
    if (conformance.dead !== undefined) stopPact.abort(); // the verifier would only wait for the same dead server
    const pactResult = await pact;
    const callbackOutcomes =
      callbacks && conformance.dead === undefined ? await runCallbackChecks(env, options, settings.seed, progress) : [];
    const outcomes = [...(pactResult?.outcomes ?? []), ...conformance.results.map((r) => r.outcome), ...callbackOutcomes];
    // Past the deadline by the clock too: on a busy machine the timer may fire after the runner
    // has already skipped the checks left, and the report must still say it is partial.
    const runError =
      conformance.dead?.error instanceof ConnectionError
        ? conformance.dead.error.message
        : stopPact.signal.aborted || Date.now() >= deadline
          ? `stopped after --max-duration ${settings.maxDurationMs} ms: this report is partial`
          : pactResult?.error;
    return report(outcomes, diagnose(failedChecks(pactResult, conformance), target.statesUrl?.toString()), runError);
  } finally {
    clearTimeout(overtime);
    await target.close();
  }
}

/** One request before the checks: the server's connection error, if it cannot be reached. */
async function probe(env: CheckEnv): Promise<string | undefined> {
  try {
    await env.http.send(
      bareRequest(env.credentials, "GET", createStreamPath(env.credentials.accountSid, "CA00000000000000000000000000000000")),
    );
    return undefined;
  } catch (error) {
    if (error instanceof ConnectionError) return error.message;
    throw error;
  }
}

/** The conformance checks `--only` names, and whether the callback checks run; a usage error when none is named. */
function selectChecks(options: VerifyOptions): { checks: readonly ConformanceCheck[]; callbacks: boolean } {
  const only = options.only;
  const checks = CONFORMANCE_CHECKS.filter((check) => only === undefined || check.name.includes(only));
  const callbacks = options.callbacks === true && (only === undefined || CALLBACK_CHECK_NAMES.some((name) => name.includes(only)));
  if (checks.length === 0 && !callbacks)
    throw new VerifyConfigError((n) => `no conformance check is named like ${JSON.stringify(only)} (${n("only")})`);
  return { checks, callbacks };
}

/** The Pact verification, started beside the conformance checks (its progress line when done). */
function startPact(
  target: Target,
  settings: VerifySettings,
  signal: AbortSignal,
  progress: (line: string) => void,
): Promise<PactVerificationResult> {
  const pact = verifyPacts({
    providerBaseUrl: target.name,
    credentials: target.credentials,
    timeoutMs: settings.timeoutMs,
    signal,
    ...(settings.pactPaths === undefined ? {} : { pactPaths: settings.pactPaths }),
    ...(target.statesUrl === undefined ? {} : { statesUrl: target.statesUrl.toString() }),
  }).then((result) => {
    const passed = result.outcomes.filter((o) => o.status === "passed").length;
    progress(`verify: Pact verification: ${passed}/${result.outcomes.length} interactions passed`);
    return result;
  });
  // Awaited after the checks; marked handled now so that an early rejection (unreadable
  // pacts) is not an unhandled one meanwhile.
  pact.catch(() => undefined);
  return pact;
}

/** `--callbacks`: the status-callback checks, filtered by `--only`, a progress line each. */
async function runCallbackChecks(
  env: CheckEnv,
  options: VerifyOptions,
  seed: number,
  progress: (line: string) => void,
): Promise<CheckOutcome[]> {
  progress("verify: status callbacks: creating Streams whose StatusCallback is verify's own receiver on 127.0.0.1");
  return checkCallbacks(env, {
    callSid: `CA${(seed >>> 0).toString(16).padStart(8, "0")}${"c".repeat(24)}`,
    onProgress: progress,
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.callbackWaitMs === undefined ? {} : { waitMs: options.callbackWaitMs }),
  });
}

/** What the diagnosis looks at: each failed check, the status of its failing answer, a refused state change. */
function failedChecks(pact: PactVerificationResult | undefined, conformance: ChecksResult): FailedCheck[] {
  return [
    ...(pact?.failed ?? []),
    ...conformance.results
      .filter((r) => r.outcome.status === "failed")
      .map((r) => {
        const status = r.error instanceof AnswerIssue ? r.error.exchange?.status : undefined;
        return { name: r.outcome.name, ...(status === undefined ? {} : { status }), stateError: r.stop?.error instanceof StateChangeError };
      }),
  ];
}

// 0 conformant, 1 contract violations, 2 the run could not be done: one function for every tool.
export { exitCodeOf } from "../runner/outcome.js";
