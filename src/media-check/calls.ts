/**
 * check-media-server's calls: after the property-based sessions, real-time calls of a bundled
 * conversation (docs/calls.md) — the caller asks, falls silent, waits for the answer, speaks
 * over it (barge-in by speech), presses a key and hangs up — `at once` calls together, then a
 * second round of as many to the same server (state kept from the first calls shows there).
 * The conversation fails a server only on Twilio's rules; what it measures in time becomes a
 * requirement only when a flag asks for it (a server may not support barge-in at all).
 */
import { randomBytes } from "node:crypto";
import { type CallRecord, type CallStep, type Impairments, playCall } from "../call/call.js";
import { type CallEvidence, writeCallEvidence } from "../call/evidence.js";
import { type BargeIn, type CallMetrics, describeMetrics, quantile, type Turn } from "../call/metrics.js";
import type { Scenario } from "../call/scenario.js";
import { callTimelines } from "../call/timeline.js";
import { utterance } from "../call/speech.js";
import { SERVER_RULES } from "../dialer/frame-judge.js";
import { SharedClock } from "../media/clock.js";
import type { CallTimeline, CheckFailure, CheckOutcome } from "../report/types.js";
import type { DialSettings } from "./play.js";

/** The calls' options (the CLI's flags). */
export interface CallsOptions {
  /** Calls at once, in each of the two rounds. */
  readonly atOnce: number;
  readonly bidirectional: boolean;
  /** Requirements: each turn's first audio, the clear after a barge-in, audio queued ahead of playback. */
  readonly maxFirstAudioMs?: number;
  readonly maxClearMs?: number;
  readonly maxAheadMs?: number;
  /** Where to write the evidence of each failing call. */
  readonly artifacts?: string;
  /** The call to play instead of the bundled conversation (`--scenario`). */
  readonly scenario?: Scenario;
  /** Seeded network trouble (each call draws from `seed` + its number). */
  readonly impairments?: Impairments;
  /** An earlier run's calls (its JSON report's `calls`): a regression beyond the tolerance fails. */
  readonly baseline?: { readonly file: string; readonly calls: readonly { readonly metrics: CallMetrics }[] };
}

/** A call as reported (summary, JSON). */
export interface CallSummary {
  /** `call 1.2`: the second call of the first round. */
  readonly name: string;
  readonly round: number;
  readonly streamSid: string;
  readonly durationMs: number;
  readonly received: number;
  readonly mediaReceived: number;
  readonly issues: readonly { readonly rule: string; readonly message: string; readonly atMs: number }[];
  readonly error?: string;
  readonly metrics: CallMetrics;
  /** The metrics in one line. */
  readonly measured: string;
  readonly failed: boolean;
  readonly evidence?: CallEvidence;
  /** What happened in time, for the HTML report (src/call/timeline.ts). */
  readonly timeline: CallTimeline;
}

/** The calls' part of a run. */
export interface CallsPhase {
  readonly outcomes: readonly CheckOutcome[];
  readonly calls: readonly CallSummary[];
}

/** The calls' checks, named after the bug each catches. */
export const CALL_CHECKS = {
  rules: "calls › rules: every frame of a real-time call keeps Twilio's rules",
  "second-call": "calls › second call: keeps no state from the first",
  answer: "calls › answer: first audio in the time required (--max-first-audio-ms, expect answer within)",
  clear: "calls › barge-in: clear in the time required (--max-clear-ms, expect clear within)",
  "answer-after-clear": "calls › barge-in: answers again after clear (its mark bookkeeping emptied)",
  pace: "calls › pace: audio at most --max-ahead-ms ahead of playback",
  baseline: "calls › baseline: no metric worse than --baseline's by more than 25 % + 50 ms",
} as const;

const GROUP = "calls";
/** How long each turn waits for an answer (longer when --max-first-audio-ms asks for more). */
const ANSWER_WAIT_MS = 4000;
/** How long the caller lets an answer play before speaking over it. */
const BARGE_IN_AFTER_MS = 400;
/** How long a barge-in waits for clear when no flag says (a second of audio after speaking is "not listening"). */
const CLEAR_WAIT_MS = 1000;

