/**
 * Plays one Media Stream session to a WebSocket server as Twilio would — a signed upgrade, then
 * the session's messages as fast as the server reads them — and notes everything the server
 * does that breaks the protocol, each issue under the check it fails. On a bidirectional
 * Stream it also plays Twilio's part for the server's audio (PlaybackBuffer): marks are echoed in
 * order after the audio before them, `clear` empties the buffer and echoes pending marks.
 */
import { type RawData, WebSocket } from "ws";
import { judgeEarlyClose, judgeServerFrame, judgeSocketError, type FrameIssue, type ServerRule } from "../dialer/frame-judge.js";
import { connectionErrorCode, type MediaStreamErrorCode } from "../dialer/stream-errors.js";
import type { DialTarget } from "../dialer/target.js";
import { dialOptions, upgradeHeaders } from "../dialer/upgrade.js";
import { MULAW_BYTES_PER_MS } from "../media/producer.js";
import { TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";
import type { TwilioStreamMessage } from "../validators/generated/types.js";
import { PlaybackBuffer } from "./playback.js";

/** How long a barge-in may take: a person hears a second of audio after pressing a key as "not listening". */
const BARGE_IN_WAIT_MS = 1000;
/**
 * How long a session listens, at least, before Twilio's `stop`: a server that speaks a little
 * after the upgrade (a greeting on a unidirectional Stream, a late answer) is heard and judged.
 */
const MIN_LISTEN_MS = 100;

/** Something the server did wrong, under the rule it broke (src/media-check/checks.ts has a check for each). */
interface MediaServerIssue extends Omit<FrameIssue, "rule"> {
  readonly rule: ServerRule | "upgrade" | "barge-in";
}

/** Where and how to dial. */
export interface DialSettings {
  readonly target: DialTarget;
  /** The account's auth token. Never printed. */
  readonly authToken: string;
  readonly ca?: string | Buffer;
  /** Deadline of the opening handshake and of each wait (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** How to play. */
export interface PlaySettings extends DialSettings {
  readonly bidirectional: boolean;
  /** Expect `clear` after a key press while the server's audio plays (barge-in). */
  readonly expectBargeIn?: boolean;
  /** How long the server must be quiet before the session moves on at a waiting point (default 20 ms). */
  readonly settleMs?: number;
}

/** The server could not be reached at all (refused, unknown host, TLS): the run stops, exit 2. */
export class MediaConnectionError extends Error {
  override readonly name = "MediaConnectionError";
  constructor(
    message: string,
    readonly code: MediaStreamErrorCode,
  ) {
    super(message);
  }
}

/** What came of one session. */
export interface PlayedSession {
  readonly issues: readonly MediaServerIssue[];
  /** Messages (frames) the server sent. */
  readonly received: number;
  /** Of them, `media` messages. */
  readonly mediaReceived: number;
  /** The mark names echoed, in order. */
  readonly echoed: readonly string[];
  /** Key presses made while the server's audio played (what the barge-in check tests). */
  readonly pressesDuringAudio: number;
  /** Messages by direction and event (`sent:media`, `received:clear`): what contract coverage counts. */
  readonly exercised: ReadonlyMap<string, number>;
}

/** How a frame is handed over: its data, and whether it is binary. */
type FrameHandler = (data: RawData, isBinary: boolean) => void;

/**
 * The result of an upgrade attempt: accepted — the socket, and `onMessage` to take its frames
 * (those that came with the 101 answer, before anyone listened, first) — or the HTTP status of
 * the refusal.
 */
export type UpgradeResult =
  | { readonly accepted: true; readonly socket: WebSocket; readonly onMessage: (handler: FrameHandler) => void }
  | { readonly accepted: false; readonly status: number };

/**
 * Sends the upgrade with `signature` (undefined: no X-Twilio-Signature header). A connection that
 * fails below HTTP (refused, TLS, timeout) is a MediaConnectionError.
 */
export function upgrade(settings: DialSettings, signature: string | undefined | "twilio"): Promise<UpgradeResult> {
  const { target, authToken, ca, timeoutMs = 5000 } = settings;
  const headers = upgradeHeaders(target.signedUrl, authToken);
  if (signature === undefined) delete headers[TWILIO_SIGNATURE_HEADER];
  else if (signature !== "twilio") headers[TWILIO_SIGNATURE_HEADER] = signature;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(target.connectUrl, dialOptions(target, headers, ca));
    // Frames can arrive with the 101 answer, before the caller of upgrade() listens: kept for it.
    const early: [RawData, boolean][] = [];
    let handler: FrameHandler | undefined;
    socket.on("message", (data, isBinary) => (handler === undefined ? early.push([data, isBinary]) : handler(data, isBinary)));
    const onMessage = (taker: FrameHandler) => {
      handler = taker;
      for (const [data, isBinary] of early.splice(0)) taker(data, isBinary);
    };
    // An absolute deadline (ws's handshakeTimeout is reset by every byte the server trickles).
    const deadline = setTimeout(() => {
      reject(
        new MediaConnectionError(`cannot connect to ${target.connectUrl}: no complete answer to the upgrade within ${timeoutMs} ms`, 31901),
      );
      socket.terminate();
    }, timeoutMs);
    socket.once("open", () => {
      clearTimeout(deadline);
      resolve({ accepted: true, socket, onMessage });
    });
    socket.once("unexpected-response", (request, response) => {
      clearTimeout(deadline);
      request.destroy();
      response.resume();
      resolve({ accepted: false, status: response.statusCode ?? 0 });
    });
    socket.on("error", (error) => {
      // After 'unexpected-response' was handled, ws raises no error; any error here is below HTTP.
      clearTimeout(deadline);
      const code = connectionErrorCode(error);
      if (code === 31920) resolve({ accepted: false, status: 0 });
      else reject(new MediaConnectionError(`cannot connect to ${target.connectUrl}: ${error.message}`, code));
    });
  });
}

