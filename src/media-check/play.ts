/**
 * Plays one Media Stream session to a WebSocket server as Twilio would — a signed upgrade, then
 * the session's messages as fast as the server reads them — and notes everything the server
 * does that breaks the protocol, each finding under the check it fails. On a bidirectional
 * Stream it also plays Twilio's part for the server's audio (PlaybackBuffer): marks are echoed in
 * order after the audio before them, `clear` empties the buffer and echoes pending marks.
 */
import { type RawData, WebSocket } from "ws";
import { connectionErrorCode, type MediaStreamErrorCode } from "../dialer/stream-errors.js";
import type { DialTarget } from "../dialer/target.js";
import { upgradeHeaders } from "../dialer/upgrade.js";
import { MULAW_BYTES_PER_MS } from "../media/producer.js";
import { TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";
import type { TwilioStreamMessage } from "../validators/generated/types.js";
import { validateServerStreamMessage } from "../validators/media-message.js";
import { PlaybackBuffer } from "./playback.js";

/** How long a barge-in may take: a person hears a second of audio after pressing a key as "not listening". */
const BARGE_IN_WAIT_MS = 1000;

/** The checks a finding can fail (src/media-check/checks.ts names and describes them). */
export type MediaCheckId =
  "upgrade" | "signature" | "frames" | "messages" | "stream-sid" | "unidirectional" | "media-payload" | "stays-open" | "barge-in";

/** Something the server did wrong. */
export interface Finding {
  readonly check: MediaCheckId;
  /** Twilio's error code for it, when Twilio has one. */
  readonly code?: MediaStreamErrorCode;
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
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
  readonly findings: readonly Finding[];
  /** Messages (frames) the server sent. */
  readonly received: number;
  /** The mark names echoed, in order. */
  readonly echoed: readonly string[];
  /** Key presses made while the server's audio played (what the barge-in check tests). */
  readonly pressesDuringAudio: number;
  /** Messages by direction and event (`sent:media`, `received:clear`): what contract coverage counts. */
  readonly exercised: ReadonlyMap<string, number>;
}

/** The result of an upgrade attempt: accepted, or the HTTP status of the refusal. */
export type UpgradeResult = { readonly accepted: true; readonly socket: WebSocket } | { readonly accepted: false; readonly status: number };

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
    const socket = new WebSocket(target.connectUrl, {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
      followRedirects: false,
      ...(ca === undefined ? {} : { ca }),
    });
    socket.once("open", () => resolve({ accepted: true, socket }));
    socket.once("unexpected-response", (request, response) => {
      request.destroy();
      response.resume();
      resolve({ accepted: false, status: response.statusCode ?? 0 });
    });
    socket.once("error", (error) => {
      // After 'unexpected-response' was handled, ws raises no error; any error here is below HTTP.
      const code = connectionErrorCode(error);
      if (code === 31920) resolve({ accepted: false, status: 0 });
      else reject(new MediaConnectionError(`cannot connect to ${target.connectUrl}: ${error.message}`, code));
    });
  });
}

/**
 * Plays `messages` (a whole session: connected, start, media and dtmf, stop) to the server. Its
 * `mark` messages are left out (a mark is the echo of one the server sent: PlaybackBuffer makes
 * those); sequence numbers are renumbered around the echoes.
 */
export async function playSession(messages: readonly TwilioStreamMessage[], settings: PlaySettings): Promise<PlayedSession> {
  const findings: Finding[] = [];
  const note = (finding: Finding) => {
    if (!findings.some((f) => f.check === finding.check)) findings.push(finding); // each check once a session, as Twilio logs once a Stream
  };
  const opened = await upgrade(settings, "twilio");
  if (!opened.accepted) {
    note({
      check: "upgrade",
      code: 31920,
      message: `the server refused Twilio's signed upgrade with HTTP ${opened.status || "(no status)"}`,
      expected: "101 Switching Protocols",
      actual: `HTTP ${opened.status || "failure"}`,
    });
    return { findings, received: 0, echoed: [], pressesDuringAudio: 0, exercised: new Map() };
  }
  const socket = opened.socket;
  const start = messages.find((m) => m.event === "start");
  const streamSid = start?.streamSid ?? "";
  const { bidirectional, settleMs = 20, timeoutMs = 5000 } = settings;
  const playback = new PlaybackBuffer();
  const echoed: string[] = [];
  let received = 0;
  let lastHeard = performance.now();
  let cleared = 0;
  let stopping = false;
  let closed = false;
  let sequence = 0;
  const closedPromise = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  const exercised = new Map<string, number>();
  const count = (part: string) => exercised.set(part, (exercised.get(part) ?? 0) + 1);

  const send = <M extends { readonly event: string }>(message: M) =>
    new Promise<void>((resolve) => {
      if (closed || socket.readyState !== WebSocket.OPEN) return resolve();
      count(`sent:${message.event}`);
      socket.send(JSON.stringify(message), () => resolve());
    });
  const echo = async (names: readonly string[]) => {
    for (const name of names) {
      echoed.push(name);
      await send({ event: "mark", sequenceNumber: String(++sequence), streamSid, mark: { name } });
    }
  };
  /** Waits until the server has been quiet for settleMs (at most timeoutMs). */
  const settle = async () => {
    const deadline = performance.now() + timeoutMs;
    while (!closed && performance.now() < deadline && performance.now() - lastHeard < settleMs) await sleep(settleMs);
  };

  socket.on("message", (data: RawData, isBinary: boolean) => {
    received++;
    lastHeard = performance.now();
    if (stopping) return; // after stop, whatever was in flight is not judged
    const replies = judge(data, isBinary, streamSid, bidirectional, note);
    if (replies === undefined) return;
    count(`received:${replies.event}`);
    if (replies.event === "media") playback.media(replies.bytes);
    else if (replies.event === "mark") void echo(playback.mark(replies.name));
    else {
      cleared++;
      void echo(playback.clear());
    }
  });
  socket.on("close", (code) => {
    closed = true;
    if (stopping || bidirectional) return; // closing a bidirectional Stream is how a server ends it
    note({
      check: "stays-open",
      code: 31921,
      message: `the server closed the WebSocket (code ${code}) before Twilio sent stop`,
      expected: "the socket open until stop",
      actual: `closed with code ${code}`,
    });
  });
  socket.on("error", () => {}); // a broken connection ends in 'close'

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
            check: "barge-in",
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
  if (!closed) socket.close(1000);
  await Promise.race([closedPromise, sleep(timeoutMs)]);
  socket.terminate();
  return { findings, received, echoed, pressesDuringAudio, exercised };
}