/** The bundled conversation. */
function conversation(options: CallsOptions): CallStep[] {
  const withinMs = Math.max(ANSWER_WAIT_MS, options.maxFirstAudioMs ?? 0);
  return [
    { kind: "listen", maxMs: 2000 }, // a greeting, if the server has one, plays out
    { kind: "say", audio: utterance("caller-question") },
    { kind: "answer", withinMs },
    {
      kind: "barge-in",
      audio: utterance("caller-interruption"),
      afterMs: BARGE_IN_AFTER_MS,
      withinMs: options.maxClearMs ?? CLEAR_WAIT_MS,
    },
    { kind: "answer", withinMs },
    { kind: "listen", maxMs: 3000 },
    { kind: "dtmf", digits: "1" },
    { kind: "silence", ms: 300 },
  ];
}

/** Plays the calls (two rounds of `atOnce`) and judges them. */
export async function runCalls(
  settings: DialSettings,
  options: CallsOptions,
  clean: (text: string) => string,
  progress: (line: string) => void,
): Promise<CallsPhase> {
  const begun = performance.now();
  const script = options.scenario?.steps ?? conversation(options);
  const customParameters = options.scenario?.parameters ?? {};
  const accountSid = twilioSid("AC");
  // One clock for every call: one timer a tick, however many calls.
  const clock = new SharedClock();
  const rounds: CallRecord[][] = [];
  for (let round = 1; round <= 2; round++) {
    progress(`check-media-server: calls, round ${round}: ${options.atOnce} real-time call(s) at once`);
    rounds.push(
      await Promise.all(
        Array.from({ length: options.atOnce }, (_, i) =>
          playCall({
            target: settings.target,
            authToken: settings.authToken,
            ...(settings.ca === undefined ? {} : { ca: settings.ca }),
            timeoutMs: settings.timeoutMs ?? 5000,
            bidirectional: options.bidirectional,
            stream: { accountSid, callSid: twilioSid("CA"), streamSid: twilioSid("MZ"), customParameters },
            script,
            clock,
            ...(options.impairments === undefined
              ? {}
              : { impairments: { ...options.impairments, seed: options.impairments.seed + round * 1000 + i } }),
          }),
        ),
      ),
    );
  }
  const durationMs = Math.round(performance.now() - begun);
  const named = rounds.flatMap((calls, r) => calls.map((call, i) => ({ name: `call ${r + 1}.${i + 1}`, round: r + 1, call })));
  const judged = judgeCalls(named, options, durationMs);
  const calls: CallSummary[] = [];
  const timelines = callTimelines(named.map(({ name, call }) => ({ call, failed: judged.failedCalls.has(name) })));
  for (const [index, { name, round, call }] of named.entries()) {
    const failed = judged.failedCalls.has(name);
    const evidence =
      failed && options.artifacts !== undefined ? await writeCallEvidence(options.artifacts, name.replace(" ", "-"), call) : undefined;
    calls.push({
      name,
      round,
      streamSid: call.streamSid,
      durationMs: Math.round(call.durationMs),
      received: call.received,
      mediaReceived: call.mediaReceived,
      issues: call.issues.map((f) => ({ rule: f.rule, message: clean(f.message), atMs: f.atMs })),
      ...(call.error === undefined ? {} : { error: clean(call.error) }),
      metrics: call.metrics,
      measured: describeMetrics(call.metrics),
      failed,
      ...(evidence === undefined ? {} : { evidence }),
      timeline: timelines[index]!,
    });
  }
  const evidenceOf = new Map(calls.map((c) => [c.name, c.evidence]));
  const outcomes = judged.outcomes.map((outcome) => {
    const failures = outcome.failures.map((f) => {
      const name = /^call \d+\.\d+/.exec(f.message)?.[0];
      const evidence = name === undefined ? undefined : evidenceOf.get(name);
      const files = evidence === undefined ? "" : ` (trace ${evidence.trace}, recording ${evidence.recording})`;
      return { ...f, message: clean(`${f.message}${files}`) };
    });
    return { ...outcome, ...(outcome.message === undefined ? {} : { message: clean(outcome.message) }), failures };
  });
  return { outcomes, calls };
}

