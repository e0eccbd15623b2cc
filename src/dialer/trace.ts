/**
 * A Stream's wire trace: every frame, both ways, with its time (ms since the dial) — the evidence
 * of a failing call (docs/calls.md). Bounded: at most MAX_TRACE entries, a text frame kept up to
 * MAX_TRACED_TEXT bytes, a binary frame described by its first bytes.
 */

/** One frame of the wire trace. */
export interface TraceEntry {
  /** ms since the dial. */
  readonly t: number;
  readonly from: "twilio" | "server";
  /** The message (a JSON frame), or, for another frame, what it was. */
  readonly message?: unknown;
  readonly frame?: string;
}

/** Trace entries kept a Stream; a frame's text kept up to this many bytes. */
const MAX_TRACE = 50_000;
const MAX_TRACED_TEXT = 64 * 1024;

/** The trace of one Stream's socket. */
export class Trace {
  readonly entries: TraceEntry[] = [];

  /** Twilio sent `message` at `t`. */
  sent(t: number, message: object): void {
    if (this.entries.length < MAX_TRACE) this.entries.push({ t: round(t), from: "twilio", message });
  }

  /** The server sent a frame at `t`. */
  received(t: number, bytes: Buffer, isBinary: boolean): void {
    if (this.entries.length >= MAX_TRACE) return;
    const at = round(t);
    const from = "server";
    if (isBinary)
      return void this.entries.push({ t: at, from, frame: `binary, ${bytes.length} bytes: ${bytes.subarray(0, 32).toString("hex")}` });
    if (bytes.length > MAX_TRACED_TEXT) return void this.entries.push({ t: at, from, frame: `text, ${bytes.length} bytes (not kept)` });
    const text = bytes.toString("utf8");
    try {
      this.entries.push({ t: at, from, message: JSON.parse(text) as unknown });
    } catch {
      this.entries.push({ t: at, from, frame: text });
    }
  }
}

/** Milliseconds to a tenth. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
