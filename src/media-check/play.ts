/**
 * Plays one Media Stream session to a WebSocket server as Twilio would — a signed upgrade, then
 * the session's messages as fast as the server reads them — and notes everything the server
 * does that breaks the protocol, each issue under the check it fails. A driver of the one
 * engine of Twilio's side (src/dialer/leg.ts), which dials, judges, plays the server's audio out
 * on a bidirectional Stream (at the Stream's own time: marks echoed in order after the audio
 * before them, `clear` empties the queue and echoes pending marks) and hangs up; this file sends
 * the session's messages, waits for the server to settle, and presses keys for the barge-in check.
 */
import type { FrameIssue } from "../dialer/frame-judge.js";
import { type DialOutcome, exercisedBy, Leg, type LegRule } from "../dialer/leg.js";
import type { MediaStreamErrorCode } from "../dialer/stream-errors.js";
import type { DialTarget } from "../dialer/target.js";
import type { TwilioStreamMessage } from "../validators/generated/types.js";

/** How long a barge-in may take: a person hears a second of audio after pressing a key as "not listening". */
const BARGE_IN_WAIT_MS = 1000;
/**
 * How long a session listens, at least, before Twilio's `stop`: a server that speaks a little
 * after the upgrade (a greeting on a unidirectional Stream, a late answer) is heard and judged.
 */
const MIN_LISTEN_MS = 100;