/** How long an accepted upgrade with a wrong signature is given to be closed with 1008. */
const REFUSAL_CLOSE_MS = 1000;

/**
 * Whether the server refuses an upgrade signed with `signature` (undefined: none): it answers no
 * 101, or it accepts and at once closes with 1008 (policy violation) before sending any message —
 * how frameworks that can only read headers after the upgrade refuse (docs/media-streams.md).
 */
export async function refusesUpgrade(settings: DialSettings, signature: string | undefined): Promise<boolean> {
  const answer = await upgrade(settings, signature);
  if (!answer.accepted) return true;
  const socket = answer.socket;
  let spoke = false;
  answer.onMessage(() => (spoke = true));
  socket.on("error", () => {}); // a broken connection ends in 'close'
  const closedWith = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
  const closed = await within(closedWith, Math.min(settings.timeoutMs ?? 5000, REFUSAL_CLOSE_MS));
  socket.terminate();
  return closed && (await closedWith) === 1008 && !spoke;
}

/** One session being played on an accepted socket: what was sent, heard, echoed and noted. */
class SessionPlay {
  readonly issues: MediaServerIssue[] = [];
  readonly exercised = new Map<string, number>();
  readonly echoed: string[] = [];
  readonly playback = new PlaybackBuffer();
  received = 0;
  mediaReceived = 0;
  cleared = 0;
  pressesDuringAudio = 0;
  closed = false;
  sequence = 0;
  private lastHeard = performance.now();
  private stopping = false;
  private broken = false;
  private readonly listenUntil = performance.now() + MIN_LISTEN_MS;
  private readonly closedPromise: Promise<void>;
  readonly settleMs: number;
  readonly timeoutMs: number;

  constructor(
    private readonly socket: WebSocket,
    onMessage: (handler: FrameHandler) => void,
    private readonly streamSid: string,
    private readonly settings: PlaySettings,
  ) {
    this.settleMs = settings.settleMs ?? 20;
    this.timeoutMs = settings.timeoutMs ?? 5000;
    this.closedPromise = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    onMessage((data, isBinary) => this.heard(data, isBinary));
    socket.on("error", (error) => {
      this.broken = true;
      this.note(judgeSocketError(error));
    });
    socket.on("close", (code) => {
      this.closed = true;
      // Closing a bidirectional Stream is how a server ends it; a broken socket was judged by its error.
      if (this.stopping || settings.bidirectional || this.broken) return;
      this.note(judgeEarlyClose(code));
    });
  }

  /** Each rule once a session, as Twilio logs once a Stream. */
  note(issue: MediaServerIssue): void {
    if (!this.issues.some((f) => f.rule === issue.rule)) this.issues.push(issue);
  }

  count(part: string): void {
    this.exercised.set(part, (this.exercised.get(part) ?? 0) + 1);
  }

  /** Sends; a server that does not take a message within timeoutMs has stopped reading, and the session ends. */
  async send<M extends { readonly event: string }>(message: M): Promise<void> {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    this.count(`sent:${message.event}`);
    const written = new Promise<boolean>((resolve) => this.socket.send(JSON.stringify(message), () => resolve(true)));
    if (await within(written, this.timeoutMs)) return;
    this.note({
      rule: "reads",
      message: `the server stopped reading: a message Twilio sent was not taken within ${this.timeoutMs} ms`,
      expected: "the server reads what Twilio sends",
      actual: `${this.socket.bufferedAmount} bytes waiting`,
    });
    this.closed = true;
    this.socket.terminate();
  }

  async echo(names: readonly string[]): Promise<void> {
    for (const name of names) {
      this.echoed.push(name);
      await this.send({ event: "mark", sequenceNumber: String(++this.sequence), streamSid: this.streamSid, mark: { name } });
    }
  }

  /** Waits until the server has been quiet for settleMs and the session has listened MIN_LISTEN_MS (at most timeoutMs). */
  async settle(): Promise<void> {
    const deadline = performance.now() + this.timeoutMs;
    const waiting = () => performance.now() - this.lastHeard < this.settleMs || performance.now() < this.listenUntil;
    while (!this.closed && performance.now() < deadline && waiting()) await sleep(this.settleMs);
  }

