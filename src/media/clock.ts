/**
 * A call's clock: a tick every FRAME_MS (20 ms), each due at `start + index × period` on the
 * monotonic clock (performance.now()). Every timer is set for the next tick's due time, so timer
 * lateness never adds up (a chain of `setTimeout(20)` drifts a few percent a minute); a tick that
 * comes late runs at once, and the ticks missed meanwhile run with it, as Twilio's media server
 * sends the frames it owes after a stall. Each tick says when it was due and when it ran. Used by
 * check-media-server's calls (src/call/call.ts) and the mock's real-time Streams (src/dialer/session.ts).
 */
import { FRAME_MS } from "./producer.js";

/** One tick: its index (0, 1, …), when it was due and when it ran, in ms since the clock started. */
export interface Tick {
  readonly index: number;
  readonly dueMs: number;
  readonly nowMs: number;
}

/** A drift-free periodic schedule against performance.now(). */
export class FrameClock {
  private readonly startedAt: number;
  private index = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = true;

  constructor(
    private readonly onTick: (tick: Tick) => void,
    private readonly periodMs: number = FRAME_MS,
  ) {
    this.startedAt = performance.now();
    this.schedule();
  }

  /** Milliseconds since the clock started. */
  now(): number {
    return performance.now() - this.startedAt;
  }

  /** Stops the clock: no tick runs after this. */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (!this.running) return;
    const wait = this.startedAt + this.index * this.periodMs - performance.now();
    this.timer = setTimeout(() => this.run(), Math.max(0, wait));
  }

  private run(): void {
    const now = this.now();
    // Every tick due by now runs: a late timer delays frames, it never drops or drifts them.
    while (this.running && this.index * this.periodMs <= now) {
      const dueMs = this.index * this.periodMs;
      this.onTick({ index: this.index++, dueMs, nowMs: now });
    }
    this.schedule();
  }
}

/**
 * One FrameClock for many subscribers (the calls of a run): one timer a tick for all of them, as
 * one media server paces many calls. The clock runs while anyone listens.
 */
export class SharedClock {
  private readonly listeners = new Set<(tick: Tick) => void>();
  private clock: FrameClock | undefined;

  /** Calls `listener` on every tick from the next one on; returns how to stop. */
  subscribe(listener: (tick: Tick) => void): () => void {
    this.listeners.add(listener);
    this.clock ??= new FrameClock((tick) => {
      // A snapshot: one subscribed during this tick starts with the next (Set iteration would include it).
      for (const each of [...this.listeners]) each(tick);
    });
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.clock?.stop();
        this.clock = undefined;
      }
    };
  }
}