/** Something the server did wrong, under the rule it broke (src/media-check/checks.ts has a check for each). */
interface MediaServerIssue extends Omit<FrameIssue, "rule"> {
  readonly rule: LegRule | "barge-in";
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

/**
 * Sends the upgrade with `signature` (undefined: no X-Twilio-Signature header; "twilio": Twilio's)
 * and hangs up at once; whether the server accepted it. A connection that fails below HTTP
 * (refused, TLS, timeout) is a MediaConnectionError.
 */
export async function upgrade(settings: DialSettings, signature: string | undefined | "twilio"): Promise<boolean> {
  const leg = dialLeg(settings, { signature: signature === "twilio" ? undefined : (signature ?? null) });
  const opened = connected(await leg.dial(), settings);
  await leg.hangUp();
  return opened;
}

/** A leg with the run's dial settings: no messages of its own (sessions build theirs). */
function dialLeg(settings: DialSettings, more: Partial<ConstructorParameters<typeof Leg>[0]>): Leg {
  const timeoutMs = settings.timeoutMs ?? 5000;
  return new Leg({
    target: settings.target,
    authToken: settings.authToken,
    ...(settings.ca === undefined ? {} : { ca: settings.ca }),
    upgradeTimeoutMs: timeoutMs,
    streamSid: "",
    bidirectional: false,
    messages: { mark: () => ({}), stop: () => undefined },
    // An upgrade probe hangs up at once: no close handshake is waited for.
    closeGraceMs: 0,
    ...more,
  });
}

/** Whether the dial opened the socket; a MediaConnectionError when the server could not be reached. */
function connected(outcome: DialOutcome, settings: DialSettings): boolean {
  if (outcome.kind === "unreachable")
    throw new MediaConnectionError(`cannot connect to ${settings.target.connectUrl}: ${outcome.message}`, outcome.code);
  return outcome.kind === "open";
}

/** How long an accepted upgrade with a wrong signature is given to be closed with 1008. */
const REFUSAL_CLOSE_MS = 1000;

/**
 * Whether the server refuses an upgrade signed with `signature` (undefined: none): it answers no
 * 101, or it accepts and at once closes with 1008 (policy violation) before sending any message —
 * how frameworks that can only read headers after the upgrade refuse (docs/media-streams.md).
 */
export async function refusesUpgrade(settings: DialSettings, signature: string | undefined): Promise<boolean> {
  const leg = dialLeg(settings, { signature: signature ?? null });
  if (!connected(await leg.dial(), settings)) return true;
  const closed = await within(leg.closed, Math.min(settings.timeoutMs ?? 5000, REFUSAL_CLOSE_MS));
  await leg.hangUp();
  return closed && leg.closeCode === 1008 && leg.received === 0;
}

/**
 * Plays `messages` (a whole session: connected, start, media and dtmf, stop) to the server. Its
 * `mark` messages are left out (a mark is the echo of one the server sent: the engine's playback
 * makes those); sequence numbers are renumbered around the echoes.
 */
export async function playSession(messages: readonly TwilioStreamMessage[], settings: PlaySettings): Promise<PlayedSession> {
  const streamSid = messages.find((m) => m.event === "start")?.streamSid ?? "";
  const stop = messages.find((m) => m.event === "stop");
  let sequence = 0;
  let cleared = 0;
  const timeoutMs = settings.timeoutMs ?? 5000;
  const leg = dialLeg(settings, {
    streamSid,
    bidirectional: settings.bidirectional,
    playbackTime: "stream",
    writeTimeoutMs: timeoutMs,
    closeGraceMs: timeoutMs,
    messages: {
      mark: (name) => ({ event: "mark", sequenceNumber: String(++sequence), streamSid, mark: { name } }),
      stop: () => (stop === undefined ? undefined : { ...stop, sequenceNumber: String(++sequence) }),
    },
    onAccepted: (message) => {
      if (message.event === "clear") cleared++;
    },
  });
  const issues: MediaServerIssue[] = [];
  let pressesDuringAudio = 0;
  let bargeIns = 0;
  const exercised = () => new Map([...exercisedBy(leg), ...(bargeIns > 0 ? [["barge-in", bargeIns] as const] : [])]);
  const played = (): PlayedSession => ({
    issues: [...leg.issues, ...issues],
    received: leg.received,
    mediaReceived: leg.mediaReceived,
    echoed: leg.echoed,
    pressesDuringAudio,
    exercised: exercised(),
  });
  if (!connected(await leg.dial(), settings)) return played();

  const listenUntil = leg.now() + MIN_LISTEN_MS;
  const settleMs = settings.settleMs ?? 20;
  /** Waits until the server has been quiet for settleMs and the session has listened MIN_LISTEN_MS (at most timeoutMs). */
  const settle = async () => {
    const deadline = leg.now() + timeoutMs;
    const waiting = () => leg.now() - leg.lastHeardMs < settleMs || leg.now() < listenUntil;
    while (!leg.ended && leg.now() < deadline && waiting()) await sleep(settleMs);
  };
  /** A key press with barge-in expected: when the server's audio is playing, a clear must follow within a second. */
  const press = async (message: TwilioStreamMessage) => {
    await settle(); // the server's answers to the audio so far are in: is its audio playing?
    const playing = leg.playing;
    const clearsBefore = cleared;
    await leg.sendWritten(message);
    if (!playing) return;
    pressesDuringAudio++;
    const wait = Math.min(timeoutMs, BARGE_IN_WAIT_MS);
    const deadline = leg.now() + wait;
    while (!leg.ended && cleared === clearsBefore && leg.now() < deadline) await sleep(5);
    if (cleared !== clearsBefore) bargeIns++;
    else if (!leg.ended && message.event === "dtmf" && issues.length === 0)
      issues.push({
        rule: "barge-in",
        message: `the caller pressed ${message.dtmf.digit} while the server's audio was playing, and no clear came within ${wait} ms`,
        expected: "clear (barge-in)",
        actual: "the audio kept playing",
      });
  };

  for (const original of messages) {
    if (leg.ended || original.event === "stop") break;
    if (original.event === "mark") continue; // a mark is an echo of the server's: the playback makes those
    const message = "sequenceNumber" in original ? { ...original, sequenceNumber: String(++sequence) } : original;
    if (message.event === "dtmf" && settings.bidirectional && settings.expectBargeIn === true) await press(message);
    else await leg.sendWritten(message);
  }
  // Lets the server finish, plays out its audio, then Twilio's stop and a close; what comes until the socket closes is judged.
  await settle();
  if (settings.bidirectional) {
    leg.playOut();
    await settle();
  }
  await leg.hangUp();
  return played();
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
