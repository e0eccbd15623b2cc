/**
 * Sends the status callbacks of the Streams a server (the mock, the reference provider) runs: one
 * Stream's callbacks in order, each signed, with a timeout and bounded retries, and records what
 * each receiver answered. Only loopback hosts are called unless `allowRemote` is set.
 */
import type { StatusCallbackMethod, StreamEvent } from "../validators/generated/types.js";
import type { StreamEventListener, StreamLifecycleEvent } from "../engine/stream-events.js";
import { isLoopbackUrl } from "./loopback.js";
import { signedStatusCallback, statusCallbackParams } from "./request.js";
import { type Attempt, keepAliveAgents, sendCallback } from "./send.js";

/** How a callback went. @public */
export type DeliveryOutcome =
  /** 2xx in time. */
  | "delivered"
  /** 2xx, but slower than `slowMs`. */
  | "slow"
  /** The receiver answered, not with 2xx. */
  | "non-2xx"
  /** Nothing listened (connection refused or reset) after every attempt. */
  | "refused"
  /** No answer within `timeoutMs`, after every attempt. */
  | "timeout"
  /** Not sent: the host is not loopback and `allowRemote` is off. */
  | "blocked"
  /** Not sent: too many callbacks were waiting. */
  | "dropped"
  /** Any other failure (DNS, TLS …). */
  | "error";

/** One status callback and what its receiver did. @public */
export interface CallbackDelivery {
  readonly event: StreamEvent;
  readonly streamSid: string;
  readonly method: StatusCallbackMethod;
  /** The StatusCallback URL, without user info. */
  readonly url: string;
  readonly outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  readonly attempts: number;
  readonly durationMs: number;
  /** One line saying what happened. */
  readonly message: string;
}

/** Options of a CallbackSender. @public */
export interface CallbackSenderOptions {
  /** Sign with this token instead of the one the Stream was created with (the mock's `--auth-token`). */
  readonly authToken?: string;
  /** Call back to hosts that are not loopback (default false). */
  readonly allowRemote?: boolean;
  /** Give up on an attempt after this long (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Attempts after the first when the connection fails or times out (default 1); a non-2xx answer is not retried. */
  readonly retries?: number;
  /** Wait before a retry (default 100 ms). */
  readonly retryDelayMs?: number;
  /** A 2xx slower than this is recorded as `slow` (default 2000 ms). */
  readonly slowMs?: number;
  /** Called with one line per callback; no credentials. */
  readonly log?: (line: string) => void;
}

/** How many deliveries are kept (the counts stay exact), and how many may wait at once. */
const KEEP = 10_000;
const MAX_WAITING = 10_000;

/** The sender: give its `listener` to the engine, `drain()` before reading the record. */
export class CallbackSender {
  private readonly kept: CallbackDelivery[] = [];
  private readonly totals = new Map<DeliveryOutcome, number>();
  /** StreamSid → the end of its chain of callbacks (one Stream's callbacks go in order). */
  private readonly chains = new Map<string, Promise<void>>();
  private waiting = 0;
  private readonly agents = keepAliveAgents();

  constructor(private readonly options: CallbackSenderOptions = {}) {}

  /** The engine's StreamEventListener: queues the event's callback, if it asked for one. */
  readonly listener: StreamEventListener = (event) => {
    if (event.statusCallback !== undefined) this.enqueue(event);
  };

  private enqueue(event: StreamLifecycleEvent): void {
    const target = event.statusCallback!;
    const url = withoutUserInfo(target.url);
    const base = { event: event.event, streamSid: event.streamSid, method: target.method, url };
    if (!(this.options.allowRemote ?? false) && !isLoopbackUrl(target.url)) {
      this.record({
        ...base,
        outcome: "blocked",
        attempts: 0,
        durationMs: 0,
        message: `not sent: ${hostOf(url)} is not a loopback host (allow it with --allow-remote-callbacks / allowRemote)`,
      });
      return;
    }
    if (this.waiting >= MAX_WAITING) {
      this.record({
        ...base,
        outcome: "dropped",
        attempts: 0,
        durationMs: 0,
        message: `not sent: ${MAX_WAITING} callbacks were already waiting`,
      });
      return;
    }
    this.waiting++;
    const previous = this.chains.get(event.streamSid) ?? Promise.resolve();
    const next = previous
      .then(() => this.deliver(event, base))
      .finally(() => {
        this.waiting--;
        if (this.chains.get(event.streamSid) === next) this.chains.delete(event.streamSid);
      });
    this.chains.set(event.streamSid, next);
  }

  private async deliver(
    event: StreamLifecycleEvent,
    base: Pick<CallbackDelivery, "event" | "streamSid" | "method" | "url">,
  ): Promise<void> {
    const target = event.statusCallback!;
    const token = this.options.authToken ?? target.authToken;
    const request = signedStatusCallback(
      target.url,
      target.method,
      statusCallbackParams(event) as unknown as Record<string, string>,
      token,
    );
    const retries = this.options.retries ?? 1;
    const started = performance.now();
    let attempt: Attempt = {};
    let attempts = 0;
    while (attempts <= retries) {
      attempts++;
      attempt = await sendCallback(request, { timeoutMs: this.options.timeoutMs ?? 5000, agents: this.agents });
      if (attempt.failure !== "refused" && attempt.failure !== "timeout") break;
      if (attempts <= retries) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 100));
    }
    const durationMs = Math.round(performance.now() - started);
    const status = attempt.status;
    let outcome: DeliveryOutcome;
    let message: string;
    if (status === undefined) {
      outcome = attempt.failure ?? "error";
      message = `${attempt.message ?? outcome} after ${attempts} attempt(s)`;
    } else if (status < 200 || status > 299) {
      outcome = "non-2xx";
      message = `answered ${status}`;
    } else {
      outcome = durationMs > (this.options.slowMs ?? 2000) ? "slow" : "delivered";
      message = `answered ${status} in ${durationMs} ms`;
    }
    this.record({ ...base, outcome, ...(status === undefined ? {} : { status }), attempts, durationMs, message });
  }

  private record(delivery: CallbackDelivery): void {
    this.totals.set(delivery.outcome, (this.totals.get(delivery.outcome) ?? 0) + 1);
    if (this.kept.length >= KEEP) this.kept.shift();
    this.kept.push(delivery);
    this.options.log?.(`status callback ${delivery.event} ${delivery.method} ${delivery.url} → ${delivery.outcome}: ${delivery.message}`);
  }

  /** The latest deliveries (at most 10,000), oldest first. */
  deliveries(): readonly CallbackDelivery[] {
    return [...this.kept];
  }

  /** How many callbacks ended each way (exact). */
  counts(): Readonly<Partial<Record<DeliveryOutcome, number>>> {
    return Object.fromEntries(this.totals);
  }

  /** Resolves once every queued callback has been sent (or given up). */
  async drain(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Forgets the recorded deliveries. */
  reset(): void {
    this.kept.length = 0;
    this.totals.clear();
  }

  /** Waits for the queued callbacks, then closes the kept-alive connections. */
  async close(): Promise<void> {
    await this.drain();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

function withoutUserInfo(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === "" && parsed.password === "") return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
