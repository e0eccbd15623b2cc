/**
 * One real-time call, Twilio's side of it, over one WebSocket: a signed upgrade, `connected`,
 * `start`, then a `media` frame of the caller's audio every 20 ms on the call's clock (speech
 * from the script, silence between: Twilio streams the line, not only the words), numbered as
 * Twilio numbers them — `sequenceNumber` for every message after `connected`, `chunk` for every
 * media, `timestamp` the frame's presentation time —, `dtmf` for a key, and `stop` to hang up.
 * On a bidirectional Stream the server's audio goes through Twilio's playback model
 * (playback.ts), which echoes its marks. Every frame the server sends, until its socket closes,
 * is judged by the one judge (src/dialer/frame-judge.ts); each rule broken is noted once a call,
 * as Twilio logs each warning once a Stream.
 */
import { type RawData, WebSocket } from "ws";
import { FRAME_BYTES, MULAW_SILENCE } from "../dialer/audio.js";
import { judgeEarlyClose, judgeServerFrame, judgeSocketError, type FrameIssue } from "../dialer/frame-judge.js";
import type { DialTarget } from "../dialer/target.js";
import { dialOptions, upgradeHeaders } from "../dialer/upgrade.js";
import { FRAME_MS, MediaMessageProducer, type MediaMessageProducerOptions } from "../media/producer.js";
import { FrameClock, type SharedClock, type Tick } from "../media/clock.js";
import type { BargeIn, CallMetrics, Turn } from "./metrics.js";
import { Playback } from "./playback.js";

/** One step of a call's script. */
export type CallStep =
  /** The caller speaks this μ-law 8 kHz audio; the step ends with its last frame. */
  | { readonly kind: "say"; readonly audio: Uint8Array }
  /** The caller is quiet this long (silence frames go on). */
  | { readonly kind: "silence"; readonly ms: number }
  /** Wait for the server's first audio after the caller's speech, at most `withinMs` (`required`: a scenario's expect). */
  | { readonly kind: "answer"; readonly withinMs: number; readonly required?: boolean }
  /**
   * Speech over the server's audio: once the answer has played `afterMs` (or as soon as it is
   * about to end), the caller speaks `audio`; the step waits for `clear` up to `withinMs` (and
   * for the speech to end).
   */
  | {
      readonly kind: "barge-in";
      readonly audio: Uint8Array;
      readonly afterMs: number;
      readonly withinMs: number;
      /** A scenario's `expect clear within`: clear is required within `withinMs`. */
      readonly required?: boolean;
    }
  /** Let the server's audio play out: until nothing is queued and it has been quiet QUIET_MS, at most `maxMs`. */
  | { readonly kind: "listen"; readonly maxMs: number }
  /** The caller presses keys (bidirectional Streams only: Twilio sends no dtmf on others). */
  | { readonly kind: "dtmf"; readonly digits: string };

/** How to play a call. */
export interface CallSettings {
  readonly target: DialTarget;
  /** The account's auth token: the upgrade's signature key. Never logged. */
  readonly authToken: string;
  readonly ca?: string | Buffer;
  /** Deadline of the upgrade and of the close after `stop`, in ms. */
  readonly timeoutMs: number;
  readonly bidirectional: boolean;
  readonly stream: MediaMessageProducerOptions;
  readonly script: readonly CallStep[];
  /** A clock shared with other calls (one timer for all); default: the call's own. */
  readonly clock?: SharedClock;
  /** Seeded network trouble between the caller and Twilio (opt-in). */
  readonly impairments?: Impairments;
}

/**
 * Network trouble, seeded so that a run can be replayed: `lossPercent` of the caller's frames
 * never reach Twilio (its next frame's `timestamp` jumps: sequenceNumber and chunk do not, they
 * count what Twilio sends); each frame is held up to `jitterMs` (order kept: one socket).
 */
export interface Impairments {
  readonly seed: number;
  readonly lossPercent?: number;
  readonly jitterMs?: number;
}

