/**
 * Twilio's side of a bidirectional Stream's outbound audio, as the shared notes (§A.3, §A.6)
 * describe it: the server's `media` is buffered and played in order, 8 bytes of μ-law a
 * millisecond; a `mark` is echoed when the audio before it has played, at once when nothing is
 * buffered; `clear` empties the buffer and echoes every pending mark. Time is the Stream's own
 * (the inbound media timestamps), not the wall clock, so a session plays the same however fast
 * it is sent.
 */
import { MULAW_BYTES_PER_MS } from "../media/producer.js";

/** The playback buffer of one Stream. */
export class PlaybackBuffer {
  /** Bytes of audio received and not yet played. */
  private buffered = 0;
  /** Bytes played so far, and each pending mark with the byte count at which it is reached. */
  private played = 0;
  private readonly marks: { readonly name: string; readonly at: number }[] = [];

  /** Whether audio is waiting to be played. */
  get playing(): boolean {
    return this.buffered > 0;
  }

  /** The server sent audio. */
  media(bytes: number): void {
    this.buffered += bytes;
  }

  /** The server sent a mark: the names to echo now (itself, when nothing is buffered). */
  mark(name: string): string[] {
    if (this.buffered === 0 && this.marks.length === 0) return [name];
    this.marks.push({ name, at: this.played + this.buffered });
    return [];
  }

  /** The server sent `clear`: the buffer is emptied; every pending mark is echoed. */
  clear(): string[] {
    this.played += this.buffered;
    this.buffered = 0;
    return this.marks.splice(0).map((m) => m.name);
  }

  /** `ms` of the Stream passed: audio played, the marks reached to echo. */
  advance(ms: number): string[] {
    const bytes = Math.min(this.buffered, Math.max(0, ms) * MULAW_BYTES_PER_MS);
    this.buffered -= bytes;
    this.played += bytes;
    const reached = this.marks.findIndex((m) => m.at > this.played);
    return this.marks.splice(0, reached < 0 ? this.marks.length : reached).map((m) => m.name);
  }

  /** Everything buffered plays out: the remaining marks to echo. */
  drain(): string[] {
    return this.advance(Number.POSITIVE_INFINITY);
  }
}