interface NamedCall {
  readonly name: string;
  readonly round: number;
  readonly call: CallRecord;
}

/** The outcomes of the calls' checks, and which calls failed one. */
function judgeCalls(
  named: readonly NamedCall[],
  options: CallsOptions,
  durationMs: number,
): { outcomes: CheckOutcome[]; failedCalls: Set<string> } {
  const failedCalls = new Set<string>();
  const outcomes: CheckOutcome[] = [];
  const outcome = (name: string, failures: CheckFailure[], passed: string, skipped?: string): void => {
    for (const f of failures) failedCalls.add(/^call \d+\.\d+/.exec(f.message)?.[0] ?? "");
    const status = failures.length > 0 ? "failed" : skipped !== undefined ? "skipped" : "passed";
    const message = status === "failed" ? failures.map((f) => f.message).join("; ") : status === "skipped" ? skipped : passed;
    outcomes.push({ name, group: GROUP, status, durationMs, ...(message === undefined ? {} : { message }), failures });
  };
  const first = named.filter((c) => c.round === 1);
  const later = named.filter((c) => c.round > 1);
  const ruleFailures = (calls: readonly NamedCall[], keep: (rule: string) => boolean): CheckFailure[] =>
    calls.flatMap(({ name, call }) => [
      ...(call.error === undefined || !keep("error") ? [] : [{ message: `${name}: the call could not be made: ${call.error}` }]),
      ...call.issues
        .filter((f) => keep(f.rule))
        .map((f) => ({
          message: `${name}: ${f.rule === "upgrade" ? "31920" : SERVER_RULES[f.rule]} (${f.rule}) at ${Math.round(f.atMs)} ms: ${f.message}`,
          expected: f.expected,
          actual: f.actual,
        })),
    ]);
  const all = named.map((c) => c.call);
  const metricsLine = summarizeMetrics(all, options.bidirectional);

  // Twilio's rules, on the first round's calls.
  const silent = options.bidirectional && first.every((c) => c.call.received === 0);
  outcome(
    CALL_CHECKS.rules,
    ruleFailures(first, () => true),
    `${first.length} first call(s) judged; over all ${named.length} calls: ${metricsLine}`,
    silent ? `the server sent nothing in any of ${first.length} call(s)` : undefined,
  );
  // A later call breaks a rule the first calls kept: state carried over from them.
  const firstRules = new Set<string>(
    first.flatMap((c) => [...c.call.issues.map((f) => f.rule), ...(c.call.error === undefined ? [] : ["error"])]),
  );
  outcome(
    CALL_CHECKS["second-call"],
    ruleFailures(later, (rule) => !firstRules.has(rule)),
    `${later.length} later call(s) kept the rules the first kept`,
    options.bidirectional && later.every((c) => c.call.received === 0 && c.call.error === undefined)
      ? `the server sent nothing in any of ${later.length} later call(s)`
      : undefined,
  );
  if (!options.bidirectional) return { outcomes, failedCalls };

  const turns = named.flatMap(({ name, call }) => call.metrics.turns.map((turn) => ({ name, turn })));
  // A turn's requirement: its scenario's `expect answer within`, else --max-first-audio-ms.
  const answerLimit = (turn: Turn) => turn.requiredMs ?? options.maxFirstAudioMs;
  if (turns.some(({ turn }) => answerLimit(turn) !== undefined)) {
    outcome(
      CALL_CHECKS.answer,
      turns
        .filter(({ turn }) => answerLimit(turn) !== undefined && (turn.firstAudioMs === null || turn.firstAudioMs > answerLimit(turn)!))
        .map(({ name, turn }) => ({
          message: `${name}: ${turn.afterBargeIn ? "after the barge-in, " : ""}the server's first audio came ${turn.firstAudioMs === null ? `not at all within ${turn.waitedMs} ms` : `after ${Math.round(turn.firstAudioMs)} ms`} of the caller's last word`,
          expected: `first audio within ${answerLimit(turn)} ms`,
          actual: turn.firstAudioMs === null ? "no audio" : `${Math.round(turn.firstAudioMs)} ms`,
        })),
      `${turns.length} turn(s), the slowest ${Math.round(Math.max(...turns.map((t) => t.turn.firstAudioMs ?? 0)))} ms`,
      turns.length === 0 ? "no call had a turn to answer" : undefined,
    );
  }
  judgeBargeIns(named, options, outcome);
  judgePace(named, options, outcome);
  if (options.baseline !== undefined) judgeBaseline(options.baseline, all, outcome);
  return { outcomes, failedCalls };
}