  /** A frame of the server's: judged, and played (media buffered, marks echoed, clear) while the session runs. */
  private heard(data: RawData, isBinary: boolean): void {
    // Everything the server sends is judged until its socket closes, also after stop.
    this.received++;
    this.lastHeard = performance.now();
    let verdict: ReturnType<typeof judgeServerFrame>;
    try {
      verdict = judgeServerFrame(data, isBinary, { streamSid: this.streamSid, bidirectional: this.settings.bidirectional });
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
    if (accepted === undefined || this.stopping) return;
    this.count(`received:${accepted.event}`);
    if (accepted.event === "media") this.playback.media(accepted.bytes);
    else if (accepted.event === "mark") void this.echo(this.playback.mark(accepted.name));
    else {
      this.cleared++;
      void this.echo(this.playback.clear());
    }
  }

  /** A key press with barge-in expected: when the server's audio is playing, a clear must follow within a second. */
  async press(message: Extract<TwilioStreamMessage, { event: "dtmf" }>): Promise<void> {
    await this.settle(); // the server's answers to the audio so far are in: is its audio playing?
    const playing = this.playback.playing;
    const clearsBefore = this.cleared;
    await this.send(message);
    if (!playing) return;
    this.pressesDuringAudio++;
    const wait = Math.min(this.timeoutMs, BARGE_IN_WAIT_MS);
    const deadline = performance.now() + wait;
    while (!this.closed && this.cleared === clearsBefore && performance.now() < deadline) await sleep(5);
    if (this.cleared !== clearsBefore) this.count("barge-in");
    if (this.cleared === clearsBefore && !this.closed) {
      this.note({
        rule: "barge-in",
        message: `the caller pressed ${message.dtmf.digit} while the server's audio was playing, and no clear came within ${wait} ms`,
        expected: "clear (barge-in)",
        actual: "the audio kept playing",
      });
    }
  }

  /** Lets the server finish, plays out its audio, sends Twilio's stop and closes. */
  async finish(stop: TwilioStreamMessage | undefined): Promise<PlayedSession> {
    await this.settle();
    if (this.settings.bidirectional) {
      await this.echo(this.playback.drain());
      await this.settle();
    }
    this.stopping = true;
    if (stop !== undefined && !this.closed) await this.send({ ...stop, sequenceNumber: String(++this.sequence) });
    // What the server sends until it answers the close is still judged (the message handler).
    if (!this.closed) this.socket.close(1000);
    await within(this.closedPromise, this.timeoutMs);
    this.socket.terminate();
    const { issues, received, mediaReceived, echoed, pressesDuringAudio, exercised } = this;
    return { issues, received, mediaReceived, echoed, pressesDuringAudio, exercised };
  }
}

/**
 * Plays `messages` (a whole session: connected, start, media and dtmf, stop) to the server. Its
 * `mark` messages are left out (a mark is the echo of one the server sent: PlaybackBuffer makes
 * those); sequence numbers are renumbered around the echoes.
 */
export async function playSession(messages: readonly TwilioStreamMessage[], settings: PlaySettings): Promise<PlayedSession> {
  const opened = await upgrade(settings, "twilio");
  if (!opened.accepted) {
    const issue: MediaServerIssue = {
      rule: "upgrade",
      message: `the server refused Twilio's signed upgrade with HTTP ${opened.status || "(no status)"}`,
      expected: "101 Switching Protocols",
      actual: `HTTP ${opened.status || "failure"}`,
    };
    return { issues: [issue], received: 0, mediaReceived: 0, echoed: [], pressesDuringAudio: 0, exercised: new Map() };
  }
  const start = messages.find((m) => m.event === "start");
  const play = new SessionPlay(opened.socket, opened.onMessage, start?.streamSid ?? "", settings);
  let streamTime = 0;
  for (const original of messages) {
    if (play.closed) break;
    if (original.event === "stop") break;
    if (original.event === "mark") continue; // a mark is an echo of the server's: the playback buffer sends those
    const message = "sequenceNumber" in original ? { ...original, sequenceNumber: String(++play.sequence) } : original;
    if (message.event === "dtmf" && settings.bidirectional && settings.expectBargeIn === true) {
      await play.press(message);
      continue;
    }
    await play.send(message);
    if (message.event === "media" && settings.bidirectional) {
      // The Stream's clock: the end of the latest audio sent, over every track.
      const end = Number(message.media.timestamp) + Buffer.byteLength(message.media.payload, "base64") / MULAW_BYTES_PER_MS;
      if (end > streamTime) {
        await play.echo(play.playback.advance(end - streamTime));
        streamTime = end;
      }
    }
  }
  return play.finish(messages.find((m) => m.event === "stop"));
}

/** Whether `promise` settled within `ms`; the timer is cleared either way, so it never keeps the process alive. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
