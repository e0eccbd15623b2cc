/**
 * One real-time call, Twilio's side of it, over one WebSocket: a driver of the one engine of
 * Twilio's side (src/dialer/leg.ts), which dials with the signed upgrade, paces, plays the
 * server's audio out through Twilio's playback model (echoing its marks), judges every frame the
 * server sends until its socket closes (noting each rule once a call, with its time), applies
 * the impairments and hangs up. This file plays the script: `connected`, `start`, then a `media`
 * frame of the caller's audio every 20 ms (speech from the script, silence between: Twilio
 * streams the line, not only the words), numbered as Twilio numbers them — `sequenceNumber` for
 * every message after `connected`, `chunk` for every media, `timestamp` the frame's
 * presentation time —, `dtmf` for a key; and it measures the turns and the barge-in.
 */
import { FRAME_BYTES, MULAW_SILENCE } from "../dialer/audio.js";
import type { Impairments } from "../dialer/impairments.js";
import { exercisedBy, Leg, type LegIssue } from "../dialer/leg.js";
import type { DialTarget } from "../dialer/target.js";
import type { TraceEntry } from "../dialer/trace.js";
import { ChunkedList } from "../lib/chunked-list.js";
import {
  encodeAudio,
  type EncodedAudio,
  FRAME_MS,
  MediaMessageProducer,
  type MediaMessageProducerOptions,
  MULAW_BYTES_PER_MS,
} from "../media/producer.js";
import type { SharedClock } from "../media/clock.js";
import type { BargeIn, CallMetrics, Turn } from "./metrics.js";

export type { Impairments } from "../dialer/impairments.js";

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

/** What came of a call. */
export interface CallRecord {
  readonly streamSid: string;
  readonly issues: readonly LegIssue[];
  /** The call could not be made (the connection failed below HTTP). */
  readonly error?: string;
  /** Frames the server sent, and of them `media`. */
  readonly received: number;
  readonly mediaReceived: number;
  readonly metrics: CallMetrics;
  readonly durationMs: number;
  /** The wire trace: entries read in order (the engine's compact Trace, rebuilt each time it is read). */
  readonly trace: Iterable<TraceEntry>;
  /** What the caller said (μ-law, from the start of the call). */
  readonly said: Uint8Array;
  /** What the caller heard through the playback model (μ-law, same timeline). */
  readonly heard: Uint8Array;
  /** Messages by direction and event (`sent:media`, `received:clear`): what contract coverage counts. */
  readonly exercised: ReadonlyMap<string, number>;
}

/** How long the server must have been quiet, its audio played out, for `listen` to end. */
const QUIET_MS = 300;

/** A silence frame: every call sends the same one. */
const SILENCE = encodeAudio(new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE));
/** Each utterance's frames, encoded once for every call that says it. */
const utterances = new WeakMap<Uint8Array, readonly EncodedAudio[]>();

/** Plays one call; never throws for anything the server does. */
export async function playCall(settings: CallSettings): Promise<CallRecord> {
  return new Call(settings).play();
}

class Call {
  private readonly producer: MediaMessageProducer;
  private readonly streamSid: string;
  private readonly leg: Leg;
  /** The caller's frames, one a tick (what the caller heard is the playback's). */
  private readonly said = new ChunkedList<Uint8Array>();
  private error: string | undefined;
  /** Speech waiting to be said, one frame a tick. */
  private mouth: EncodedAudio[] = [];
  /** When the caller's last speech frame went out, and the server's first audio since. */
  private speechEndMs: number | undefined;
  private answerMs: number | undefined;
  private bargeInAtMs: number | undefined;
  private clearAtMs: number | undefined;
  private lastMediaMs = Number.NEGATIVE_INFINITY;
  private readonly turns: Turn[] = [];
  private bargeIn: BargeIn | undefined;
  private readonly waiters: { readonly done: () => boolean; readonly untilMs: number; readonly resolve: () => void }[] = [];

  constructor(private readonly settings: CallSettings) {
    this.producer = new MediaMessageProducer({ ...settings.stream, tracks: ["inbound"] });
    this.streamSid = settings.stream.streamSid;
    const { target, authToken, ca, timeoutMs, bidirectional, impairments } = settings;
    this.leg = new Leg({
      target,
      authToken,
      ...(ca === undefined ? {} : { ca }),
      upgradeTimeoutMs: timeoutMs,
      closeGraceMs: timeoutMs,
      streamSid: this.streamSid,
      bidirectional,
      messages: this.producer,
      record: true,
      ...(impairments === undefined ? {} : { impairments }),
      onAccepted: (message, now) => {
        if (message.event === "media") {
          this.lastMediaMs = now;
          if (this.answerMs === undefined && this.speechEndMs !== undefined) this.answerMs = now;
        } else if (message.event === "clear" && this.bargeInAtMs !== undefined && this.clearAtMs === undefined) this.clearAtMs = now;
        this.wake();
      },
    });
    void this.leg.closed.then(() => this.wake());
  }

