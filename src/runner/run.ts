/**
 * The one check runner: runs a catalogue's checks as fast-check properties against one target,
 * with the time budget, the dead-target short-circuit, the shrunk counterexample and how to
 * replay it, progress lines, and one outcome a check. Each tool says only what is its own: what
 * ends a run (a dead target), how a pass is worded, what to mask.
 */
import fc from "fast-check";
import type { CheckFailure, CheckOutcome } from "../report/types.js";
import { type Check, CheckIssue } from "./check.js";
import { CHECK_TIME_BUDGET_MS, MARK } from "./outcome.js";

/** An error that ends a check at once: its sample could not be judged. */
interface Stop {
  /** The check's failure message. */
  readonly message: string;
  /** The target is gone: the run ends (exit 2) with this error. */
  readonly dead: boolean;
}

/** How a tool runs its catalogue. */
export interface RunSettings<Env, T = unknown> {
  /** The outcome's group and name prefix (`conformance`, `media`); none: names stand alone. */
  readonly group: string;
  readonly prefix?: boolean;
  /** Random samples a check (after its examples). */
  readonly numRuns: number;
  readonly seed: number;
  readonly replayPath?: string | undefined;
  /** No shrinking: the first failing sample is the counterexample. */
  readonly noShrink?: boolean;
  /** Time left for a check, in ms, and how a pass it cut short says so (`, stopped by --max-duration`). */
  readonly timeLimit?: () => { readonly ms: number; readonly note: string } | undefined;
  /** Errors that end a check (a dead server, a provider state not set up), and how. */
  readonly stopOf?: (error: unknown) => Stop | undefined;
  /** How a pass is worded: counts of coverage examples and random samples run. */
  readonly passMessage?: (check: Check<Env, T>, examples: number, random: number, note: string) => string | undefined;
  /** The failing request as curl, when the issue has one (verify). */
  readonly curl?: (issue: CheckIssue) => string | undefined;
  /** How a counterexample is shown (payloads by length, say). */
  readonly shown?: (sample: T) => unknown;
  /** Masks secrets in every text of an outcome. */
  readonly redact?: (text: string) => string;
  /** Progress lines (`<tool>: ok   <name>`); `progressPrefix` is the tool's name. */
  readonly onProgress?: (line: string) => void;
  readonly progressPrefix?: string;
  /** Checks run at the same time (default 1). */
  readonly concurrency?: number;
  /** Past this time (epoch ms) a check still to run is skipped with `overtime`'s message. */
  readonly deadline?: { readonly at: number; readonly message: string };
}

/** What came of one check. */
interface CheckResult {
  readonly outcome: CheckOutcome;
  /** The error that stopped it, when one did. */
  readonly stop?: Stop & { readonly error: unknown };
  /** The issue (or other error) of the shrunk counterexample, when it failed. */
  readonly error?: unknown;
  /** Coverage examples run. */
  readonly examples: number;
}

const identity = (text: string) => text;

/** Runs one check as a fast-check property and turns its result into an outcome. */
async function runCheck<Env, T>(check: Check<Env, T>, env: Env, settings: RunSettings<Env, T>): Promise<CheckResult> {
  const name = settings.prefix === false ? check.name : `${settings.group} › ${check.name}`;
  const clean = settings.redact ?? identity;
  const outcome = (status: CheckOutcome["status"], durationMs: number, message?: string, failures: CheckFailure[] = []): CheckOutcome => ({
    name,
    group: settings.group,
    status,
    durationMs,
    ...(message === undefined ? {} : { message: clean(message) }),
    failures,
  });
  const skip = check.skip?.(env);
  if (skip !== undefined) return { outcome: outcome("skipped", 0, skip), examples: 0 };
  const started = performance.now();
  // Set when a sample could not be judged (no answer came, a state could not be set up): from
  // then on every sample passes at once, so that fast-check stops shrinking instead of retrying
  // a dead server. Past the budget after the first failure, too: the smallest so far is kept.
  let stop: CheckResult["stop"];
  let firstFailureAt: number | undefined;
  let unreached = 0;
  const reach = { unreached: () => void (unreached += 1) };
  const property = fc.asyncProperty(check.arbitrary(env), async (sample) => {
    if (stop !== undefined) return;
    if (firstFailureAt !== undefined && performance.now() - firstFailureAt > CHECK_TIME_BUDGET_MS) return;
    try {
      await check.run(sample, env, reach);
    } catch (error) {
      const stops = settings.stopOf?.(error);
      if (stops !== undefined) return void (stop = { ...stops, error });
      firstFailureAt ??= performance.now();
      throw error;
    }
  });
  const examples = check.examples?.(env) ?? [];
  const limit = settings.timeLimit?.();
  const details = await fc.check(property, {
    examples: examples.map((example) => [example]),
    numRuns: examples.length + settings.numRuns,
    seed: settings.seed,
    ...(limit === undefined ? {} : { interruptAfterTimeLimit: limit.ms, markInterruptAsFailure: false }),
    ...(settings.noShrink === true ? { endOnFailure: true } : {}),
    ...(settings.replayPath === undefined ? {} : { path: settings.replayPath, endOnFailure: true }),
  });
  const durationMs = Math.round(performance.now() - started);
  const covered = Math.min(examples.length, details.numRuns);

  if (stop !== undefined)
    return { outcome: outcome("failed", durationMs, stop.message, [{ message: clean(stop.message) }]), stop, examples: covered };
  if (!details.failed) {
    if (unreached >= details.numRuns) {
      const why =
        check.unreachedMessage?.(details.numRuns) ??
        "no sample got far enough to be checked (an earlier step failed every time: see the other checks)";
      return { outcome: outcome("skipped", durationMs, why), examples: covered };
    }
    const note = details.interrupted ? (limit?.note ?? "") : "";
    return {
      outcome: outcome("passed", durationMs, settings.passMessage?.(check, covered, details.numRuns - covered, note)),
      examples: covered,
    };
  }
  const error = details.errorInstance;
  const issue = error instanceof CheckIssue ? error : undefined;
  const message = issue?.message ?? `the check itself failed: ${error instanceof Error ? error.message : String(error)}`;
  const curl = issue === undefined ? undefined : settings.curl?.(issue);
  const sample = details.counterexample?.[0];
  const shown = settings.shown === undefined || sample === undefined ? sample : settings.shown(sample);
  const failure: CheckFailure = {
    message: clean(message),
    ...(issue?.expected === undefined ? {} : { expected: clean(issue.expected) }),
    ...(issue?.actual === undefined ? {} : { actual: clean(issue.actual) }),
    ...(curl === undefined ? {} : { curl }),
    seed: details.seed,
    ...(details.counterexamplePath === null ? {} : { replayPath: details.counterexamplePath }),
    counterexample: settings.redact === undefined ? shown : (JSON.parse(clean(JSON.stringify(shown ?? null))) as unknown),
  };
  return { outcome: outcome("failed", durationMs, failure.message, [failure]), error, examples: covered };
}

