/**
 * One Media Stream as Twilio plays it to a WebSocket server: dial the Stream's Url with a signed
 * upgrade, send `connected`, `start` and `media` frames of μ-law audio, and `stop` when the
 * Stream is stopped or its call ends; meanwhile, record what the server does wrong under Twilio's
 * code. Every Stream created through the REST API is unidirectional, so any message from the
 * server is a violation here.
 */
import { WebSocket } from "ws";
import { FrameClock } from "../media/clock.js";
import { MediaMessageProducer, type MediaMessageProducerOptions } from "../media/producer.js";
import { frames } from "./audio.js";
import { judgeEarlyClose, judgeServerFrame, judgeSocketError, SERVER_RULES, type FrameIssue } from "./frame-judge.js";
import { connectionErrorCode, MEDIA_STREAM_ERRORS, type MediaStreamErrorCode } from "./stream-errors.js";
import type { DialTarget } from "./target.js";
import { dialOptions, upgradeHeaders } from "./upgrade.js";
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
  readonly onViolation?: (violation: MediaIssue) => void;
  /** The socket failed (handshake, or closed or broken before stop): Twilio's code, title and why. */
  readonly onFailed?: (error: string) => void;
}

/** `media` messages in flight at once at `fast` pace, so that the socket's buffer stays small. */
const FAST_WINDOW = 8;
/** How long to wait for the server's close frame after ours before dropping the connection. */
const CLOSE_GRACE_MS = 2000;
/**
 * Audio waiting to be sent at which a real-time Stream stops (31930): about 160 s of both tracks'
 * `media` messages that the server has not read, beside what the kernel's buffers hold.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** One Stream's socket. */
