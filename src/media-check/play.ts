/**
 * Plays one Media Stream session to a WebSocket server as Twilio would — a signed upgrade, then
 * the session's messages as fast as the server reads them — and notes everything the server
 * does that breaks the protocol, each finding under the check it fails. On a bidirectional
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
  readonly findings: readonly MediaServerIssue[];
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

/**
 * Plays `messages` (a whole session: connected, start, media and dtmf, stop) to the server. Its
 * `mark` messages are left out (a mark is the echo of one the server sent: PlaybackBuffer makes
 * those); sequence numbers are renumbered around the echoes.
 */
export async function playSession(messages: readonly TwilioStreamMessage[], settings: PlaySettings): Promise<PlayedSession> {
  const findings: MediaServerIssue[] = [];
  const note = (finding: MediaServerIssue) => {
    if (!findings.some((f) => f.rule === finding.rule)) findings.push(finding); // each rule once a session, as Twilio logs once a Stream
  };
  const opened = await upgrade(settings, "twilio");
  if (!opened.accepted) {
    note({
      rule: "upgrade",
      message: `the server refused Twilio's signed upgrade with HTTP ${opened.status || "(no status)"}`,
      expected: "101 Switching Protocols",
      actual: `HTTP ${opened.status || "failure"}`,
    });
    return { findings, received: 0, mediaReceived: 0, echoed: [], pressesDuringAudio: 0, exercised: new Map() };
  }
  const socket = opened.socket;
  const start = messages.find((m) => m.event === "start");
  const streamSid = start?.streamSid ?? "";
  const { bidirectional, settleMs = 20, timeoutMs = 5000 } = settings;
  const playback = new PlaybackBuffer();
  const echoed: string[] = [];
  const listenUntil = performance.now() + MIN_LISTEN_MS;
  let received = 0;
  let mediaReceived = 0;
  let lastHeard = performance.now();
  let cleared = 0;
  let stopping = false;
  let closed = false;
  let broken = false;
  let sequence = 0;
  const closedPromise = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const exercised = new Map<string, number>();
  const count = (part: string) => exercised.set(part, (exercised.get(part) ?? 0) + 1);

  /** Sends; a server that does not take a message within timeoutMs has stopped reading, and the session ends. */
  const send = async <M extends { readonly event: string }>(message: M) => {
    if (closed || socket.readyState !== WebSocket.OPEN) return;
    count(`sent:${message.event}`);
    const written = new Promise<boolean>((resolve) => socket.send(JSON.stringify(message), () => resolve(true)));
    if (await within(written, timeoutMs)) return;
    note({
      rule: "reads",
      message: `the server stopped reading: a message Twilio sent was not taken within ${timeoutMs} ms`,
      expected: "the server reads what Twilio sends",
      actual: `${socket.bufferedAmount} bytes waiting`,
    });
    closed = true;
    socket.terminate();
  };
  const echo = async (names: readonly string[]) => {
    for (const name of names) {
      echoed.push(name);
      await send({ event: "mark", sequenceNumber: String(++sequence), streamSid, mark: { name } });
    }
  };
  /** Waits until the server has been quiet for settleMs and the session has listened MIN_LISTEN_MS (at most timeoutMs). */
  const settle = async () => {
    const deadline = performance.now() + timeoutMs;
    const waiting = () => performance.now() - lastHeard < settleMs || performance.now() < listenUntil;
    while (!closed && performance.now() < deadline && waiting()) await sleep(settleMs);
  };

  opened.onMessage((data, isBinary) => {
    // Everything the server sends is judged until its socket closes, also after stop.
    received++;
    lastHeard = performance.now();
    let verdict: ReturnType<typeof judgeServerFrame>;
    try {
      verdict = judgeServerFrame(data, isBinary, { streamSid, bidirectional });
    } catch (error) {
      // The judge never throws; this guard keeps a bug of this package out of the socket's event.
      note({ rule: "messages", message: `the message could not be judged: ${String(error)}`, expected: "a verdict", actual: "an error" });
      return;
    }
    if (verdict.event === "media") mediaReceived++;
    for (const finding of verdict.findings) note(finding);
    const accepted = verdict.accepted;
    if (accepted === undefined || stopping) return;
    count(`received:${accepted.event}`);
    if (accepted.event === "media") playback.media(accepted.bytes);
    else if (accepted.event === "mark") void echo(playback.mark(accepted.name));
    else {
      cleared++;
      void echo(playback.clear());
    }
  });
  socket.on("error", (error) => {
    broken = true;
    note(judgeSocketError(error));
  });
  socket.on("close", (code) => {
    closed = true;
    // Closing a bidirectional Stream is how a server ends it; a broken socket was judged by its error.
    if (stopping || bidirectional || broken) return;
    note(judgeEarlyClose(code));
  });

  let streamTime = 0;
  let pressesDuringAudio = 0;
  for (const original of messages) {
    if (closed) break;
    if (original.event === "stop") break;
    if (original.event === "mark") continue; // a mark is an echo of the server's: the playback buffer sends those
    const message = "sequenceNumber" in original ? { ...original, sequenceNumber: String(++sequence) } : original;
    if (message.event === "dtmf" && bidirectional && settings.expectBargeIn === true) {
      await settle(); // the server's answers to the audio so far are in: is its audio playing?
      const playing = playback.playing;
      const clearsBefore = cleared;
      await send(message);
      if (playing) {
        pressesDuringAudio++;
        const wait = Math.min(timeoutMs, BARGE_IN_WAIT_MS);
        const deadline = performance.now() + wait;
        while (!closed && cleared === clearsBefore && performance.now() < deadline) await sleep(5);
        if (cleared !== clearsBefore) count("barge-in");
        if (cleared === clearsBefore && !closed) {
          note({
            rule: "barge-in",
            message: `the caller pressed ${message.dtmf.digit} while the server's audio was playing, and no clear came within ${wait} ms`,
            expected: "clear (barge-in)",
            actual: "the audio kept playing",
          });
        }
      }
      continue;
    }
    await send(message);
    if (message.event === "media" && bidirectional) {
      // The Stream's clock: the end of the latest audio sent, over every track.
      const end = Number(message.media.timestamp) + Buffer.byteLength(message.media.payload, "base64") / MULAW_BYTES_PER_MS;
      if (end > streamTime) {
        await echo(playback.advance(end - streamTime));
        streamTime = end;
      }
    }
  }
  await settle();
  if (bidirectional) {
    await echo(playback.drain());
    await settle();
  }
  stopping = true;
  const stop = messages.find((m) => m.event === "stop");
  if (stop !== undefined && !closed) await send({ ...stop, sequenceNumber: String(++sequence) });
  // What the server sends until it answers the close is still judged (the message handler above).
  if (!closed) socket.close(1000);
  await within(closedPromise, timeoutMs);
  socket.terminate();
  return { findings, received, mediaReceived, echoed, pressesDuringAudio, exercised };
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
