/**
 * The checks of check-media-server's real-time calls, as data (docs/calls.md): each is named
 * after the bug it catches and says what it asserts, when it applies (Twilio's rules always; a
 * requirement only when a flag or a scenario asks for it), when it saw nothing to judge (then it
 * is skipped, with why) and how it judges the calls of a run. The runner's judgeChecks judges
 * them, so the calls' checks are reported and skipped as the sessions' are.
 */
import type { CallRecord } from "../call/call.js";
import { type BargeIn, type CallMetrics, quantile, type Turn } from "../call/metrics.js";
import { SERVER_RULES } from "../dialer/frame-judge.js";
import type { CheckFailure, CheckOutcome } from "../report/types.js";
import { judgeChecks, type JudgedCheck } from "../runner/run.js";
import type { CallsOptions } from "./calls.js";

/** A call of a run: `call 1.2` is the second call of the first round. */
export interface NamedCall {
  readonly name: string;
  readonly round: number;
  readonly call: CallRecord;
}

/** What the calls' checks judge: every call of both rounds, and what the run asked for. */
interface PlayedCalls {
  readonly calls: readonly NamedCall[];
  readonly options: CallsOptions;
}

type CallCheckId = "rules" | "second-call" | "answer" | "clear" | "answer-after-clear" | "pace" | "baseline";

/** One check of the calls. */
interface CallCheck extends JudgedCheck<PlayedCalls> {
  readonly id: CallCheckId;
  /** When it applies, in the flags' words (the docs' table); absent: always. */
  readonly when?: string;
  /** When it is skipped, in the docs' words (the run's reason, from `skip`, has the numbers). */
  readonly skipped: string;
}

const GROUP = "calls";

const firstRound = (p: PlayedCalls) => p.calls.filter((c) => c.round === 1);
const laterRounds = (p: PlayedCalls) => p.calls.filter((c) => c.round > 1);

/** A call's error and issues, each a failure named after the call and Twilio's code. */
function ruleFailures(calls: readonly NamedCall[], keep: (rule: string) => boolean): CheckFailure[] {
  return calls.flatMap(({ name, call }) => [
    ...(call.error === undefined || !keep("error") ? [] : [{ message: `${name}: the call could not be made: ${call.error}` }]),
    ...call.issues
      .filter((f) => keep(f.rule))
      .map((f) => ({
        message: `${name}: ${f.rule === "upgrade" ? "31920" : SERVER_RULES[f.rule]} (${f.rule}) at ${Math.round(f.atMs)} ms: ${f.message}`,
        expected: f.expected,
        actual: f.actual,
      })),
  ]);
}

/** The rules the first round's calls broke (`error`: a call could not be made). */
function firstRules(p: PlayedCalls): Set<string> {
  return new Set(firstRound(p).flatMap((c) => [...c.call.issues.map((f) => f.rule), ...(c.call.error === undefined ? [] : ["error"])]));
}

/** Whether a scenario's steps of this kind carry an `expect … within` requirement. */
function scenarioRequires(options: CallsOptions, kind: "answer" | "barge-in"): boolean {
  return options.scenario?.steps.some((step) => step.kind === kind && step.required === true) ?? false;
}

/** A turn's requirement: its scenario's `expect answer within`, else --max-first-audio-ms. */
const answerLimit = (turn: Turn, options: CallsOptions) => turn.requiredMs ?? options.maxFirstAudioMs;
const limitedTurns = (p: PlayedCalls) =>
  p.calls
    .flatMap(({ name, call }) => call.metrics.turns.map((turn) => ({ name, turn })))
    .filter((t) => answerLimit(t.turn, p.options) !== undefined);

/** A barge-in's requirement: its scenario's `expect clear within`, else --max-clear-ms. */
const clearLimit = (bargeIn: BargeIn | undefined, options: CallsOptions) =>
  bargeIn === undefined ? undefined : (bargeIn.requiredMs ?? options.maxClearMs);
/** Calls whose caller spoke over the server's audio, with a clear required. */
const interrupted = (p: PlayedCalls) =>
  p.calls.filter((c) => c.call.metrics.bargeIn?.duringAudio === true && clearLimit(c.call.metrics.bargeIn, p.options) !== undefined);
/** Of those, calls that cleared and then waited for an answer (a scenario may not wait for one). */
const cleared = (p: PlayedCalls) =>
  interrupted(p).filter((c) => c.call.metrics.bargeIn!.clearMs !== null && c.call.metrics.turns.some((t) => t.afterBargeIn));

