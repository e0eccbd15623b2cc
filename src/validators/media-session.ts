/**
 * The rules of a whole Media Stream, message after message, that no message schema can say:
 * the order of `connected`, `start` and `stop`, the counters, one `streamSid`, and the `start`
 * that the CreateStream request asked for. `checkMediaSession` walks the messages once and
 * reports the first broken rule with the index of the message that broke it.
 */
import type { MediaTrack, Track, TwilioStartMessage, TwilioStreamMessage } from "./generated/types.js";
import { copyCarefully, type UnreadablePath } from "./careful.js";
import { type ContractIssue, describeValue } from "./issue.js";
import { validateTwilioStreamMessage } from "./media-message.js";
import { customParametersOf, startTracksOf } from "./media-stream-start.js";

/**
 * How `media.chunk` counts when a stream has two tracks — Twilio does not say:
 * - `per-stream`: one counter for all media messages (1, 2, 3 … whatever their track);
 * - `per-track`: one counter per track (inbound 1, 2 …, outbound 1, 2 …);
 * - `either`: whichever the session uses, decided at the first media message of its second track.
 * @public
 */
export type ChunkCounter = "per-stream" | "per-track" | "either";

/** The rules {@link checkMediaSession} checks, each with the name it reports. @public */
export type MediaSessionRule =
  /** Every message is a valid Twilio message (schemas/twilio-media-message.schema.json). */
  | "message"
  /** `connected` first, and only first. */
  | "connected-first"
  /** `start` once, right after `connected`. */
  | "start-once"
  /** `connected` has no sequenceNumber; `start` has "1"; each later message one more. */
  | "sequence-number"
  /** `media.chunk` starts at 1 and is one more for each media message (see {@link ChunkCounter}). */
  | "chunk"
  /** `media.timestamp` never decreases on a track. */
  | "timestamp"
  /** The same `streamSid` in every message, and in `start.streamSid`. */
  | "stream-sid"
  /** `media` only on a track `start.tracks` lists. */
  | "media-track"
  /** `dtmf` and `mark` only on a bidirectional stream (not on one CreateStream made). */
  | "bidirectional-only"
  /** `start.tracks` is what CreateStream's `Track` asked for (`["inbound"]` on a bidirectional stream). */
  | "tracks"
  /** `start.customParameters` are CreateStream's `ParameterN` pairs. */
  | "custom-parameters"
  /** `start` and `stop` name the same Account and Call, the CreateStream path's when given. */
  | "call-identity"
  /** `stop` is the last message (and, for a complete session, there is one). */
  | "stop-last";

/** The first broken rule of a session. @public */
export interface MediaSessionIssue {
  /** The index of the message that broke it; `messages.length` for a missing last `stop`. */
  readonly index: number;
  readonly rule: MediaSessionRule;
  /** What is wrong, in one sentence that names the message. */
  readonly message: string;
  /** For rule `message`: the message's issues. */
  readonly issues?: readonly ContractIssue[];
}

/** The result of {@link checkMediaSession}. @public */
export type MediaSessionResult = { readonly valid: true } | { readonly valid: false; readonly violation: MediaSessionIssue };

/** The CreateStream request a session was opened by: its form body as an object, and its path. @public */
export interface MediaSessionRequest {
  readonly body: Readonly<Record<string, unknown>> & { readonly Track?: Track };
  readonly path?: { readonly AccountSid?: string; readonly CallSid?: string };
}

/** Options of {@link checkMediaSession}. @public */
export interface MediaSessionOptions {
  /**
   * The CreateStream request that opened the stream: `start.tracks` must follow its `Track`,
   * `start.customParameters` its `ParameterN` pairs, the SIDs its path. Such a stream is
   * unidirectional: `dtmf` and `mark` break the rule `bidirectional-only`.
   */
  readonly request?: MediaSessionRequest;
  /** A bidirectional stream (`<Connect><Stream>`): `start.tracks` must be `["inbound"]`. */
  readonly bidirectional?: boolean;
  /** How `media.chunk` counts with two tracks; default `either` (Twilio does not say). */
  readonly chunkCounter?: ChunkCounter;
  /** Whether the session must end with `stop`; default true. False for a recording cut short. */
  readonly complete?: boolean;
}

type Fail = { readonly valid: false; readonly violation: MediaSessionIssue };