type Accepted = { event: "media"; bytes: number } | { event: "mark"; name: string } | { event: "clear" };

/** Judges one message from the server; what Twilio would act on, when it is valid. */
function judge(
  data: RawData,
  isBinary: boolean,
  streamSid: string,
  bidirectional: boolean,
  note: (finding: Finding) => void,
): Accepted | undefined {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  if (!bidirectional) {
    note({
      check: "unidirectional",
      code: 31951,
      message: `the server sent a ${isBinary ? "binary frame" : "message"} on a unidirectional Stream (one created through the REST API or <Start><Stream>): ${excerpt(bytes, isBinary)}`,
      expected: "nothing from the server",
      actual: excerpt(bytes, isBinary),
    });
  }
  if (isBinary) {
    note({
      check: "frames",
      code: 31950,
      message: `the server sent a binary frame of ${bytes.length} bytes (Media Streams messages are JSON text frames)`,
      expected: "JSON text frames",
      actual: excerpt(bytes, true),
    });
    return undefined;
  }
  const text = bytes.toString("utf8");
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    note({
      check: "messages",
      code: 31951,
      message: `the server sent a text frame that is not JSON: ${excerpt(bytes, false)}`,
      expected: "a JSON message",
      actual: excerpt(bytes, false),
    });
    return undefined;
  }
  let wrongSid = false;
  if (
    typeof message === "object" &&
    message !== null &&
    "streamSid" in message &&
    (message as { streamSid: unknown }).streamSid !== streamSid
  ) {
    wrongSid = true;
    const got = JSON.stringify((message as { streamSid: unknown }).streamSid) ?? "undefined";
    note({
      check: "stream-sid",
      code: 31951,
      message: `the server sent streamSid ${cut(got)}, not this Stream's ${streamSid}`,
      expected: streamSid,
      actual: cut(got),
    });
  }
  const result = validateServerStreamMessage(message);
  if (!result.valid) {
    const payload = result.issues.filter((i) => i.path.startsWith("/media/payload"));
    const other = result.issues.filter((i) => !i.path.startsWith("/media/payload") && !(wrongSid && i.path === "/streamSid"));
    if (payload.length > 0)
      note({
        check: "media-payload",
        code: 31951,
        message: `the server's media payload is not raw μ-law in base64: ${payload.map((i) => i.message).join("; ")}`,
        expected: payload.map((i) => i.expected).join("; "),
        actual: payload.map((i) => i.received).join("; "),
      });
    if (other.length > 0)
      note({
        check: "messages",
        code: 31951,
        message: `the server sent an invalid message: ${other.map((i) => i.message).join("; ")}`,
        expected: other.map((i) => `${i.path}: ${i.expected}`).join("; "),
        actual: cut(text),
      });
    return undefined;
  }
  if (wrongSid || !bidirectional) return undefined;
  const valid = result.value;
  if (valid.event === "media") return { event: "media", bytes: Buffer.byteLength(valid.media.payload, "base64") };
  if (valid.event === "mark") return { event: "mark", name: valid.mark.name };
  return { event: "clear" };
}

function excerpt(bytes: Buffer, binary: boolean): string {
  return binary ? `<${bytes.subarray(0, 16).toString("hex")}${bytes.length > 16 ? "…" : ""}>` : cut(bytes.toString("utf8"));
}

function cut(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
