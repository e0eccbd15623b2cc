/**
 * Twilio's playback of a bidirectional Stream's audio (shared notes §A.3, §A.6): the server's
 * `media` is queued and played in the order received at 8,000 bytes a second; a `mark` is echoed
 * when all audio queued before it has played — at once when none is queued —; `clear` empties
 * the queue and echoes every pending mark at once. What the caller heard is kept, to be recorded.
 *
 * One model for every player of Twilio's side (src/dialer/leg.ts), whatever its time: a call's
 * wall clock (check-media-server's calls), or the Stream's own time — the end of the caller's
 * audio sent so far — for the fast sessions, which play a minute of audio in milliseconds and
 * must play the same however fast they are sent. It replaced a byte-counting buffer of the
 * sessions (PlaybackBuffer): counting bytes played in the Stream's time is this model read at
 * the Stream's time, so the two gave the same echoes, in the same order, at the same moments.
 *
 * Decisions where Twilio is silent (docs/calls.md): audio that arrives while the queue is empty
 * starts playing at once (no jitter buffer); a mark is due the moment its audio ends (on a call,
 * echoed on the next 20 ms tick).
 */
import { MULAW_BYTES_PER_MS } from "../media/producer.js";

/** A piece of the server's audio, and when it starts playing (ms of the call). */
interface Segment {
  readonly atMs: number;
  bytes: Uint8Array;
}

/** An underrun: the queue ran dry while the server was speaking, and audio came again after `ms`. */
export interface Gap {
  readonly atMs: number;
  readonly ms: number;
}

/** An underrun longer than this is a pause between two answers, not a gap in one. */
const GAP_LIMIT_MS = 1000;
/** An underrun shorter than one frame (20 ms) is timer noise, not a hole the caller hears. */
const GAP_MIN_MS = 20;

/** The playback queue of one Stream. */
export class Playback {
  /** When the audio queued so far ends (ms of the call). */
  private endMs = 0;
  private readonly marks: { readonly name: string; readonly atMs: number }[] = [];
  private readonly segments: Segment[] = [];
  /** Whether the server is speaking: audio came, and no clear (nor a pause of GAP_LIMIT_MS) since. */
  private speaking = false;
  /** The most audio queued ahead of playback at any time, in ms. */
  aheadMs = 0;
  readonly gaps: Gap[] = [];

  /** Whether audio is queued at `nowMs` (the caller hears the server). */
  playing(nowMs: number): boolean {
    return this.endMs > nowMs;
  }

  /** Milliseconds of audio queued beyond `nowMs`. */
  queuedMs(nowMs: number): number {
    return Math.max(0, this.endMs - nowMs);
  }

  /** The server sent `audio` at `nowMs` (a byte count: played, not kept for `heard()`). */
  media(nowMs: number, audio: Uint8Array | number): void {
    const length = typeof audio === "number" ? audio : audio.length;
    if (length === 0) return;
    const underrun = nowMs - this.endMs;
    if (this.speaking && underrun >= GAP_MIN_MS && underrun < GAP_LIMIT_MS) this.gaps.push({ atMs: this.endMs, ms: underrun });
    this.speaking = true;
    const atMs = Math.max(nowMs, this.endMs);
    if (typeof audio !== "number") this.segments.push({ atMs, bytes: audio });
    this.endMs = atMs + length / MULAW_BYTES_PER_MS;
    this.aheadMs = Math.max(this.aheadMs, this.endMs - nowMs);
  }

  /** The server sent a mark at `nowMs`: the names to echo now (itself, when nothing is queued before it). */
  mark(nowMs: number, name: string): string[] {
    if (this.endMs <= nowMs && this.marks.length === 0) return [name];
    this.marks.push({ name, atMs: Math.max(nowMs, this.endMs) });
    return [];
  }

  /** The server sent `clear` at `nowMs`: the queue is emptied, every pending mark is echoed. */
  clear(nowMs: number): string[] {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i]!;
      if (segment.atMs >= nowMs) this.segments.splice(i, 1);
      else {
        const played = Math.floor((nowMs - segment.atMs) * MULAW_BYTES_PER_MS);
        if (played < segment.bytes.length) segment.bytes = segment.bytes.subarray(0, played);
        break;
      }
    }
    this.endMs = Math.min(this.endMs, nowMs);
    this.speaking = false;
    return this.marks.splice(0).map((m) => m.name);
  }

  /** The clock reached `nowMs`: the marks whose audio has played, to echo now. */
  advance(nowMs: number): string[] {
    if (this.speaking && nowMs - this.endMs >= GAP_LIMIT_MS) this.speaking = false;
    const reached = this.marks.findIndex((m) => m.atMs > nowMs);
    return this.marks.splice(0, reached < 0 ? this.marks.length : reached).map((m) => m.name);
  }

  /** What the caller heard over the first `lengthMs` of the call: μ-law, silence where nothing played. */
  heard(lengthMs: number): Uint8Array {
    const out = new Uint8Array(Math.ceil(lengthMs * MULAW_BYTES_PER_MS)).fill(0xff);
    for (const segment of this.segments) {
      const at = Math.round(segment.atMs * MULAW_BYTES_PER_MS);
      if (at >= out.length) break;
      out.set(segment.bytes.subarray(0, out.length - at), at);
    }
    return out;
  }
}
