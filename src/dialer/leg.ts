/**
 * Twilio's side of one Media Stream's socket: the one engine under every player of it — the
 * mock's dialer (session.ts, `mock --stream-media`), check-media-server's fast sessions
 * (src/media-check/play.ts) and its real-time calls (src/call/call.ts). Each player is a thin
 * driver that decides what the caller sends and when; the leg does the rest, the same way for
 * all, so that the same frame gets the same verdict from the same code:
 * - dial: Twilio's signed upgrade (upgrade.ts) under an absolute deadline (ws's handshakeTimeout
 *   restarts on every byte); the socket is listened to from its first byte, so frames that come
 *   with the 101 answer are judged like any other;
 * - send: in order, after what jitter holds back; the driver's producer numbers the messages;
 * - pace: a tick every 20 ms on the drift-free clock (src/media/clock.ts: the leg's own, or a
 *   run's SharedClock), or as fast as the server reads (`sendWritten`);
 * - play out, on a bidirectional Stream: Twilio's playback model (playback.ts) at the call's time,
 *   or at the Stream's own time (the end of the caller's audio sent) for sessions that send a
 *   minute in milliseconds; marks are echoed as it says, their round trips measured;
 * - judge every frame the server sends, until its socket closes, also after `stop`
 *   (frame-judge.ts), and note each rule broken once a Stream with its time, as Twilio logs each
 *   warning once a Stream;
 * - the send-buffer limit (31930): a server that stops reading ends the Stream;
 * - hang up: `stop`, a close with 1000, and a grace for the server's close before the socket is
 *   dropped;
 * - impairments (impairments.ts): lost caller frames, jitter, a slow reader.
 */