  /** ms of the call, since the dial. */
  private now(): number {
    return this.leg.now();
  }

  private get ended(): boolean {
    return this.leg.ended;
  }

  async play(): Promise<CallRecord> {
    if (await this.dial()) {
      for (const step of this.settings.script) {
        if (this.ended) break;
        await this.step(step);
      }
    }
    await this.leg.hangUp();
    const durationMs = this.now();
    const { leg } = this;
    const frames = this.said;
    let said: Uint8Array | undefined;
    let heard: Uint8Array | undefined;
    return {
      streamSid: this.streamSid,
      issues: leg.issues,
      ...(this.error === undefined ? {} : { error: this.error }),
      received: leg.received,
      mediaReceived: leg.mediaReceived,
      metrics: {
        turns: this.turns,
        ...(this.bargeIn === undefined ? {} : { bargeIn: this.bargeIn }),
        markRoundTripMs: leg.markRoundTripMs,
        aheadMs: leg.playback.aheadMs,
        gaps: leg.playback.gaps,
      },
      durationMs,
      trace: leg.trace ?? [],
      // The call's audio is put together when first read (its evidence, its timeline: once every
      // call is over), not as it ends: hundreds of calls ending beside calls still streaming would
      // otherwise allocate tens of MB at once, and the collection that follows pauses them all.
      get said() {
        return (said ??= concat(frames));
      },
      get heard() {
        return (heard ??= leg.playback.heard((frames.length * FRAME_BYTES) / MULAW_BYTES_PER_MS));
      },
      exercised: exercisedBy(leg),
    };
  }

  /** Dials; false when the call cannot go on (the engine noted a refused upgrade). */
  private async dial(): Promise<boolean> {
    const outcome = await this.leg.dial();
    if (outcome.kind === "unreachable") this.error = outcome.message;
    if (outcome.kind !== "open") return false;
    this.leg.send(this.producer.connected());
    this.leg.send(this.producer.start());
    this.leg.pace((index) => this.onTick(index), this.settings.clock);
    return true;
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
          () => this.now() - answered >= step.afterMs || this.leg.queuedMs <= 2 * FRAME_MS,
          Math.max(0, answered + step.afterMs - this.now()),
        );
        const duringAudio = this.leg.playing;
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
        await this.until(() => !this.leg.playing && this.now() - this.lastMediaMs >= QUIET_MS, step.maxMs);
        return;
      case "dtmf":
        if (!this.settings.bidirectional) return; // Twilio sends dtmf on bidirectional Streams only
        for (const digit of step.digits) {
          this.leg.send(this.producer.dtmf(digit));
          await this.until(() => false, 2 * FRAME_MS);
        }
        return;
    }
  }

  /** The caller starts saying `audio` at the next tick. */
  private speak(audio: Uint8Array): void {
    this.speechEndMs = undefined;
    this.answerMs = undefined;
    let frames = utterances.get(audio);
    if (frames === undefined) {
      frames = cut(audio);
      utterances.set(audio, frames);
    }
    for (const frame of frames) this.mouth.push(frame);
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

  /** The call's tick `index` (from 0): one frame of the caller's line, speech if any is waiting, else silence. */
  private onTick(index: number): void {
    const speech = this.mouth.shift();
    const frame = speech ?? SILENCE;
    this.said.push(frame.bytes);
    const delay = this.leg.frameDelay();
    if (delay !== undefined) this.leg.send(this.producer.mediaFrame("inbound", frame, index * FRAME_MS), delay);
    if (speech !== undefined && this.mouth.length === 0) this.speechEndMs = this.now();
    this.wake();
  }
}

/** Audio cut into frames, the last one padded with silence, each encoded. */
function cut(audio: Uint8Array): EncodedAudio[] {
  const frames: EncodedAudio[] = [];
  for (let at = 0; at < audio.length; at += FRAME_BYTES) {
    const frame = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);
    frame.set(audio.subarray(at, Math.min(at + FRAME_BYTES, audio.length)));
    frames.push(encodeAudio(frame));
  }
  return frames;
}

function concat(frames: ChunkedList<Uint8Array>): Uint8Array {
  const out = new Uint8Array(frames.length * FRAME_BYTES);
  let at = 0;
  for (const frame of frames) {
    out.set(frame, at);
    at += FRAME_BYTES;
  }
  return out;
}