/** Records one check's outcome (judgeCalls's `outcome`). */
type RecordOutcome = (name: string, failures: CheckFailure[], passed: string, skipped?: string) => void;

/** The barge-in checks, when a scenario or --max-clear-ms asks for them: the clear, and an answer after it. */
function judgeBargeIns(named: readonly NamedCall[], options: CallsOptions, outcome: RecordOutcome): void {
  // A barge-in's requirement: its scenario's `expect clear within`, else --max-clear-ms.
  const clearLimit = (bargeIn: BargeIn | undefined) => (bargeIn === undefined ? undefined : (bargeIn.requiredMs ?? options.maxClearMs));
  if (named.some((c) => clearLimit(c.call.metrics.bargeIn) !== undefined)) {
    const interrupted = named.filter(
      (c) => c.call.metrics.bargeIn?.duringAudio === true && clearLimit(c.call.metrics.bargeIn) !== undefined,
    );
    const unseen =
      interrupted.length === 0
        ? `the server's audio was not playing when the caller spoke over it in any of ${named.length} call(s)`
        : undefined;
    outcome(
      CALL_CHECKS.clear,
      interrupted
        .filter((c) => c.call.metrics.bargeIn!.clearMs === null || c.call.metrics.bargeIn!.clearMs > clearLimit(c.call.metrics.bargeIn)!)
        .map(({ name, call }) => {
          const clearMs = call.metrics.bargeIn!.clearMs;
          return {
            message: `${name}: the caller spoke over the server's audio and ${clearMs === null ? `no clear came within ${call.metrics.bargeIn!.waitedMs} ms` : `clear came after ${Math.round(clearMs)} ms`}`,
            expected: `clear within ${clearLimit(call.metrics.bargeIn)} ms`,
            actual: clearMs === null ? "the audio kept playing" : `${Math.round(clearMs)} ms`,
          };
        }),
      `${interrupted.length} barge-in(s), the slowest clear ${Math.round(Math.max(0, ...interrupted.map((c) => c.call.metrics.bargeIn!.clearMs ?? 0)))} ms`,
      unseen,
    );
    // Calls that cleared and then waited for an answer (a scenario may not wait for one).
    const cleared = interrupted.filter((c) => c.call.metrics.bargeIn!.clearMs !== null && c.call.metrics.turns.some((t) => t.afterBargeIn));
    outcome(
      CALL_CHECKS["answer-after-clear"],
      cleared
        .filter((c) => c.call.metrics.turns.some((t) => t.afterBargeIn && t.firstAudioMs === null))
        .map(({ name, call }) => ({
          message: `${name}: the server cleared its audio when the caller spoke, then did not answer the caller's words within ${call.metrics.turns.find((t) => t.afterBargeIn)?.waitedMs ?? 0} ms`,
          expected: "an answer after the barge-in",
          actual: "silence",
        })),
      `${cleared.length} call(s) answered again after clear`,
      cleared.length === 0 ? "no call had a clear after a barge-in, then waited for an answer" : undefined,
    );
  }
}

/** The pace check, with --max-ahead-ms: how far the server's audio ran ahead of playback. */
function judgePace(named: readonly NamedCall[], options: CallsOptions, outcome: RecordOutcome): void {
  if (options.maxAheadMs !== undefined) {
    const max = options.maxAheadMs;
    const spoke = named.filter((c) => c.call.mediaReceived > 0);
    outcome(
      CALL_CHECKS.pace,
      spoke
        .filter((c) => c.call.metrics.aheadMs > max)
        .map(({ name, call }) => ({
          message: `${name}: the server's audio ran ${Math.round(call.metrics.aheadMs)} ms ahead of playback (it cannot stop what it has sent unless it clears)`,
          expected: `at most ${max} ms queued ahead`,
          actual: `${Math.round(call.metrics.aheadMs)} ms`,
        })),
      `at most ${Math.round(Math.max(0, ...spoke.map((c) => c.call.metrics.aheadMs)))} ms ahead`,
      spoke.length === 0 ? `the server sent no audio in any of ${named.length} call(s)` : undefined,
    );
  }
}