import { type RawData, WebSocket } from "ws";
import { FrameClock, type SharedClock } from "../media/clock.js";
import { MediaFrame, MULAW_BYTES_PER_MS } from "../media/producer.js";
import { TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";
import {
  type AcceptedMessage,
  type FrameIssue,
  judgeEarlyClose,
  judgeServerFrame,
  judgeSocketError,
  SERVER_RULES,
  type ServerRule,
} from "./frame-judge.js";
import { type Impairments, readSlowly, seededRandom } from "./impairments.js";
import { Playback } from "./playback.js";
import { connectionErrorCode, type MediaStreamErrorCode } from "./stream-errors.js";
import type { DialTarget } from "./target.js";
import { round, Trace } from "./trace.js";
import { dialOptions, upgradeHeaders } from "./upgrade.js";

/** A rule a Stream's server broke: one of the judge's, or `upgrade` (it refused Twilio's signed upgrade). */
export type LegRule = ServerRule | "upgrade";

/** A rule broken, how, and when (ms since the dial). */
export interface LegIssue extends Omit<FrameIssue, "rule"> {
  readonly rule: LegRule;
  readonly atMs: number;
}

/** Twilio's code for a rule broken. */
export function codeOf(rule: LegRule): MediaStreamErrorCode {
  return rule === "upgrade" ? 31920 : SERVER_RULES[rule];
}

/**
 * What came of the dial: the socket is open; the server refused the upgrade (an HTTP status
 * other than 101, 0 when its answer was no WebSocket handshake at all); it could not be reached
 * (below HTTP: refused, unknown host, TLS, the deadline); or the leg hung up first.
 */
export type DialOutcome =
  | { readonly kind: "open" }
  | { readonly kind: "refused"; readonly status: number; readonly message: string }
  | { readonly kind: "unreachable"; readonly code: MediaStreamErrorCode; readonly message: string }
  | { readonly kind: "cancelled" };

/** What Twilio builds itself on a Stream: the echo of a server's mark, and `stop` (undefined: none is sent). */
interface TwilioMessages {
  mark(name: string): object;
  stop(): object | undefined;
}

/** What a leg sends: a message to serialize, or a `media` message already serialized (`MediaMessageProducer.mediaFrame`). */
type Outgoing = object | MediaFrame;

/** How to play Twilio's side of a Stream. */
export interface LegSettings {
  readonly target: DialTarget;
  /** The account's auth token: the upgrade's X-Twilio-Signature key. Never logged. */
  readonly authToken: string;
  /** X-Twilio-Signature: Twilio's (default), this value instead, or none (null). */
  readonly signature?: string | null;
  /** Certificates to trust beside Node's (and NODE_EXTRA_CA_CERTS). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Deadline of the opening handshake, from the dial to the 101 answer. */
  readonly upgradeTimeoutMs: number;
  readonly streamSid: string;
  readonly bidirectional: boolean;
  readonly messages: TwilioMessages;
  /**
   * The playback's time: the call's clock (`call`, default; marks come due on each tick), or
   * the Stream's own (`stream`): the end of the caller's audio sent so far.
   */
  readonly playbackTime?: "call" | "stream";
  /** Keep the evidence: the wire trace, and the audio the caller heard. */
  readonly record?: boolean;
  /** Bytes waiting in the send buffer at which the Stream ends, checked each tick (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** How long `sendWritten` waits for a message to be taken before the Stream ends (default: as long as it takes). */
  readonly writeTimeoutMs?: number;
  /** How long the server has to close its end after Twilio's close. */
  readonly closeGraceMs: number;
  readonly impairments?: Impairments;
  /** Each rule broken, the first time. */
  readonly onIssue?: (issue: LegIssue) => void;
  /** The socket broke while open (a protocol error, a reset, closed before stop, not read): the Stream is over. */
  readonly onBroken?: (issue: LegIssue) => void;
  /** A frame the judge accepted, before hang-up, after the playback model took it (bidirectional Streams). */
  readonly onAccepted?: (message: AcceptedMessage, atMs: number) => void;
}

/**
 * Audio waiting to be sent at which a paced Stream stops (31930): about 160 s of both tracks'
 * `media` messages that the server has not read, beside what the kernel's buffers hold.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Twilio's side of one Stream's socket. */
export class Leg {
  readonly issues: LegIssue[] = [];
  /** Frames the server sent, and of them `media`. */
  received = 0;
  mediaReceived = 0;
  /** When the server's last frame came (ms since the dial). */
  lastHeardMs = Number.NEGATIVE_INFINITY;
  /** The mark names echoed, in order, and each one's round trip (ms from the server's mark to the echo). */
  readonly echoed: string[] = [];
  readonly markRoundTripMs: number[] = [];
  /** The close code the socket closed with (1006: dropped), once closed after opening. */
  closeCode: number | undefined;
  /** Messages sent, by event. */
  readonly sent = new Map<string, number>();
  /** The server's messages the judge accepted before hang-up, by event. */
  readonly accepted = new Map<string, number>();
  readonly playback = new Playback();
  readonly trace: Trace | undefined;
  /** Settles when the socket is closed (or was never opened). */
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  private readonly dialledAt = performance.now();
  private socket: WebSocket | undefined;
  private state: "idle" | "connecting" | "open" | "closed" = "idle";
  private opened = false;
  private hangingUp = false;
  /** The socket broke (a judged error, a reader that stopped reading): no early close is noted after. */
  private broken = false;
  private cancelled = false;
  private clock: { stop(): void } | undefined;
  private stopReadingSlowly: (() => void) | undefined;
  /** The Stream's own time (`playbackTime: "stream"`): where the caller's audio sent so far ends. */
  private streamMs = 0;
  private readonly pendingMarks: { readonly name: string; readonly atMs: number }[] = [];
  private readonly random: () => number;
  /** Messages held back by jitter, in order, each with when it may go. */
  private readonly held: { readonly atMs: number; readonly message: Outgoing }[] = [];
  private heldTimer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: LegSettings) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.random = seededRandom(settings.impairments?.seed ?? 0);
    this.trace = settings.record === true ? new Trace(settings.streamSid) : undefined;
  }

  /** ms since the dial. */
  now(): number {
    return performance.now() - this.dialledAt;
  }

  /** The socket is closed, or being dropped: nothing more goes out. */
  get ended(): boolean {
    return this.state === "closed" || this.broken;
  }

  /** Whether the socket is open and Twilio has not hung up. */
  get streaming(): boolean {
    return this.state === "open" && !this.hangingUp && !this.broken;
  }

  /** Whether the server's audio is playing now (the caller hears it). */
  get playing(): boolean {
    return this.playback.playing(this.playbackNow());
  }

  /** ms of the server's audio queued beyond now. */
  get queuedMs(): number {
    return this.playback.queuedMs(this.playbackNow());
  }

  /** Dials with the upgrade Twilio sends. */
  dial(): Promise<DialOutcome> {
    const { target, authToken, ca, upgradeTimeoutMs, signature } = this.settings;
    const headers = upgradeHeaders(target.signedUrl, authToken);
    if (signature === null) delete headers[TWILIO_SIGNATURE_HEADER];
    else if (signature !== undefined) headers[TWILIO_SIGNATURE_HEADER] = signature;
    this.state = "connecting";
    return new Promise((resolve) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(target.connectUrl, dialOptions(target, headers, ca));
      } catch (error) {
        this.end();
        return resolve({ kind: "unreachable", code: connectionErrorCode(error), message: `the connection failed: ${String(error)}` });
      }
      this.socket = socket;
      const deadline = setTimeout(() => {
        settle({ kind: "unreachable", code: 31901, message: `no complete answer to the upgrade within ${upgradeTimeoutMs} ms` });
        socket.terminate();
      }, upgradeTimeoutMs);
      const settle = (outcome: DialOutcome) => {
        clearTimeout(deadline);
        if (outcome.kind !== "open" && this.state === "connecting") this.end();
        resolve(outcome);
      };
      socket.on("message", (data, isBinary) => this.heard(data, isBinary));
      socket.once("unexpected-response", (request, response) => {
        request.destroy();
        response.resume();
        const status = response.statusCode ?? 0;
        settle(this.refused(status, `the server answered the signed upgrade with HTTP ${status} instead of 101 Switching Protocols`));
      });
      socket.on("error", (error) => {
        if (this.state !== "connecting") return this.opened ? this.breaks(judgeSocketError(error)) : undefined;
        if (this.cancelled) return settle({ kind: "cancelled" });
        // After 'unexpected-response' was handled ws raises no error: a 31920 here is an answer that is no handshake.
        const code = connectionErrorCode(error);
        settle(
          code === 31920
            ? this.refused(0, `the server's answer to the upgrade is no WebSocket handshake: ${error.message}`)
            : { kind: "unreachable", code, message: `the connection failed: ${error.message}` },
        );
      });
      socket.on("close", (code) => {
        if (this.opened) this.closeCode = code;
        if (this.state === "open" && !this.hangingUp && !this.settings.bidirectional && !this.broken) this.breaks(judgeEarlyClose(code));
        settle({ kind: "cancelled" }); // a no-op unless still connecting
        this.end();
      });
      socket.once("open", () => {
        this.state = "open";
        this.opened = true;
        const slow = this.settings.impairments?.slowReaderMs;
        if (slow !== undefined && slow > 0) this.stopReadingSlowly = readSlowly(socket, slow);
        settle({ kind: "open" });
      });
    });
  }

  /**
   * Calls `onTick` every 20 ms until hang-up, once the send buffer is checked and due marks
   * echoed, with the tick's index counted from the leg's first (nothing is allocated a tick).
   */
  pace(onTick: (index: number) => void, shared?: SharedClock): void {
    const tick = (index: number) => {
      if (!this.streaming || this.overBuffered()) return;
      if (this.settings.bidirectional && this.settings.playbackTime !== "stream") this.echo(this.playback.advance(this.now()));
      onTick(index);
    };
    if (shared === undefined) {
      this.clock = new FrameClock((t) => tick(t.index));
      return;
    }
    let first: number | undefined;
    this.clock = { stop: shared.subscribe((t) => tick(t.index - (first ??= t.index))) };
  }

  /** Sends `message`, after `delayMs` (jitter) and after every message held before it. */
  send(message: Outgoing, delayMs = 0): void {
    if (delayMs <= 0 && this.held.length === 0) return this.transmit(message);
    const last = this.held.at(-1)?.atMs ?? 0;
    this.held.push({ atMs: Math.max(last, this.now() + delayMs), message });
    this.release();
  }

  /**
   * What the impairments do to the caller's next frame: undefined when it is lost (not sent, not
   * numbered: its timestamp is a gap), else how long it is held up (the jitter; 0 without).
   */
  frameDelay(): number | undefined {
    const impairments = this.settings.impairments;
    if (impairments === undefined) return 0;
    const lost = impairments.lossPercent !== undefined && this.random() * 100 < impairments.lossPercent;
    const delay = impairments.jitterMs === undefined ? 0 : this.random() * impairments.jitterMs;
    return lost ? undefined : delay;
  }

  /**
   * Sends `message` and waits until the socket has taken it: false when the socket is closed, or
   * (with writeTimeoutMs) when the server stopped reading — a 31930 that ends the Stream. Behind
   * messages jitter holds, it is held too, and not waited for.
   */
  async sendWritten(message: Outgoing): Promise<boolean> {
    const socket = this.socket;
    if (socket === undefined || this.ended || socket.readyState !== WebSocket.OPEN) return false;
    if (this.held.length > 0) {
      this.send(message);
      return true;
    }
    const written = new Promise<boolean>((resolve) => this.transmit(message, (error) => resolve(error === undefined || error === null)));
    const limit = this.settings.writeTimeoutMs;
    if (limit === undefined) return written;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), limit)));
    const result = await Promise.race([written, late]).finally(() => clearTimeout(timer));
    if (result !== "late") return result;
    this.notReading(`a message Twilio sent was not taken within ${limit} ms`);
    return false;
  }

  /** Plays out all the audio queued (`playbackTime: "stream"`): the Stream's time moves to its end, the marks come due. */
  playOut(): void {
    this.streamMs += this.playback.queuedMs(this.streamMs);
    this.echo(this.playback.advance(this.streamMs));
  }

  /** Notes a rule broken: once a Stream per rule (Twilio logs each warning once a Stream). */
  note(issue: Omit<LegIssue, "atMs">): LegIssue {
    const first = this.issues.find((f) => f.rule === issue.rule);
    if (first !== undefined) return first;
    const noted = { ...issue, atMs: round(this.now()) };
    this.issues.push(noted);
    this.settings.onIssue?.(noted);
    return noted;
  }

  /**
   * Hangs up: what jitter held goes first, then `stop` and a close with 1000; frames that still
   * come are judged until the socket closes, or the grace ends and it is dropped. While
   * connecting: the dial is abandoned.
   */
  async hangUp(): Promise<void> {
    this.clock?.stop();
    const socket = this.socket;
    if (this.state === "idle") this.end();
    if (this.state === "connecting") {
      this.cancelled = true;
      socket?.terminate();
    }
    if (this.broken) socket?.terminate(); // already over: nothing more is sent
    if (socket === undefined || this.state !== "open" || this.hangingUp || this.broken) return this.closed;
    this.hangingUp = true;
    clearTimeout(this.heldTimer);
    for (const { message } of this.held.splice(0)) this.transmit(message);
    const stop = this.settings.messages.stop();
    if (stop !== undefined) this.transmit(stop);
    socket.close(1000);
    const grace = setTimeout(() => socket.terminate(), this.settings.closeGraceMs);
    grace.unref();
    await this.closed;
    clearTimeout(grace);
  }

  /** The playback's time now. */
  private playbackNow(): number {
    return this.settings.playbackTime === "stream" ? this.streamMs : this.now();
  }

  private refused(status: number, message: string): DialOutcome {
    // Refusing an upgrade that is not Twilio's is right; refusing Twilio's breaks the rule.
    if (this.settings.signature === undefined)
      this.note({
        rule: "upgrade",
        message,
        expected: "101 Switching Protocols",
        actual: status === 0 ? "no handshake" : `HTTP ${status}`,
      });
    return { kind: "refused", status, message };
  }

  /** A frame of the server's: judged, traced, and played while the Stream is on. */
  private heard(data: RawData, isBinary: boolean): void {
    const now = this.now();
    this.received++;
    this.lastHeardMs = now;
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    this.trace?.received(now, bytes, isBinary);
    let verdict: ReturnType<typeof judgeServerFrame>;
    try {
      verdict = judgeServerFrame(bytes, isBinary, { streamSid: this.settings.streamSid, bidirectional: this.settings.bidirectional });
    } catch (error) {
      // The judge never throws; this guard keeps a bug of this package out of the socket's event.
      this.note({
        rule: "messages",
        message: `the message could not be judged: ${String(error)}`,
        expected: "a verdict",
        actual: "an error",
      });
      return;
    }
    if (verdict.event === "media") this.mediaReceived++;
    for (const issue of verdict.issues) this.note(issue);
    const accepted = verdict.accepted;
    // What comes after stop is judged, not played.
    if (accepted === undefined || this.hangingUp || this.ended) return;
    const at = this.playbackNow();
    if (accepted.event === "media")
      this.playback.media(at, this.settings.record === true ? Buffer.from(accepted.payload, "base64") : accepted.bytes);
    else if (accepted.event === "mark") {
      this.pendingMarks.push({ name: accepted.name, atMs: now });
      this.echo(this.playback.mark(at, accepted.name));
    } else this.echo(this.playback.clear(at));
    this.accepted.set(accepted.event, (this.accepted.get(accepted.event) ?? 0) + 1);
    this.settings.onAccepted?.(accepted, now);
  }

  /** Twilio's echo of each mark named. */
  private echo(names: readonly string[]): void {
    for (const name of names) {
      const at = this.pendingMarks.findIndex((m) => m.name === name);
      if (at >= 0) this.markRoundTripMs.push(this.now() - this.pendingMarks.splice(at, 1)[0]!.atMs);
      this.echoed.push(name);
      this.send(this.settings.messages.mark(name));
    }
  }

  /** Sends the held messages that are due; waits for the next one. */
  private release(): void {
    clearTimeout(this.heldTimer);
    while (this.held.length > 0 && this.held[0]!.atMs <= this.now()) this.transmit(this.held.shift()!.message);
    const next = this.held[0];
    if (next !== undefined) this.heldTimer = setTimeout(() => this.release(), next.atMs - this.now());
  }

  /** Sends a message and traces it: a media frame by its counters and audio, another by its text. */
  private transmit(message: Outgoing, done?: (error?: Error | null) => void): void {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return done?.(new Error("the socket is closed"));
    const frame = message instanceof MediaFrame ? message : undefined;
    const event = frame === undefined ? ((message as { readonly event?: string }).event ?? "") : "media";
    this.sent.set(event, (this.sent.get(event) ?? 0) + 1);
    let text: string;
    if (frame === undefined) {
      text = JSON.stringify(message);
      this.trace?.sent(this.now(), text);
    } else {
      text = frame.text;
      this.trace?.media(this.now(), frame);
    }
    socket.send(text, done);
    if (event === "media" && this.settings.playbackTime === "stream" && this.settings.bidirectional) this.streamAdvanced(frame ?? message);
  }

  /** A `media` went out: the Stream's time is the end of the latest audio sent, over every track. */
  private streamAdvanced(message: object): void {
    let end: number;
    if (message instanceof MediaFrame) end = message.timestamp + message.audio.bytes.length / MULAW_BYTES_PER_MS;
    else {
      const media = (message as { readonly media: { readonly timestamp: string; readonly payload: string } }).media;
      end = Number(media.timestamp) + Buffer.byteLength(media.payload, "base64") / MULAW_BYTES_PER_MS;
    }
    if (end <= this.streamMs) return;
    this.streamMs = end;
    this.echo(this.playback.advance(end));
  }

  /** The send buffer is over its limit: the server stopped reading (31930), the Stream ends. */
  private overBuffered(): boolean {
    const buffered = this.socket?.bufferedAmount ?? 0;
    const limit = this.settings.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    if (buffered <= limit) return false;
    this.notReading(`${buffered} bytes Twilio sent were waiting to be sent (limit ${limit})`);
    return true;
  }

  private notReading(why: string): void {
    this.breaks({
      rule: "reads",
      message: `the server stopped reading: ${why}; the Stream was stopped`,
      expected: "the server reads what Twilio sends",
      actual: `${this.socket?.bufferedAmount ?? 0} bytes waiting`,
    });
    this.socket?.terminate();
  }

  /** The socket broke while open: noted, and the Stream is over. */
  private breaks(issue: FrameIssue): void {
    const first = !this.broken;
    this.broken = true;
    this.clock?.stop();
    const noted = this.note(issue);
    if (first) this.settings.onBroken?.(noted);
  }

  private end(): void {
    this.state = "closed";
    clearTimeout(this.heldTimer);
    this.clock?.stop();
    this.stopReadingSlowly?.();
    this.stopReadingSlowly = undefined;
    this.resolveClosed();
  }
}

/** What a leg exercised of the protocol, by direction and event (`sent:media`, `received:clear`): what contract coverage counts. */
export function exercisedBy(leg: Leg): Map<string, number> {
  return new Map([
    ...[...leg.sent].map(([event, n]) => [`sent:${event}`, n] as const),
    ...[...leg.accepted].map(([event, n]) => [`received:${event}`, n] as const),
  ]);
}