/** What came of a catalogue. */
export interface ChecksResult {
  /** One a check run, in the catalogue's order (a check the run never reached has none). */
  readonly results: readonly CheckResult[];
  /** The target is gone: why (the run's error, exit 2). */
  readonly dead?: CheckResult["stop"];
}

/**
 * Runs the checks of a catalogue that apply (`concurrency` at a time), a progress line each;
 * a dead target stops the checks still to run.
 */
export async function runChecks<Env, T>(checks: readonly Check<Env, T>[], env: Env, settings: RunSettings<Env, T>): Promise<ChecksResult> {
  const applying = checks.filter((check) => check.applies?.(env) ?? true);
  const results: CheckResult[] = new Array(applying.length);
  let next = 0;
  let dead: CheckResult["stop"];
  const worker = async () => {
    while (next < applying.length && dead === undefined) {
      const index = next++;
      const check = applying[index]!;
      if (settings.deadline !== undefined && Date.now() >= settings.deadline.at) {
        const name = settings.prefix === false ? check.name : `${settings.group} › ${check.name}`;
        results[index] = {
          outcome: { name, group: settings.group, status: "skipped", durationMs: 0, message: settings.deadline.message, failures: [] },
          examples: 0,
        };
        continue;
      }
      const result = await runCheck(check, env, settings);
      results[index] = result;
      if (result.stop?.dead === true) dead ??= result.stop;
      settings.onProgress?.(progressLine(settings.progressPrefix ?? settings.group, result.outcome));
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency ?? 1, applying.length) }, worker));
  return { results: results.filter((r): r is CheckResult => r !== undefined), ...(dead === undefined ? {} : { dead }) };
}

/** A check's progress line: `verify: ok   conformance › …`, a skip with its reason. */
function progressLine(tool: string, outcome: CheckOutcome): string {
  return `${tool}: ${MARK[outcome.status]} ${outcome.name}${outcome.status === "skipped" && outcome.message !== undefined ? ` (${outcome.message})` : ""}`;
}

/**
 * A check that judges one observation instead of generated samples (verify --callbacks: the
 * callbacks of the Streams it created; check-media-server: its real-time calls), every failure
 * it sees kept.
 */
export interface JudgedCheck<Observed> {
  readonly name: string;
  readonly asserts: string;
  /** When false, the check does not apply to this observation and is left out (e.g. no `--max-ahead-ms`). */
  readonly applies?: (observed: Observed) => boolean;
  /** Why it cannot judge this observation (nothing arrived), if so; asked only when it found no failure. */
  readonly skip?: (observed: Observed) => string | undefined;
  readonly judge: (observed: Observed) => CheckFailure[];
  /** How a pass is worded (what was judged, what was measured). */
  readonly passMessage?: (observed: Observed) => string;
}

/**
 * Judges the observation by each check that applies (or skips them all, why given): one outcome
 * a check, timed from `startedAt`, a progress line each. A failure seen is a failure; a check
 * that found none and says it saw nothing to judge is skipped, never passed.
 */
export function judgeChecks<Observed>(
  checks: readonly JudgedCheck<Observed>[],
  observed: { readonly value: Observed } | { readonly skip: string },
  settings: Pick<RunSettings<unknown>, "group" | "onProgress" | "progressPrefix"> & { readonly startedAt: number },
): CheckOutcome[] {
  const applying = "value" in observed ? checks.filter((check) => check.applies?.(observed.value) ?? true) : checks;
  return applying.map((check) => {
    const name = `${settings.group} › ${check.name}`;
    const failures = "value" in observed ? check.judge(observed.value) : [];
    const skip = failures.length > 0 ? undefined : "skip" in observed ? observed.skip : check.skip?.(observed.value);
    const passed = failures.length === 0 && skip === undefined && "value" in observed ? check.passMessage?.(observed.value) : undefined;
    const outcome: CheckOutcome =
      skip !== undefined
        ? { name, group: settings.group, status: "skipped", durationMs: 0, message: skip, failures: [] }
        : {
            name,
            group: settings.group,
            status: failures.length === 0 ? "passed" : "failed",
            durationMs: Date.now() - settings.startedAt,
            ...(passed === undefined ? {} : { message: passed }),
            failures,
          };
    settings.onProgress?.(progressLine(settings.progressPrefix ?? settings.group, outcome));
    return outcome;
  });
}