/** Calls the server sent audio in. */
const spoke = (p: PlayedCalls) => p.calls.filter((c) => c.call.mediaReceived > 0);

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
function compareWithBaseline(p: PlayedCalls): { readonly compared: string[]; readonly failures: CheckFailure[] } {
  const compared: string[] = [];
  const failures: CheckFailure[] = [];
  const baseline = p.options.baseline;
  if (baseline === undefined) return { compared, failures };
  const calls = p.calls.map((c) => c.call);
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
  return { compared, failures };
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

const bidirectional = (p: PlayedCalls) => p.options.bidirectional;
const CLEAR_REQUIRED =
  "`--max-clear-ms`, or a scenario's `expect clear within` (not `--expect-barge-in`: it promises a clear on a key press, which the sessions check)";

/** Every check of the calls, in the order they are reported. */
export const CALL_CATALOGUE: readonly CallCheck[] = [
  {
    id: "rules",
    name: "rules: every frame of a real-time call keeps Twilio's rules",
    asserts:
      "every first-round call is made and its upgrade accepted (31920), and every frame the server sends, until its socket closes, keeps the rules of the one judge (src/dialer/frame-judge.ts: 31950, 31951, 31924, 31930; 31921 and 31903 on unidirectional Streams)",
    skipped: "a bidirectional server sent nothing in any first-round call",
    skip: (p) =>
      bidirectional(p) && firstRound(p).every((c) => c.call.received === 0)
        ? `the server sent nothing in any of ${firstRound(p).length} call(s)`
        : undefined,
    judge: (p) => ruleFailures(firstRound(p), () => true),
    passMessage: (p) =>
      `${firstRound(p).length} first call(s) judged; over all ${p.calls.length} calls: ${summarizeMetrics(
        p.calls.map((c) => c.call),
        p.options.bidirectional,
      )}`,
  },
  {
    id: "second-call",
    name: "second call: keeps no state from the first",
    asserts: "a later call breaks no rule that the first-round calls all kept (a rule broken only later is state carried over)",
    skipped: "a bidirectional server sent nothing in any later call",
    skip: (p) =>
      bidirectional(p) && laterRounds(p).every((c) => c.call.received === 0 && c.call.error === undefined)
        ? `the server sent nothing in any of ${laterRounds(p).length} later call(s)`
        : undefined,
    judge: (p) => {
      const kept = firstRules(p);
      return ruleFailures(laterRounds(p), (rule) => !kept.has(rule));
    },
    passMessage: (p) => `${laterRounds(p).length} later call(s) kept the rules the first kept`,
  },
  {
    id: "answer",
    name: "answer: first audio in the time required (--max-first-audio-ms, expect answer within)",
    asserts: "the server's first audio comes within the time required of the caller's last word, on every turn",
    when: "`--max-first-audio-ms`, or a scenario's `expect answer within`",
    skipped: "no call got to a turn to answer",
    applies: (p) => bidirectional(p) && (p.options.maxFirstAudioMs !== undefined || scenarioRequires(p.options, "answer")),
    skip: (p) => (limitedTurns(p).length === 0 ? "no call had a turn to answer" : undefined),
    judge: (p) =>
      limitedTurns(p)
        .filter(({ turn }) => turn.firstAudioMs === null || turn.firstAudioMs > answerLimit(turn, p.options)!)
        .map(({ name, turn }) => ({
          message: `${name}: ${turn.afterBargeIn ? "after the barge-in, " : ""}the server's first audio came ${turn.firstAudioMs === null ? `not at all within ${turn.waitedMs} ms` : `after ${Math.round(turn.firstAudioMs)} ms`} of the caller's last word`,
          expected: `first audio within ${answerLimit(turn, p.options)} ms`,
          actual: turn.firstAudioMs === null ? "no audio" : `${Math.round(turn.firstAudioMs)} ms`,
        })),
    passMessage: (p) =>
      `${limitedTurns(p).length} turn(s), the slowest ${Math.round(Math.max(...limitedTurns(p).map((t) => t.turn.firstAudioMs ?? 0)))} ms`,
  },
  {
    id: "clear",
    name: "barge-in: clear in the time required (--max-clear-ms, expect clear within)",
    asserts: "when the caller speaks over the server's audio, clear comes within the time required",
    when: CLEAR_REQUIRED,
    skipped: "the server's audio was not playing when the caller spoke, in any call",
    applies: (p) => bidirectional(p) && (p.options.maxClearMs !== undefined || scenarioRequires(p.options, "barge-in")),
    skip: (p) =>
      interrupted(p).length === 0
        ? `the server's audio was not playing when the caller spoke over it in any of ${p.calls.length} call(s)`
        : undefined,
    judge: (p) =>
      interrupted(p)
        .filter((c) => {
          const clearMs = c.call.metrics.bargeIn!.clearMs;
          return clearMs === null || clearMs > clearLimit(c.call.metrics.bargeIn, p.options)!;
        })
        .map(({ name, call }) => {
          const clearMs = call.metrics.bargeIn!.clearMs;
          return {
            message: `${name}: the caller spoke over the server's audio and ${clearMs === null ? `no clear came within ${call.metrics.bargeIn!.waitedMs} ms` : `clear came after ${Math.round(clearMs)} ms`}`,
            expected: `clear within ${clearLimit(call.metrics.bargeIn, p.options)} ms`,
            actual: clearMs === null ? "the audio kept playing" : `${Math.round(clearMs)} ms`,
          };
        }),
    passMessage: (p) =>
      `${interrupted(p).length} barge-in(s), the slowest clear ${Math.round(Math.max(0, ...interrupted(p).map((c) => c.call.metrics.bargeIn!.clearMs ?? 0)))} ms`,
  },
  {
    id: "answer-after-clear",
    name: "barge-in: answers again after clear (its mark bookkeeping emptied)",
    asserts: "a server that cleared its audio when the caller spoke answers the caller's words",
    when: CLEAR_REQUIRED,
    skipped: "no call had a clear after a barge-in, then waited for an answer",
    applies: (p) => bidirectional(p) && (p.options.maxClearMs !== undefined || scenarioRequires(p.options, "barge-in")),
    skip: (p) => (cleared(p).length === 0 ? "no call had a clear after a barge-in, then waited for an answer" : undefined),
    judge: (p) =>
      cleared(p)
        .filter((c) => c.call.metrics.turns.some((t) => t.afterBargeIn && t.firstAudioMs === null))
        .map(({ name, call }) => ({
          message: `${name}: the server cleared its audio when the caller spoke, then did not answer the caller's words within ${call.metrics.turns.find((t) => t.afterBargeIn)?.waitedMs ?? 0} ms`,
          expected: "an answer after the barge-in",
          actual: "silence",
        })),
    passMessage: (p) => `${cleared(p).length} call(s) answered again after clear`,
  },
  {
    id: "pace",
    name: "pace: audio at most --max-ahead-ms ahead of playback",
    asserts: "the server's audio never runs more than --max-ahead-ms ahead of what the caller has heard",
    when: "`--max-ahead-ms`",
    skipped: "the server sent no audio in any call",
    applies: (p) => bidirectional(p) && p.options.maxAheadMs !== undefined,
    skip: (p) => (spoke(p).length === 0 ? `the server sent no audio in any of ${p.calls.length} call(s)` : undefined),
    judge: (p) =>
      spoke(p)
        .filter((c) => c.call.metrics.aheadMs > p.options.maxAheadMs!)
        .map(({ name, call }) => ({
          message: `${name}: the server's audio ran ${Math.round(call.metrics.aheadMs)} ms ahead of playback (it cannot stop what it has sent unless it clears)`,
          expected: `at most ${p.options.maxAheadMs} ms queued ahead`,
          actual: `${Math.round(call.metrics.aheadMs)} ms`,
        })),
    passMessage: (p) => `at most ${Math.round(Math.max(0, ...spoke(p).map((c) => c.call.metrics.aheadMs)))} ms ahead`,
  },
  {
    id: "baseline",
    name: "baseline: no metric worse than --baseline's by more than 25 % + 50 ms",
    asserts:
      "the median first audio, barge-in → clear, mark round trip and audio ahead of playback are each at most the earlier run's × 1.25 + 50 ms",
    when: "`--baseline FILE`",
    skipped: "no metric was measured both in this run and in the baseline",
    applies: (p) => bidirectional(p) && p.options.baseline !== undefined,
    skip: (p) =>
      compareWithBaseline(p).compared.length === 0
        ? `no metric was measured both in this run and in ${p.options.baseline?.file ?? "the baseline"}`
        : undefined,
    judge: (p) => compareWithBaseline(p).failures,
    passMessage: (p) => compareWithBaseline(p).compared.join("; "),
  },
];

/** The calls' checks by id, under the names they are reported by (reports, `--only`, help, tests). */
export const CALL_CHECKS = Object.fromEntries(CALL_CATALOGUE.map((check) => [check.id, `${GROUP} › ${check.name}`])) as Readonly<
  Record<CallCheckId, string>
>;

/**
 * The outcomes of the calls' checks that apply (and match `--only`), a progress line each; and
 * which calls failed one (the failures name them), for their evidence.
 */
export function judgeCalls(
  calls: readonly NamedCall[],
  options: CallsOptions,
  durationMs: number,
  onProgress: (line: string) => void,
): { outcomes: CheckOutcome[]; failedCalls: Set<string> } {
  const only = options.only;
  const outcomes = judgeChecks(
    CALL_CATALOGUE.filter((check) => only === undefined || `${GROUP} › ${check.name}`.includes(only)),
    { value: { calls, options } },
    { group: GROUP, startedAt: Date.now() - durationMs, onProgress, progressPrefix: "check-media-server" },
  );
  const failedCalls = new Set(outcomes.flatMap((o) => o.failures.map((f) => /^call \d+\.\d+/.exec(f.message)?.[0] ?? "")));
  return { outcomes, failedCalls };
}