/** A rule the call's server broke; `upgrade` when it refused the signed upgrade. */
interface CallIssue extends Omit<FrameIssue, "rule"> {
  readonly rule: FrameIssue["rule"] | "upgrade";
  /** When, in ms of the call. */
  readonly atMs: number;
}

/** One frame of the wire trace. */
interface TraceEntry {
  /** ms since the dial. */
  readonly t: number;
  readonly from: "twilio" | "server";
  /** The message (a JSON frame), or, for another frame, what it was. */
  readonly message?: unknown;
  readonly frame?: string;
}

/** What came of a call. */
export interface CallRecord {
  readonly streamSid: string;
  readonly issues: readonly CallIssue[];
  /** The call could not be made (the connection failed below HTTP). */
  readonly error?: string;
  /** Frames the server sent, and of them `media`. */
  readonly received: number;
  readonly mediaReceived: number;
  readonly metrics: CallMetrics;
  readonly durationMs: number;
  readonly trace: readonly TraceEntry[];
  /** What the caller said (μ-law, from the start of the call). */
  readonly said: Uint8Array;
  /** What the caller heard through the playback model (μ-law, same timeline). */
  readonly heard: Uint8Array;
}

/** How long the server must have been quiet, its audio played out, for `listen` to end. */
const QUIET_MS = 300;
/** Bytes waiting in the send buffer at which the call ends: the server is not reading (31930). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Trace entries kept a call; a frame's text kept up to this many characters. */
const MAX_TRACE = 50_000;
const MAX_TRACED_TEXT = 64 * 1024;

const SILENCE = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);

/** Plays one call; never throws for anything the server does. */
export async function playCall(settings: CallSettings): Promise<CallRecord> {
  return new Call(settings).play();
}