export class MediaSession {
  private state: MediaSessionState = "connecting";
  private reason: string | undefined;
  private unverified = false;
  private mediaSent = 0;
  private readonly violations: MediaIssue[] = [];
  /** The kinds of violation already recorded: Twilio logs each once per Stream. */
  private readonly seen = new Set<string>();
  private socket: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The real-time pace's clock (check-media-server's calls run on the same). */
  private clock: FrameClock | undefined;
  private readonly produce: MediaMessageProducer;
  private readonly frames: Uint8Array[];
  private resolveFinished!: () => void;
  /** Settles when the socket is closed (or was never opened). */
  readonly finished: Promise<void> = new Promise((resolve) => (this.resolveFinished = resolve));

  constructor(private readonly options: DialedSessionOptions) {
    this.produce = new MediaMessageProducer(options.stream);
    this.frames = frames(options.clip);
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
    const { target, authToken, ca, handshakeTimeoutMs = 10_000 } = this.options;
    const socket = new WebSocket(target.connectUrl, dialOptions(target, upgradeHeaders(target.signedUrl, authToken), ca));
    this.socket = socket;
    // An absolute deadline: ws's handshakeTimeout restarts on every byte, so a server that answers
    // one header byte at a time would keep the Stream connecting for hours.
    this.timer = setTimeout(() => {
      if (this.state !== "connecting") return;
      this.fail(31901, `the server did not complete the upgrade within ${handshakeTimeoutMs} ms`);
      socket.terminate();
    }, handshakeTimeoutMs);
    socket.on("unexpected-response", (request, response) => {
      const answered = `the server answered the upgrade with HTTP ${response.statusCode ?? "?"} instead of 101 Switching Protocols`;
      if (this.options.apiKeySid === undefined) this.fail(31920, answered);
      else this.refusedUnverified(`${answered}; the upgrade was ${unknownAccountToken(this.options.apiKeySid)}`);
      request.destroy();
      this.finish();
    });
    socket.on("error", (error) => {
      if (this.state === "connecting") this.fail(connectionErrorCode(error), `the connection failed: ${error.message}`);
      else if (this.state === "streaming") this.failWith(judgeSocketError(error));
    });
    socket.on("open", () => {
      if (this.state !== "connecting") return; // stopped while connecting
      clearTimeout(this.timer);
      this.state = "streaming";
      this.send(this.produce.connected());
      this.send(this.produce.start());
      if (this.options.pace === "realtime") this.clock = new FrameClock((tick) => this.realtime(tick.index));
      else this.fast(0);
    });
    socket.on("message", (data, isBinary) => {
      // Judged until the socket closes, also after stop. The judge never throws; the guard keeps a
      // bug of this package from killing the mock through a socket event.
      try {
        const verdict = judgeServerFrame(data, isBinary, { streamSid: this.options.stream.streamSid, bidirectional: false });
        for (const issue of verdict.issues) this.once(issue);
      } catch (error) {
        this.fail(31951, `the mock could not judge a message from the server: ${error instanceof Error ? error.message : "unknown error"}`);
        socket.terminate();
      }
    });
    socket.on("close", (code) => {
      if (this.state === "streaming") this.failWith(judgeEarlyClose(code));
      this.finish();
    });
  }

  /** Sends `stop` and closes (the Stream was stopped or its call ended); a no-op when done. */
  stop(): void {
    clearTimeout(this.timer);
    this.clock?.stop();
    const socket = this.socket;
    if (this.state === "streaming" && socket !== undefined) {
      this.state = "stopped";
      this.send(this.produce.stop());
      socket.close(1000);
      setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    } else if (this.state === "connecting") {
      this.state = "stopped";
      this.reason = "stopped before the server answered the upgrade";
      socket?.terminate();
      if (socket === undefined) this.finish();
    }
  }

  /** Marks the Stream as not dialled (why: the dial policy). */
  notDialled(why: string): void {
    this.state = "not-dialled";
    this.reason = why;
    this.finish();
  }

  private finish(): void {
    clearTimeout(this.timer);
    this.clock?.stop();
    this.resolveFinished();
  }

  private send(message: object, done?: (error?: Error) => void): void {
    this.socket?.send(JSON.stringify(message), done);
  }

  private sendFrame(index: number, done?: (error?: Error) => void): void {
    const frame = this.frames[index % this.frames.length];
    if (frame === undefined) return;
    const tracks = this.produce.tracks;
    for (const track of tracks) {
      this.send(this.produce.media(track, frame), track === tracks.at(-1) ? done : undefined);
      this.mediaSent++;
    }
  }

  /** One frame per track every FRAME_MS, on the drift-free clock of src/media/clock.ts. */
  private realtime(index: number): void {
    if (this.state !== "streaming") return this.clock?.stop();
    const buffered = this.socket?.bufferedAmount ?? 0;
    const limit = this.options.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
    if (buffered > limit) {
      this.fail(
        SERVER_RULES.reads,
        `the server stopped reading: ${buffered} bytes of audio were waiting to be sent (limit ${limit}); the Stream was stopped`,
      );
      this.clock?.stop();
      this.socket?.terminate();
      return;
    }
    this.sendFrame(index);
  }

  /** The clip once, FAST_WINDOW frames ahead of what the socket has written. */
  private fast(index: number): void {
    const end = this.frames.length;
    let next = index;
    const pump = () => {
      if (this.state !== "streaming" || next >= end) return;
      this.sendFrame(next++, () => pump());
    };
    for (let i = 0; i < FAST_WINDOW; i++) pump();
  }

  /** Records an issue once per rule: Twilio logs each warning once per Stream. */
  private once(issue: FrameIssue): void {
    if (this.seen.has(issue.rule)) return;
    this.seen.add(issue.rule);
    this.recordViolation(SERVER_RULES[issue.rule], issue.message);
  }

  /** The socket broke (a WebSocket protocol error, a reset) or was closed before stop. */
  private failWith(issue: FrameIssue): void {
    this.fail(SERVER_RULES[issue.rule], issue.message);
  }

  private fail(code: MediaStreamErrorCode, message: string): void {
    if (this.state === "failed") return; // a socket fails once (ws may report the same failure twice)
    this.state = "failed";
    this.reason = message;
    this.recordViolation(code, message);
    this.options.onFailed?.(`${code} ${MEDIA_STREAM_ERRORS[code]}: ${message}`);
  }

  /** The upgrade the mock could not sign right was refused: failed, but no violation and no stream-error. */
  private refusedUnverified(why: string): void {
    this.state = "failed";
    this.reason = why;
    this.unverified = true;
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