function fail(index: number, rule: MediaSessionRule, message: string, issues?: readonly ContractIssue[]): Fail {
  return { valid: false, violation: issues === undefined ? { index, rule, message } : { index, rule, message, issues } };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

function sameRecord(a: Readonly<Record<string, string | undefined>>, b: Readonly<Record<string, string | undefined>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/** Checks what the `start` message says against the options. */
function checkStart(start: TwilioStartMessage, options: MediaSessionOptions): Fail | undefined {
  const at = (rule: MediaSessionRule, message: string) => fail(1, rule, `start (message 1): ${message}`);
  const { streamSid, tracks, customParameters, accountSid, callSid } = start.start;
  if (streamSid !== start.streamSid)
    return at("stream-sid", `start.streamSid ${streamSid} is not the message's streamSid ${start.streamSid}`);
  const { request } = options;
  if (options.bidirectional === true && !sameStrings(tracks, ["inbound"])) {
    return at("tracks", `a bidirectional stream has only the inbound track, got tracks ${describeValue(tracks)}`);
  }
  if (request !== undefined) {
    const track = request.body.Track;
    const expected = startTracksOf(track);
    if (!sameStrings(tracks, expected)) {
      return at(
        "tracks",
        `Track ${track ?? "(not given: inbound_track)"} means tracks ${describeValue(expected)}, got ${describeValue(tracks)}`,
      );
    }
    const parameters = customParametersOf(request.body);
    if (!sameRecord(customParameters, parameters)) {
      return at(
        "custom-parameters",
        `the request's ParameterN pairs are ${describeValue(parameters)}, customParameters are ${describeValue(customParameters)}`,
      );
    }
    const path = request.path ?? {};
    if (path.AccountSid !== undefined && path.AccountSid !== accountSid)
      return at("call-identity", `accountSid ${accountSid} is not the request's ${path.AccountSid}`);
    if (path.CallSid !== undefined && path.CallSid !== callSid)
      return at("call-identity", `callSid ${callSid} is not the request's ${path.CallSid}`);
  }
  return undefined;
}

/** The running state of a session's counters. */
interface Counters {
  sequence: number;
  /** The last chunk of all media messages, and of each track. */
  chunk: number;
  readonly trackChunk: Map<MediaTrack, number>;
  readonly timestamp: Map<MediaTrack, number>;
  counter: ChunkCounter;
}

/** The chunk the counting expects next on `track`, or the two candidates while undecided. */
function checkChunk(counters: Counters, track: MediaTrack, chunk: number): string | undefined {
  const onTrack = counters.trackChunk.get(track);
  const perStream = counters.chunk + 1;
  const perTrack = (onTrack ?? 0) + 1;
  let counter = counters.counter;
  // The readings differ only from the first media message of a second track on; decide there.
  if (counter === "either" && onTrack === undefined && counters.trackChunk.size > 0) {
    if (chunk === perStream) counter = "per-stream";
    else if (chunk === perTrack) counter = "per-track";
    else return `chunk ${chunk} is neither ${perStream} (one counter per stream) nor ${perTrack} (one counter per track)`;
    counters.counter = counter;
  }
  // Still undecided: one track so far, where both readings expect the same chunk.
  const expected = counter === "per-track" ? perTrack : perStream;
  if (chunk !== expected) {
    const how = counter === "per-track" ? ` on the ${track} track` : counter === "per-stream" ? " (one counter per stream)" : "";
    return `chunk ${chunk}, expected ${expected}${how}`;
  }
  counters.chunk = chunk;
  counters.trackChunk.set(track, chunk);
  return undefined;
}

/** A media message: on a track start lists, its chunk counted on, its timestamp not before the track's previous one. */
function checkMedia(
  message: Extract<TwilioStreamMessage, { event: "media" }>,
  index: number,
  name: string,
  first: TwilioStartMessage,
  counters: Counters,
): Fail | undefined {
  const { track } = message.media;
  if (!first.start.tracks.includes(track))
    return fail(index, "media-track", `${name} is on the ${track} track, start.tracks are ${describeValue(first.start.tracks)}`);
  const chunkProblem = checkChunk(counters, track, Number(message.media.chunk));
  if (chunkProblem !== undefined) return fail(index, "chunk", `${name}: ${chunkProblem}`);
  const timestamp = Number(message.media.timestamp);
  const previous = counters.timestamp.get(track) ?? 0;
  if (timestamp < previous)
    return fail(index, "timestamp", `${name}: timestamp ${timestamp} is before the ${track} track's previous ${previous}`);
  counters.timestamp.set(track, timestamp);
  return undefined;
}

/** A stop naming another Account or Call than the start. */
function callIdentity(
  message: Extract<TwilioStreamMessage, { event: "stop" }>,
  index: number,
  name: string,
  first: TwilioStartMessage,
): Fail {
  const { accountSid, callSid } = message.stop;
  return fail(
    index,
    "call-identity",
    `${name} names Account ${accountSid} and Call ${callSid}, start named ${first.start.accountSid} and ${first.start.callSid}`,
  );
}

/**
 * Checks a whole Media Stream session, the messages Twilio sent in order (parsed JSON): each is
 * a valid message, and together they keep the session's rules ({@link MediaSessionRule}).
 * Reports the first broken rule and the index of the message that broke it. Never throws.
 * @example
 *   const result = checkMediaSession(received, { request: { body: { Url, Track: "both_tracks" } } });
 *   if (!result.valid) console.error(result.violation.index, result.violation.message);
 * @public
 */
export function checkMediaSession(messages: readonly unknown[], options: MediaSessionOptions = {}): MediaSessionResult {
  // The options read once, into plain data: a getter or a Proxy among them is found here.
  const unreadable: UnreadablePath[] = [];
  const copied = copyCarefully(options, "options", unreadable, 5);
  if (unreadable.length > 0) return fail(0, "message", `the options could not be read: ${unreadable.map((u) => u.path).join(", ")}`);
  const asked: MediaSessionOptions = typeof copied === "object" && copied !== null ? copied : {};
  let count: number;
  try {
    // Inside the try: Array.isArray throws on a revoked Proxy.
    count = Array.isArray(messages) ? messages.length : NaN;
  } catch {
    count = NaN;
  }
  if (!Number.isSafeInteger(count)) {
    return fail(0, "message", `the session must be an array of messages, got ${describeValue(messages)}`);
  }
  let start: TwilioStartMessage | undefined;
  let stopped = false;
  const counters: Counters = {
    sequence: 0,
    chunk: 0,
    trackChunk: new Map(),
    timestamp: new Map(),
    counter: asked.chunkCounter ?? "either",
  };
  const unidirectional = asked.request !== undefined && asked.bidirectional !== true;

  for (let index = 0; index < count; index++) {
    let raw: unknown;
    try {
      raw = messages[index];
    } catch {
      raw = undefined;
    }
    const result = validateTwilioStreamMessage(raw);
    if (!result.valid) {
      return fail(
        index,
        "message",
        `message ${index} is not a valid Twilio message: ${result.issues.map((e) => e.message).join("; ")}`,
        result.issues,
      );
    }
    const message: TwilioStreamMessage = result.value;
    const name = `${message.event} (message ${index})`;
    if (stopped) return fail(index, "stop-last", `${name} comes after stop, which must be the last message`);
    if (index === 0) {
      if (message.event !== "connected") return fail(0, "connected-first", `the first message must be connected, got ${message.event}`);
      if ("sequenceNumber" in message)
        return fail(0, "sequence-number", `connected (message 0) has no sequenceNumber, got ${describeValue(message.sequenceNumber)}`);
      continue;
    }
    if (message.event === "connected") return fail(index, "connected-first", `${name}: connected comes once, first`);
    if (index === 1 && message.event !== "start") return fail(1, "start-once", `${name}: start must follow connected`);
    if (index > 1 && message.event === "start") return fail(index, "start-once", `${name}: start comes once`);

    const sequence = Number(message.sequenceNumber);
    if (sequence !== counters.sequence + 1) {
      return fail(index, "sequence-number", `${name} has sequenceNumber "${message.sequenceNumber}", expected "${counters.sequence + 1}"`);
    }
    counters.sequence = sequence;

    if (message.event === "start") {
      start = message;
      const broken = checkStart(message, asked);
      if (broken !== undefined) return broken;
      continue;
    }
    // From here on a start was seen (index > 1, and index 1 is start).
    const first = start!;
    if (message.streamSid !== first.streamSid)
      return fail(index, "stream-sid", `${name} has streamSid ${message.streamSid}, the stream is ${first.streamSid}`);
    switch (message.event) {
      case "media": {
        const broken = checkMedia(message, index, name, first, counters);
        if (broken !== undefined) return broken;
        break;
      }
      case "dtmf":
      case "mark":
        if (unidirectional)
          return fail(
            index,
            "bidirectional-only",
            `${name}: a stream made by CreateStream is unidirectional; Twilio sends ${message.event} only on bidirectional streams`,
          );
        break;
      case "stop": {
        const { accountSid, callSid } = message.stop;
        if (accountSid !== first.start.accountSid || callSid !== first.start.callSid) return callIdentity(message, index, name, first);
        stopped = true;
        break;
      }
    }
  }
  if (count === 0) return fail(0, "connected-first", "the session is empty: the first message must be connected");
  if (asked.complete !== false) {
    if (start === undefined) return fail(count, "start-once", `the session ends after ${count} message(s) without start`);
    if (!stopped) return fail(count, "stop-last", `the session ends after ${count} messages without stop`);
  }
  return { valid: true };
}
