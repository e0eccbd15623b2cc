/**
 * One Media Stream as the mock plays it to a WebSocket server (`mock --stream-media`): a driver
 * of the one engine of Twilio's side (leg.ts), which dials, judges and hangs up — this file
 * sends `connected`, `start` and a looping clip's `media` frames (20 ms every 20 ms, or the clip
 * once as fast as the server reads), `stop` when the Stream is stopped or its call ends, and
 * keeps the Stream's record under Twilio's codes. Every Stream created through the REST API is
 * unidirectional, so any message from the server is a violation here.
 */
import type { SharedClock } from "../media/clock.js";
import { encodeAudio, type EncodedAudio, FRAME_MS, MediaMessageProducer, type MediaMessageProducerOptions } from "../media/producer.js";
import { frames } from "./audio.js";
import { codeOf, type LegIssue, Leg } from "./leg.js";
import { MEDIA_STREAM_ERRORS, type MediaStreamErrorCode } from "./stream-errors.js";
import type { DialTarget } from "./target.js";
import { unknownAccountToken } from "../engine/stream-events.js";

/** Something the server did wrong on a Stream. @public */
export interface MediaIssue {
  readonly code: MediaStreamErrorCode;
  /** Twilio's title of the code, e.g. `Handshake Error`. */
  readonly title: string;
  readonly streamSid: string;
  /** The Stream's URL as signed (no query string, no credentials). */
  readonly url: string;
  readonly message: string;
}

/** Where a Stream's socket is. @public */
export type MediaSessionState = "not-dialled" | "connecting" | "streaming" | "stopped" | "failed";

/** A Stream's socket as recorded. @public */
export interface MediaSessionRecord {
  readonly streamSid: string;
  readonly callSid: string;
  readonly url: string;
  readonly state: MediaSessionState;
  /** Why it was not dialled or failed. */
  readonly reason?: string;
  /**
   * The server refused an upgrade the mock could not sign as Twilio does (no account token: see
   * `reason`): the mock's configuration problem, not counted against the server.
   */
  readonly unverified?: true;
  /** `media` messages sent. */
  readonly mediaSent: number;
  readonly violations: readonly MediaIssue[];
}

/** How fast `media` goes out: 20 ms of audio every 20 ms, or as fast as the server reads. @public */
export type MediaPace = "realtime" | "fast";

/** How to play one Stream. */
export interface DialedSessionOptions {
  readonly target: DialTarget;
  /** The account's auth token: the upgrade's X-Twilio-Signature key. Never logged. */
  readonly authToken: string;
  /** Set when `authToken` is this API key's secret: the account's token is unknown (`unknownAccountToken`). */
  readonly apiKeySid?: string;
  /** The Stream: SIDs, tracks, custom parameters. */
  readonly stream: MediaMessageProducerOptions;
  /** μ-law 8000 Hz mono audio; `realtime` loops it until the Stream stops, `fast` sends it once. */
  readonly clip: Uint8Array;
  readonly pace: MediaPace;
  /** Certificates to trust beside Node's (and NODE_EXTRA_CA_CERTS). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Deadline of the opening handshake, from the dial to the 101 answer (default 10 000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Bytes waiting in the socket's send buffer at which the Stream stops: the server is not reading (default 4 MiB). */
  readonly maxBufferedBytes?: number;
  /** A clock shared with the other Streams (one timer a tick for all); default: the Stream's own. */
  readonly clock?: SharedClock;
  readonly onViolation?: (violation: MediaIssue) => void;
  /** The socket failed (handshake, or closed or broken before stop): Twilio's code, title and why. */
  readonly onFailed?: (error: string) => void;
}

/** `media` messages in flight at once at `fast` pace, so that the socket's buffer stays small. */
const FAST_WINDOW = 8;
/** How long to wait for the server's close frame after ours before dropping the connection. */
const CLOSE_GRACE_MS = 2000;

/** Each clip's frames, encoded once for every Stream that plays it (the mock plays one clip). */
const encoded = new WeakMap<Uint8Array, readonly EncodedAudio[]>();

function encodedFrames(clip: Uint8Array): readonly EncodedAudio[] {
  let known = encoded.get(clip);
  if (known === undefined) {
    known = frames(clip).map(encodeAudio);
    encoded.set(clip, known);
  }
  return known;
}

/** One Stream's socket. */
export class MediaSession {
  private state: MediaSessionState = "connecting";
  private reason: string | undefined;
  private unverified = false;
  private mediaSent = 0;
  private readonly violations: MediaIssue[] = [];
  private leg: Leg | undefined;
  private readonly produce: MediaMessageProducer;
  private readonly frames: readonly EncodedAudio[];
  private resolveFinished!: () => void;
  /** Settles when the socket is closed (or was never opened). */
  readonly finished: Promise<void> = new Promise((resolve) => (this.resolveFinished = resolve));