/** The medians compared with a baseline, each read off a run's calls. */
const BASELINE_METRICS: readonly [string, (calls: readonly { readonly metrics: CallMetrics }[]) => number[]][] = [
  ["first audio", (calls) => calls.flatMap((c) => c.metrics.turns.map((t) => t.firstAudioMs)).filter((v): v is number => v !== null)],
  ["barge-in → clear", (calls) => calls.map((c) => c.metrics.bargeIn?.clearMs).filter((v): v is number => typeof v === "number")],
  ["mark round trip", (calls) => calls.flatMap((c) => c.metrics.markRoundTripMs)],
  ["audio ahead of playback", (calls) => calls.filter((c) => c.metrics.aheadMs > 0).map((c) => c.metrics.aheadMs)],
];

/**
 * Each metric's median against the baseline's: worse than baseline × 1.25 + 50 ms is a
 * regression (the tolerance absorbs a busy machine's noise, not a server gone slow).
 */
function judgeBaseline(baseline: NonNullable<CallsOptions["baseline"]>, calls: readonly CallRecord[], outcome: RecordOutcome): void {
  const compared: string[] = [];
  const failures: CheckFailure[] = [];
  for (const [name, read] of BASELINE_METRICS) {
    const before = quantile(read(baseline.calls), 0.5);
    const now = quantile(read(calls), 0.5);
    if (before === undefined || now === undefined) continue;
    const limit = before * 1.25 + 50;
    compared.push(`${name} ${Math.round(now)} ms (baseline ${Math.round(before)} ms)`);
    if (now > limit)
      failures.push({
        message: `${name}: median ${Math.round(now)} ms, the baseline's ${Math.round(before)} ms (${baseline.file})`,
        expected: `at most ${Math.round(limit)} ms`,
        actual: `${Math.round(now)} ms`,
      });
  }
  outcome(
    CALL_CHECKS.baseline,
    failures,
    compared.join("; "),
    compared.length === 0 ? `no metric was measured both in this run and in ${baseline.file}` : undefined,
  );
}

/** The calls' metrics in one line: medians and maxima over every call. */
function summarizeMetrics(calls: readonly CallRecord[], bidirectional: boolean): string {
  if (!bidirectional) return "the server sent nothing, as a unidirectional Stream's must";
  const ms = (v: number | undefined) => (v === undefined ? "–" : `${Math.round(v)} ms`);
  const first = calls.flatMap((c) => c.metrics.turns.map((t) => t.firstAudioMs)).filter((v): v is number => v !== null);
  const unanswered = calls.flatMap((c) => c.metrics.turns).filter((t) => t.firstAudioMs === null).length;
  const clears = calls.map((c) => c.metrics.bargeIn?.clearMs).filter((v): v is number => typeof v === "number");
  const trips = calls.flatMap((c) => c.metrics.markRoundTripMs);
  const ahead = calls.map((c) => c.metrics.aheadMs);
  const gaps = calls.flatMap((c) => c.metrics.gaps);
  return [
    `first audio median ${ms(quantile(first, 0.5))}, max ${ms(first.length === 0 ? undefined : Math.max(...first))}${unanswered > 0 ? `, ${unanswered} turn(s) unanswered` : ""}`,
    `barge-in → clear median ${ms(quantile(clears, 0.5))} (${clears.length} of ${calls.length} calls)`,
    `mark round trip median ${ms(quantile(trips, 0.5))} (${trips.length} marks)`,
    `audio ahead of playback at most ${ms(Math.max(0, ...ahead))}`,
    `${gaps.length} gap(s) in the server's audio`,
  ].join("; ");
}

/** A SID as Twilio issues it: its prefix and 32 lower-case hex digits. */
function twilioSid(prefix: "AC" | "CA" | "MZ"): string {
  return prefix + randomBytes(16).toString("hex");
}
