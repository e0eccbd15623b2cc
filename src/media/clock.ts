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
 * Calls let in a tick by {@link SharedClock.admit}: dialling one (signing its upgrade, the
 * handshake, `connected` and `start`) costs about half a millisecond here, so ten stay well
 * inside a tick beside the frames of hundreds of calls.
 */
const ADMITTED_PER_TICK = 10;

/**
 * One FrameClock for many subscribers (the calls of a run): one timer a tick for all of them, as
 * one media server paces many calls. The clock runs while anyone listens or waits to be admitted.
 */
export class SharedClock {
  private readonly listeners = new Set<(tick: Tick) => void>();
  /** Subscribed during a tick: they start with the next (a Set's iteration would include them). */
  private readonly joining: ((tick: Tick) => void)[] = [];
  /** Waiting to be admitted, first come first served. */
  private readonly waiting: (() => void)[] = [];
  private ticking = false;
  private clock: FrameClock | undefined;

  /** Calls `listener` on every tick from the next one on; returns how to stop. */
  subscribe(listener: (tick: Tick) => void): () => void {
    if (this.ticking) this.joining.push(listener);
    else this.listeners.add(listener);
    this.clock ??= new FrameClock((tick) => this.tick(tick));
    return () => {
      this.listeners.delete(listener);
      const joining = this.joining.indexOf(listener);
      if (joining >= 0) this.joining.splice(joining, 1);
      this.stopIfIdle();
    };
  }

  /**
   * Resolves on a coming tick, after its frames, at most ADMITTED_PER_TICK a tick run on time:
   * calls that start at once are dialled over a few ticks, so that the work of dialling them lands
   * between the frames of the calls already running instead of holding them up in one block.
   */
  admit(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.clock ??= new FrameClock((tick) => this.tick(tick));
    });
  }

  /** One tick for every listener, with nothing allocated however many listen; then admissions. */
  private tick(tick: Tick): void {
    for (const listener of this.joining) this.listeners.add(listener);
    this.joining.length = 0;
    this.ticking = true;
    try {
      for (const listener of this.listeners) listener(tick);
    } finally {
      this.ticking = false;
    }
    // Only on the tick that is due now, not on those run late after a stall (the next one is
    // already due): a stall must not let in ten calls for every tick it missed, all at once.
    const current = tick.nowMs < tick.dueMs + FRAME_MS;
    if (current && this.waiting.length > 0) for (const admitted of this.waiting.splice(0, ADMITTED_PER_TICK)) admitted();
    this.stopIfIdle();
  }

  private stopIfIdle(): void {
    if (this.listeners.size > 0 || this.joining.length > 0 || this.waiting.length > 0) return;
    this.clock?.stop();
    this.clock = undefined;
  }
}
