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
import { type CallMetrics, describeMetrics } from "../call/metrics.js";
import type { Scenario } from "../call/scenario.js";
import { callTimelines } from "../call/timeline.js";
import { utterance } from "../call/speech.js";
import { SharedClock } from "../media/clock.js";
import type { CallTimeline, CheckOutcome } from "../report/types.js";
import { judgeCalls } from "./call-checks.js";
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
  /** Only the checks whose name contains this (`--only`). */
  readonly only?: string;
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
  /** What the calls exercised of the protocol (contract coverage): events both ways, `call-barge-in`, and `session` once a call. */
  readonly exercised: ReadonlyMap<string, number>;
}

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
  // One clock for every call: one timer a tick, however many calls; it lets them dial a few a tick.
  const clock = new SharedClock();
  const rounds: CallRecord[][] = [];
  for (let round = 1; round <= 2; round++) {
    progress(`check-media-server: calls, round ${round}: ${options.atOnce} real-time call(s) at once`);
    rounds.push(
      await Promise.all(
        Array.from({ length: options.atOnce }, async (_, i) => {
          await clock.admit();
          return playCall({
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
          });
        }),
      ),
    );
  }
  const durationMs = Math.round(performance.now() - begun);
  const named = rounds.flatMap((calls, r) => calls.map((call, i) => ({ name: `call ${r + 1}.${i + 1}`, round: r + 1, call })));
  const judged = judgeCalls(named, options, durationMs, progress);
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
  return { outcomes, calls, exercised: exercisedByCalls(named.map(({ call }) => call)) };
}

/** What the calls exercised, summed: each call's events, its barge-in answered by clear, and the call itself (a session). */
function exercisedByCalls(calls: readonly CallRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (part: string, n: number) => counts.set(part, (counts.get(part) ?? 0) + n);
  for (const call of calls) {
    for (const [part, n] of call.exercised) add(part, n);
    const bargeIn = call.metrics.bargeIn;
    if (bargeIn?.duringAudio === true && bargeIn.clearMs !== null) add("call-barge-in", 1);
    add("session", 1);
  }
  return counts;
}

/** A SID as Twilio issues it: its prefix and 32 lower-case hex digits. */
function twilioSid(prefix: "AC" | "CA" | "MZ"): string {
  return prefix + randomBytes(16).toString("hex");
}
