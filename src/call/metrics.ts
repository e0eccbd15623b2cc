/**
 * What a call shows in time, read off the call's clock and its playback queue (src/call/
 * playback.ts), never guessed from message order:
 * - first audio: from the moment the caller's last frame of speech was sent to the first `media`
 *   the server sent after it (each turn of the conversation);
 * - mark round trip: from the server's `mark` to Twilio's echo of it (how much audio was queued
 *   before it, or the clear that cut it short);
 * - barge-in → clear: from the caller's first frame of speech over the server's audio to the
 *   server's `clear`;
 * - ahead: the most audio queued beyond what had played (a server that sends 9 s of speech in
 *   0.8 s cannot be interrupted for 8 s unless it clears);
 * - gaps: times the queue ran dry while the server was speaking (the caller hears a hole).
 */
import type { Gap } from "../dialer/playback.js";

/** One turn: the caller stopped speaking; did the server answer, and how soon. */
export interface Turn {
  /** The turn follows a barge-in (the caller spoke over the server's audio). */
  readonly afterBargeIn: boolean;
  /** ms from the caller's end of speech to the server's first audio; null: no audio within the wait. */
  readonly firstAudioMs: number | null;
  /** How long the call waited for it. */
  readonly waitedMs: number;
  /** A scenario's `expect answer within`: the first audio is required within this. */
  readonly requiredMs?: number;
}

/** The barge-in of a call. */
export interface BargeIn {
  /** The server's audio was playing when the caller spoke (else nothing was interrupted). */
  readonly duringAudio: boolean;
  /** ms from the caller's first frame of speech to `clear`; null: no clear within the wait. */
  readonly clearMs: number | null;
  readonly waitedMs: number;
  /** A scenario's `expect clear within`: clear is required within this. */
  readonly requiredMs?: number;
}

/** A call's metrics. */
export interface CallMetrics {
  readonly turns: readonly Turn[];
  readonly bargeIn?: BargeIn;
  /** Each echoed mark's round trip, in ms, in order. */
  readonly markRoundTripMs: readonly number[];
  /** The most audio queued ahead of playback, in ms (0: the server sent no audio). */
  readonly aheadMs: number;
  readonly gaps: readonly Gap[];
}

/** The `q` quantile (0–1) of `values` (nearest rank); undefined when empty. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Whole milliseconds, as shown. */
function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** One line: a call's metrics, for the summary and the reports. */
export function describeMetrics(metrics: CallMetrics): string {
  const parts: string[] = [];
  if (metrics.turns.length > 0)
    parts.push(
      `first audio ${metrics.turns.map((t) => (t.firstAudioMs === null ? `none in ${ms(t.waitedMs)}` : ms(t.firstAudioMs))).join(", ")}`,
    );
  const bargeIn = metrics.bargeIn;
  if (bargeIn !== undefined)
    parts.push(
      !bargeIn.duringAudio
        ? "barge-in: no audio playing"
        : bargeIn.clearMs === null
          ? `barge-in → no clear in ${ms(bargeIn.waitedMs)}`
          : `barge-in → clear ${ms(bargeIn.clearMs)}`,
    );
  const trips = metrics.markRoundTripMs;
  if (trips.length > 0)
    parts.push(`${trips.length} mark(s), round trip median ${ms(quantile(trips, 0.5)!)}, max ${ms(Math.max(...trips))}`);
  else parts.push("no mark");
  parts.push(`audio ahead of playback at most ${ms(metrics.aheadMs)}`);
  const gaps = metrics.gaps;
  parts.push(gaps.length === 0 ? "no gap" : `${gaps.length} gap(s), longest ${ms(Math.max(...gaps.map((g) => g.ms)))}`);
  return parts.join("; ");
}