  constructor(private readonly options: DialedSessionOptions) {
    this.produce = new MediaMessageProducer(options.stream);
    this.frames = encodedFrames(options.clip);
  }

  /** The Stream this socket plays. */
  get stream(): MediaMessageProducerOptions {
    return this.options.stream;
  }

  /** What happened so far. */
  record(): MediaSessionRecord {
    const { streamSid, callSid } = this.options.stream;
    return {
      streamSid,
      callSid,
      url: this.options.target.signedUrl,
      state: this.state,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.unverified ? { unverified: true as const } : {}),
      mediaSent: this.mediaSent,
      violations: [...this.violations],
    };
  }

  /** Dials the server. */
  open(): void {
    if (this.state !== "connecting" || this.leg !== undefined) return; // stopped before its turn to dial
    const { target, authToken, ca, handshakeTimeoutMs = 10_000, apiKeySid } = this.options;
    const leg = new Leg({
      target,
      authToken,
      ...(ca === undefined ? {} : { ca }),
      upgradeTimeoutMs: handshakeTimeoutMs,
      streamSid: this.options.stream.streamSid,
      bidirectional: false,
      messages: this.produce,
      ...(this.options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: this.options.maxBufferedBytes }),
      closeGraceMs: CLOSE_GRACE_MS,
      // A refusal of what the mock could not sign as Twilio does is its configuration problem, not the server's.
      onIssue: (issue) =>
        issue.rule === "upgrade" && apiKeySid !== undefined ? undefined : this.recordViolation(codeOf(issue.rule), issue.message),
      onBroken: (issue) => this.broke(issue),
    });
    this.leg = leg;
    void leg.closed.then(() => this.resolveFinished());
    void leg.dial().then((outcome) => {
      if (outcome.kind === "open") {
        if (this.state !== "connecting") return; // stopped while connecting
        this.state = "streaming";
        leg.send(this.produce.connected());
        leg.send(this.produce.start());
        if (this.options.pace === "realtime") leg.pace((index) => this.sendFrame(index), this.options.clock);
        else this.fast();
      } else if (outcome.kind === "refused") {
        if (apiKeySid === undefined) this.failed(outcome.message);
        else {
          this.state = "failed";
          this.reason = `${outcome.message}; the upgrade was ${unknownAccountToken(apiKeySid)}`;
          this.unverified = true;
        }
      } else if (outcome.kind === "unreachable") {
        this.recordViolation(outcome.code, outcome.message);
        this.failed(outcome.message, outcome.code);
      }
    });
  }

  /** Sends `stop` and closes (the Stream was stopped or its call ended); a no-op when done. */
  stop(): void {
    if (this.state === "streaming") this.state = "stopped";
    else if (this.state === "connecting") {
      this.state = "stopped";
      this.reason = "stopped before the server answered the upgrade";
      if (this.leg === undefined) this.resolveFinished();
    }
    void this.leg?.hangUp();
  }

  /** Marks the Stream as not dialled (why: the dial policy). */
  notDialled(why: string): void {
    this.state = "not-dialled";
    this.reason = why;
    this.resolveFinished();
  }

  /** One frame per track of the clip's `index`th (looping), as it is due. */
  private sendFrame(index: number, done?: () => void): void {
    const frame = this.frames[index % this.frames.length];
    const leg = this.leg;
    if (frame === undefined || leg === undefined) return;
    const tracks = this.produce.tracks;
    for (const track of tracks) {
      const message = this.produce.mediaFrame(track, frame, index * FRAME_MS);
      this.mediaSent++;
      if (track === tracks.at(-1) && done !== undefined) void leg.sendWritten(message).then(done);
      else leg.send(message);
    }
  }

  /** The clip once, FAST_WINDOW frames ahead of what the socket has written. */
  private fast(): void {
    const end = this.frames.length;
    let next = 0;
    const pump = () => {
      if (this.leg?.streaming === true && next < end) this.sendFrame(next++, pump);
    };
    for (let i = 0; i < FAST_WINDOW; i++) pump();
  }

  /** The socket broke while the Stream was on (a protocol error, a reset, closed before stop, not read). */
  private broke(issue: LegIssue): void {
    if (this.state === "streaming") this.failed(issue.message, codeOf(issue.rule));
  }

  /** The Stream failed: its state, and the stream-error its callbacks send. */
  private failed(message: string, code: MediaStreamErrorCode = 31920): void {
    if (this.state === "failed") return; // a socket fails once
    this.state = "failed";
    this.reason = message;
    this.options.onFailed?.(`${code} ${MEDIA_STREAM_ERRORS[code]}: ${message}`);
  }

  private recordViolation(code: MediaStreamErrorCode, message: string): void {
    const violation: MediaIssue = {
      code,
      title: MEDIA_STREAM_ERRORS[code],
      streamSid: this.options.stream.streamSid,
      url: this.options.target.signedUrl,
      message,
    };
    this.violations.push(violation);
    this.options.onViolation?.(violation);
  }
}