class Call {
  private readonly producer: MediaMessageProducer;
  private readonly streamSid: string;
  private readonly playback = new Playback();
  private readonly issues: CallIssue[] = [];
  private readonly trace: TraceEntry[] = [];
  private readonly said: Uint8Array[] = [];
  private readonly dialledAt = performance.now();
  private clock: { stop(): void } | undefined;
  private socket: WebSocket | undefined;
  private open = false;
  private ended = false;
  private stopping = false;
  private error: string | undefined;
  private received = 0;
  private mediaReceived = 0;
  /** Speech waiting to be said, one frame a tick. */
  private mouth: Uint8Array[] = [];
  /** When the caller's last speech frame went out, and the server's first audio since. */
  private speechEndMs: number | undefined;
  private answerMs: number | undefined;
  private bargeInAtMs: number | undefined;
  private clearAtMs: number | undefined;
  private lastMediaMs = Number.NEGATIVE_INFINITY;
  private readonly pendingMarks: { readonly name: string; readonly atMs: number }[] = [];
  private readonly markRoundTripMs: number[] = [];
  private readonly turns: Turn[] = [];
  private bargeIn: BargeIn | undefined;
  private readonly waiters: { readonly done: () => boolean; readonly untilMs: number; readonly resolve: () => void }[] = [];
  private resolveClosed!: () => void;
  private readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));
  /** The seeded draws of the impairments (mulberry32). */
  private readonly random: () => number;
  /** Messages held back by jitter, in order, each with when it may go. */
  private readonly held: { readonly atMs: number; readonly message: object }[] = [];
  private heldTimer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: CallSettings) {
    this.random = mulberry32(settings.impairments?.seed ?? 0);
    this.producer = new MediaMessageProducer({ ...settings.stream, tracks: ["inbound"] });
    this.streamSid = settings.stream.streamSid;
  }

  /** ms of the call: since the dial, until the clock starts; then the clock's. */
  private now(): number {
    return performance.now() - this.dialledAt;
  }

  async play(): Promise<CallRecord> {
    if (await this.dial()) {
      for (const step of this.settings.script) {
        if (this.ended) break;
        await this.step(step);
      }
      await this.hangUp();
    }
    this.clock?.stop();
    const durationMs = this.now();
    const said = concat(this.said);
    return {
      streamSid: this.streamSid,
      issues: this.issues,
      ...(this.error === undefined ? {} : { error: this.error }),
      received: this.received,
      mediaReceived: this.mediaReceived,
      metrics: {
        turns: this.turns,
        ...(this.bargeIn === undefined ? {} : { bargeIn: this.bargeIn }),
        markRoundTripMs: this.markRoundTripMs,
        aheadMs: this.playback.aheadMs,
        gaps: this.playback.gaps,
      },
      durationMs,
      trace: this.trace,
      said,
      heard: this.playback.heard(said.length / 8),
    };
  }

  /** Dials with Twilio's signed upgrade; false when the call cannot go on. */
  private dial(): Promise<boolean> {
    const { target, authToken, ca, timeoutMs } = this.settings;
    const socket = new WebSocket(target.connectUrl, dialOptions(target, upgradeHeaders(target.signedUrl, authToken), ca));
    this.socket = socket;
    socket.on("message", (data, isBinary) => this.onFrame(data, isBinary));
    socket.on("error", (error) => {
      if (this.open) this.note(judgeSocketError(error));
      else this.error ??= `the connection failed: ${error.message}`;
    });
    socket.on("close", (code) => {
      if (this.open && !this.stopping && !this.settings.bidirectional) this.note(judgeEarlyClose(code));
      this.end();
      this.resolveClosed();
    });
    return new Promise((resolve) => {
      // An absolute deadline (ws's handshakeTimeout restarts on every byte).
      const deadline = setTimeout(() => {
        this.error = `no complete answer to the upgrade within ${timeoutMs} ms`;
        socket.terminate();
        resolve(false);
      }, timeoutMs);
      socket.once("unexpected-response", (request, response) => {
        clearTimeout(deadline);
        request.destroy();
        response.resume();
        this.note({
          rule: "upgrade",
          message: `the server refused Twilio's signed upgrade with HTTP ${response.statusCode ?? "(no status)"}`,
          expected: "101 Switching Protocols",
          actual: `HTTP ${response.statusCode ?? "failure"}`,
        });
        this.end();
        this.resolveClosed();
        resolve(false);
      });
      socket.once("close", () => {
        clearTimeout(deadline);
        resolve(false);
      });
      socket.once("open", () => {
        clearTimeout(deadline);
        this.open = true;
        this.send(this.producer.connected());
        this.send(this.producer.start());
        this.clock = this.startClock();
        resolve(true);
      });
    });
  }

  /** The call's ticks, numbered from its own first (a shared clock's index is the run's). */
  private startClock(): { stop(): void } {
    const shared = this.settings.clock;
    if (shared === undefined) return new FrameClock((tick) => this.onTick(tick));
    let first: Tick | undefined;
    const stop = shared.subscribe((tick) => {
      first ??= tick;
      this.onTick({ index: tick.index - first.index, dueMs: tick.dueMs - first.dueMs, nowMs: tick.nowMs - first.dueMs });
    });
    return { stop };
  }

  private async step(step: CallStep): Promise<void> {
    switch (step.kind) {
      case "say":
        this.speak(step.audio);
        await this.until(() => this.mouth.length === 0, Number.POSITIVE_INFINITY);
        return;
      case "silence": {
        const until = this.now() + step.ms;
        await this.until(() => false, until - this.now());
        return;
      }
      case "answer": {
        if (!this.settings.bidirectional) return; // a unidirectional Stream's server says nothing
        const from = this.speechEndMs ?? this.now();
        await this.until(() => this.answerMs !== undefined, step.withinMs - (this.now() - from));
        this.turns.push({
          afterBargeIn: this.bargeIn !== undefined,
          firstAudioMs: this.answerMs === undefined ? null : this.answerMs - from,
          waitedMs: step.withinMs,
          ...(step.required === true ? { requiredMs: step.withinMs } : {}),
        });
        return;
      }
      case "barge-in": {
        if (!this.settings.bidirectional) {
          this.speak(step.audio);
          await this.until(() => this.mouth.length === 0, Number.POSITIVE_INFINITY);
          return;
        }
        // Speak once the answer has played afterMs, or at once if it is about to end.
        const answered = this.answerMs ?? this.now();
        await this.until(
          () => this.now() - answered >= step.afterMs || this.playback.queuedMs(this.now()) <= 2 * FRAME_MS,
          Math.max(0, answered + step.afterMs - this.now()),
        );
        const duringAudio = this.playback.playing(this.now());
        this.clearAtMs = undefined;
        this.bargeInAtMs = duringAudio ? this.now() : undefined;
        this.speak(step.audio);
        const begun = this.now();
        await this.until(
          () => this.mouth.length === 0 && (!duringAudio || this.clearAtMs !== undefined || this.now() - begun >= step.withinMs),
          Number.POSITIVE_INFINITY,
        );
        const clearMs = this.clearAtMs === undefined || this.bargeInAtMs === undefined ? null : this.clearAtMs - this.bargeInAtMs;
        this.bargeIn = {
          duringAudio,
          clearMs,
          waitedMs: Math.max(step.withinMs, this.now() - begun),
          ...(step.required === true ? { requiredMs: step.withinMs } : {}),
        };
        return;
      }
      case "listen":
        if (!this.settings.bidirectional) return;
        await this.until(() => !this.playback.playing(this.now()) && this.now() - this.lastMediaMs >= QUIET_MS, step.maxMs);
        return;
      case "dtmf":
        if (!this.settings.bidirectional) return; // Twilio sends dtmf on bidirectional Streams only
        for (const digit of step.digits) {
          this.send(this.producer.dtmf(digit));
          await this.until(() => false, 2 * FRAME_MS);
        }
        return;
    }
  }

  /** The caller starts saying `audio` at the next tick. */
  private speak(audio: Uint8Array): void {
    this.speechEndMs = undefined;
    this.answerMs = undefined;
    for (let at = 0; at < audio.length; at += FRAME_BYTES) {
      const frame = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);
      frame.set(audio.subarray(at, Math.min(at + FRAME_BYTES, audio.length)));
      this.mouth.push(frame);
    }
  }

  /** Resolves when `done()` holds (checked every tick and frame), after `ms`, or when the call ends. */
  private until(done: () => boolean, ms: number): Promise<void> {
    if (this.ended || done() || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, untilMs: this.now() + ms, resolve }));
  }

  private wake(): void {
    const now = this.now();
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (this.ended || now >= waiter.untilMs || waiter.done()) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private onTick(tick: Tick): void {
    const socket = this.socket;
    if (this.ended || this.stopping || socket === undefined) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.note({
        rule: "reads",
        message: `the server stopped reading: ${socket.bufferedAmount} bytes Twilio sent were waiting (limit ${MAX_BUFFERED_BYTES}); the call was ended`,
        expected: "the server reads what Twilio sends",
        actual: `${socket.bufferedAmount} bytes waiting`,
      });
      socket.terminate();
      this.end();
      return;
    }
    if (this.settings.bidirectional) this.echo(this.playback.advance(this.now()));
    const speech = this.mouth.shift();
    const frame = speech ?? SILENCE;
    this.said.push(frame);
    const impairments = this.settings.impairments;
    const lost = impairments?.lossPercent !== undefined && this.random() * 100 < impairments.lossPercent;
    const delay = impairments?.jitterMs === undefined ? 0 : this.random() * impairments.jitterMs;
    if (!lost) this.send(this.producer.media("inbound", frame, tick.index * FRAME_MS), delay);
    if (speech !== undefined && this.mouth.length === 0) this.speechEndMs = this.now();
    this.wake();
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    const now = this.now();
    this.received++;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const verdict = judgeServerFrame(bytes, isBinary, { streamSid: this.streamSid, bidirectional: this.settings.bidirectional });
    this.traced(now, "server", bytes, isBinary);
    if (verdict.event === "media") this.mediaReceived++;
    for (const issue of verdict.issues) this.note(issue);
    const accepted = verdict.accepted;
    if (accepted === undefined || this.stopping || this.ended) return;
    if (accepted.event === "media") {
      this.lastMediaMs = now;
      if (this.answerMs === undefined && this.speechEndMs !== undefined) this.answerMs = now;
      this.playback.media(now, payloadOf(bytes));
    } else if (accepted.event === "mark") {
      this.pendingMarks.push({ name: accepted.name, atMs: now });
      this.echo(this.playback.mark(now, accepted.name));
    } else {
      if (this.bargeInAtMs !== undefined && this.clearAtMs === undefined) this.clearAtMs = now;
      this.echo(this.playback.clear(now));
    }
    this.wake();
  }

  /** Twilio's echo of each mark named. */
  private echo(names: readonly string[]): void {
    for (const name of names) {
      const at = this.pendingMarks.findIndex((m) => m.name === name);
      if (at >= 0) this.markRoundTripMs.push(this.now() - this.pendingMarks.splice(at, 1)[0]!.atMs);
      this.send(this.producer.mark(name));
    }
  }

  /** Hangs up: `stop`, then a close; frames that still come are judged until the socket closes. */
  private async hangUp(): Promise<void> {
    const socket = this.socket;
    this.clock?.stop();
    if (socket === undefined || this.ended) return;
    this.stopping = true;
    // What jitter held back goes first, then stop.
    clearTimeout(this.heldTimer);
    for (const { message } of this.held.splice(0)) this.transmit(message);
    this.send(this.producer.stop());
    socket.close(1000);
    const grace = setTimeout(() => socket.terminate(), this.settings.timeoutMs);
    await this.closed;
    clearTimeout(grace);
  }

  private end(): void {
    this.ended = true;
    clearTimeout(this.heldTimer);
    this.clock?.stop();
    this.wake();
  }

  /** Sends `message`, after `delayMs` (jitter) and after every message held before it. */
  private send(message: object, delayMs = 0): void {
    if (delayMs <= 0 && this.held.length === 0) return this.transmit(message);
    const last = this.held.at(-1)?.atMs ?? 0;
    this.held.push({ atMs: Math.max(last, this.now() + delayMs), message });
    this.release();
  }

  /** Sends the held messages that are due; waits for the next one. */
  private release(): void {
    clearTimeout(this.heldTimer);
    while (this.held.length > 0 && this.held[0]!.atMs <= this.now()) this.transmit(this.held.shift()!.message);
    const next = this.held[0];
    if (next !== undefined) this.heldTimer = setTimeout(() => this.release(), next.atMs - this.now());
  }

  private transmit(message: object): void {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return;
    if (this.trace.length < MAX_TRACE) this.trace.push({ t: round(this.now()), from: "twilio", message });
    socket.send(JSON.stringify(message));
  }

  private traced(now: number, from: "server", bytes: Buffer, isBinary: boolean): void {
    if (this.trace.length >= MAX_TRACE) return;
    const t = round(now);
    if (isBinary)
      return void this.trace.push({ t, from, frame: `binary, ${bytes.length} bytes: ${bytes.subarray(0, 32).toString("hex")}` });
    if (bytes.length > MAX_TRACED_TEXT) return void this.trace.push({ t, from, frame: `text, ${bytes.length} bytes (not kept)` });
    const text = bytes.toString("utf8");
    try {
      this.trace.push({ t, from, message: JSON.parse(text) as unknown });
    } catch {
      this.trace.push({ t, from, frame: text });
    }
  }

  /** A rule broken, noted once a call (Twilio logs each warning once a Stream). */
  private note(issue: Omit<CallIssue, "atMs">): void {
    if (this.issues.some((f) => f.rule === issue.rule)) return;
    this.issues.push({ ...issue, atMs: round(this.now()) });
  }
}

/** The audio of a `media` frame the judge accepted (its payload is valid base64 of μ-law). */
function payloadOf(bytes: Buffer): Uint8Array {
  const message = JSON.parse(bytes.toString("utf8")) as { media: { payload: string } };
  return Buffer.from(message.media.payload, "base64");
}

function concat(frames: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(frames.length * FRAME_BYTES);
  frames.forEach((frame, i) => out.set(frame, i * FRAME_BYTES));
  return out;
}

/** A small seeded generator (mulberry32): the same seed, the same draws. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
