/**
 * Whole Media Stream sessions, as Twilio sends them (src/media/producer.ts builds each one), and
 * sessions broken in exactly one place, tagged with the rule of checkMediaSession it breaks and
 * the index of the message that breaks it.
 *
 *     session = connected start *(media / dtmf / mark) stop
 */
import fc from "fast-check";
import { MediaMessageProducer } from "../media/producer.js";
import type { MediaTrack, Track, TwilioStreamMessage } from "../validators/generated/types.js";
import type { MediaSessionOptions, MediaSessionRule } from "../validators/media-session.js";
import { startTracksOf } from "../validators/media-stream-start.js";
import { TRACKS } from "./_internals/schema.js";
import { dtmfDigit } from "./media-message.js";
import type { InvalidSample } from "./invalid-sample.js";
import { mediaStreamUrl } from "./url.js";
import { mulawAudio } from "./mulaw.js";
import { sid } from "./sid.js";

/** Options of {@link mediaSession}. @public */
export interface MediaSessionArbitraryOptions {
  /**
   * `unidirectional`: a stream CreateStream opened (tracks from `Track`, custom parameters from
   * `ParameterN`, no dtmf or mark). `bidirectional`: a `<Connect><Stream>` (inbound only, with
   * dtmf and mark echoes). Both by default.
   */
  readonly kind?: "unidirectional" | "bidirectional";
  /** How `chunk` counts with two tracks; both by default. */
  readonly chunkCounter?: "per-stream" | "per-track";
  /** Most events between `start` and `stop`; default 10. */
  readonly maxEvents?: number;
}

/** A generated session: the messages and the options that tell checkMediaSession what was asked. @public */
export interface MediaSessionSample {
  readonly messages: readonly TwilioStreamMessage[];
  /** For checkMediaSession: the CreateStream request (unidirectional) or `bidirectional: true`, and the chunk counting used. */
  readonly options: MediaSessionOptions & { readonly chunkCounter: "per-stream" | "per-track" };
}

/**
 * A session broken in one place, as every invalid generator yields its value: `value` is a
 * session as mediaSession yields one, `{ messages, options }`; `path` is `/messages/index`, the
 * message that breaks `rule`. @public
 */
export interface BrokenMediaSession extends InvalidSample<{
  readonly messages: readonly unknown[];
  readonly options: MediaSessionSample["options"];
}> {
  readonly index: number;
  readonly rule: MediaSessionRule;
}

/** One thing that happens between start and stop. */
type Step =
  | { readonly kind: "media"; readonly track: MediaTrack; readonly audio: Uint8Array }
  | { readonly kind: "dtmf"; readonly digit: string }
  | { readonly kind: "mark"; readonly name: string };

/** A 20 ms frame mostly (what Twilio is reported to send), any size sometimes. */
const frame = fc.oneof(
  { weight: 3, arbitrary: mulawAudio({ minLength: 160, maxLength: 160 }) },
  { weight: 1, arbitrary: mulawAudio({ minLength: 1, maxLength: 320 }) },
);

function steps(tracks: readonly MediaTrack[], bidirectional: boolean, maxEvents: number): fc.Arbitrary<Step[]> {
  const media = fc.record({ kind: fc.constant("media" as const), track: fc.constantFrom(...tracks), audio: frame });
  const step: fc.Arbitrary<Step> = bidirectional
    ? fc.oneof(
        { weight: 4, arbitrary: media },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("dtmf" as const), digit: dtmfDigit() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("mark" as const), name: fc.string({ maxLength: 16 }) }) },
      )
    : media;
  return fc.array(step, { maxLength: maxEvents });
}

/** A CreateStream body: Url, maybe Track, a few ParameterN pairs. */
function createStreamBody(): fc.Arbitrary<Record<string, string> & { Track?: Track }> {
  return fc
    .record({
      Url: mediaStreamUrl(),
      Track: fc.option(fc.constantFrom(...TRACKS), { nil: undefined }),
      parameters: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 3 }),
      values: fc.array(fc.string({ maxLength: 10 }), { minLength: 3, maxLength: 3 }),
    })
    .map(({ Url, Track, parameters, values }) => {
      const body: Record<string, string> & { Track?: Track } = { Url };
      if (Track !== undefined) body.Track = Track;
      parameters.forEach((name, i) => {
        body[`Parameter${i + 1}.Name`] = name;
        body[`Parameter${i + 1}.Value`] = values[i]!;
      });
      return body;
    });
}

/**
 * Valid sessions as Twilio sends them: `connected`, `start`, media of every track the stream
 * has (both tracks on some unidirectional streams), dtmf and mark echoes on bidirectional ones,
 * `stop`; counters and timestamps kept by src/media/producer.ts. `options` are what
 * checkMediaSession needs to check the session against what was asked.
 * @example
 *   fc.assert(fc.property(mediaSession(), ({ messages, options }) => checkMediaSession(messages, options).valid));
 * @public
 */
export function mediaSession(options: MediaSessionArbitraryOptions = {}): fc.Arbitrary<MediaSessionSample> {
  const kinds = options.kind === undefined ? (["unidirectional", "bidirectional"] as const) : [options.kind];
  const counters = options.chunkCounter === undefined ? (["per-stream", "per-track"] as const) : [options.chunkCounter];
  const maxEvents = options.maxEvents ?? 10;
  return fc
    .record({
      kind: fc.constantFrom(...kinds),
      chunkCounter: fc.constantFrom(...counters),
      accountSid: sid("account"),
      callSid: sid("call"),
      streamSid: sid("stream"),
      body: createStreamBody(),
      firstTimestamp: fc.oneof(fc.constant(0), fc.nat(1000)),
    })
    .chain((setup) => {
      const bidirectional = setup.kind === "bidirectional";
      const tracks = bidirectional ? (["inbound"] as const) : startTracksOf(setup.body.Track);
      return steps(tracks, bidirectional, maxEvents).map((events) => {
        const { accountSid, callSid, streamSid, chunkCounter, firstTimestamp } = setup;
        const request = { body: setup.body, path: { AccountSid: accountSid, CallSid: callSid } };
        const producer = bidirectional
          ? new MediaMessageProducer({ accountSid, callSid, streamSid, tracks, chunkCounter, firstTimestamp })
          : MediaMessageProducer.fromCreateStream(request, { streamSid }, { chunkCounter, firstTimestamp });
        const messages: TwilioStreamMessage[] = [producer.connected(), producer.start()];
        for (const event of events) {
          if (event.kind === "media") messages.push(producer.media(event.track, event.audio));
          else if (event.kind === "dtmf") messages.push(producer.dtmf(event.digit));
          else messages.push(producer.mark(event.name));
        }
        messages.push(producer.stop());
        const checkOptions = bidirectional ? { bidirectional: true, chunkCounter } : { request, chunkCounter };
        return { messages, options: checkOptions };
      });
    });
}

// ---------------------------------------------------------------------------------------------
// Breaks: each takes a valid session and a number to choose with, and says where it broke it.

type Message = Record<string, unknown> & { readonly event: string };
interface Break {
  readonly rule: MediaSessionRule;
  readonly reason: string;
  readonly index: number;
  readonly messages: readonly unknown[];
}
type Breaker = (messages: readonly Message[], sample: MediaSessionSample, pick: number) => Break | undefined;

/** Indexes of messages that satisfy `test`. */
const indexesOf = (messages: readonly Message[], test: (m: Message, i: number) => boolean): number[] =>
  messages.flatMap((m, i) => (test(m, i) ? [i] : []));
const choose = <T>(list: readonly T[], pick: number): T | undefined => (list.length === 0 ? undefined : list[pick % list.length]);

/** One of the session's media messages, by `pick`: its index and its `media` object. */
function pickMedia(messages: readonly Message[], pick: number) {
  const index = choose(
    indexesOf(messages, (m) => m.event === "media"),
    pick,
  );
  return index === undefined ? undefined : { index, media: field(messages[index]!, "media") };
}
const replaced = (messages: readonly Message[], index: number, message: unknown): unknown[] =>
  messages.map((m, i) => (i === index ? message : m));
const inserted = (messages: readonly Message[], index: number, message: unknown): unknown[] => [
  ...messages.slice(0, index),
  message,
  ...messages.slice(index),
];
/** `message` renumbered to follow message `index - 1`. */
const following = (messages: readonly Message[], index: number, message: Message): Message => ({
  ...message,
  sequenceNumber: String(Number(messages[index - 1]!.sequenceNumber ?? 0) + 1),
});
/** Another SID of the same kind: the last digit changed. */
const otherSid = (value: string): string => value.slice(0, -1) + (value.endsWith("0") ? "1" : "0");
const field = (m: Message, name: string) => m[name] as Record<string, unknown>;

const BREAKERS: readonly Breaker[] = [
  (messages, _sample, pick) => {
    const index = choose(
      indexesOf(messages, (_m, i) => i > 0),
      pick,
    )!;
    return {
      rule: "message",
      reason: "a streamSid that is not a Stream SID",
      index,
      messages: replaced(messages, index, { ...messages[index], streamSid: "MZ123" }),
    };
  },
  (messages) => ({ rule: "connected-first", reason: "no connected", index: 0, messages: messages.slice(1) }),
  (messages, _sample, pick) => {
    const index = 1 + (pick % (messages.length - 1));
    return { rule: "connected-first", reason: "connected again later", index, messages: inserted(messages, index, messages[0]) };
  },
  (messages) => ({
    rule: "sequence-number",
    reason: "connected with a sequenceNumber",
    index: 0,
    messages: replaced(messages, 0, { ...messages[0], sequenceNumber: "0" }),
  }),
  (messages, _sample, pick) => {
    const index = 1 + (pick % (messages.length - 1));
    const message = messages[index]!;
    return {
      rule: "sequence-number",
      reason: "a sequenceNumber skipped",
      index,
      messages: replaced(messages, index, { ...message, sequenceNumber: String(Number(message.sequenceNumber) + 1) }),
    };
  },
  (messages) => ({
    rule: "start-once",
    reason: "no start",
    index: 1,
    messages: [messages[0], ...messages.slice(2).map((m) => ({ ...m, sequenceNumber: String(Number(m.sequenceNumber) - 1) }))],
  }),
  (messages, _sample, pick) => {
    const index = 2 + (pick % (messages.length - 2));
    return {
      rule: "start-once",
      reason: "start twice",
      index,
      messages: inserted(messages, index, following(messages, index, messages[1]!)),
    };
  },
  (messages, _sample, pick) => {
    const picked = pickMedia(messages, pick);
    if (picked === undefined) return undefined;
    const { index, media } = picked;
    return {
      rule: "chunk",
      reason: "a chunk skipped",
      index,
      messages: replaced(messages, index, { ...messages[index], media: { ...media, chunk: String(Number(media.chunk) + 1) } }),
    };
  },
  (messages, _sample, pick) => {
    // A media message whose track had an earlier one with a timestamp above 0.
    const last = new Map<unknown, number>();
    const candidates: [number, number][] = [];
    messages.forEach((m, i) => {
      if (m.event !== "media") return;
      const media = field(m, "media");
      const before = last.get(media.track);
      if (before !== undefined && before > 0) candidates.push([i, before]);
      last.set(media.track, Number(media.timestamp));
    });
    const found = choose(candidates, pick);
    if (found === undefined) return undefined;
    const [index, before] = found;
    const media = field(messages[index]!, "media");
    return {
      rule: "timestamp",
      reason: "a timestamp before the track's previous one",
      index,
      messages: replaced(messages, index, { ...messages[index], media: { ...media, timestamp: String(before - 1) } }),
    };
  },
  (messages, _sample, pick) => {
    const index = 2 + (pick % (messages.length - 2));
    return {
      rule: "stream-sid",
      reason: "another Stream's SID",
      index,
      messages: replaced(messages, index, { ...messages[index], streamSid: otherSid(String(messages[index]!.streamSid)) }),
    };
  },
  (messages) => {
    const start = field(messages[1]!, "start");
    return {
      rule: "stream-sid",
      reason: "start.streamSid differs",
      index: 1,
      messages: replaced(messages, 1, { ...messages[1], start: { ...start, streamSid: otherSid(String(start.streamSid)) } }),
    };
  },
  (messages, _sample, pick) => {
    const tracks = field(messages[1]!, "start").tracks as MediaTrack[];
    if (tracks.length !== 1) return undefined;
    const picked = pickMedia(messages, pick);
    if (picked === undefined) return undefined;
    const { index, media } = picked;
    return {
      rule: "media-track",
      reason: "media on a track start did not list",
      index,
      messages: replaced(messages, index, {
        ...messages[index],
        media: { ...media, track: tracks[0] === "inbound" ? "outbound" : "inbound" },
      }),
    };
  },
  (messages, sample, pick) => {
    if (sample.options.request === undefined) return undefined;
    const index = 2 + (pick % (messages.length - 2));
    const dtmf = { event: "dtmf", streamSid: messages[1]!.streamSid, sequenceNumber: "0", dtmf: { track: "inbound_track", digit: "1" } };
    return {
      rule: "bidirectional-only",
      reason: "dtmf on a unidirectional stream",
      index,
      messages: inserted(messages, index, following(messages, index, dtmf)),
    };
  },
  (messages, sample) => {
    const start = field(messages[1]!, "start");
    const tracks = start.tracks as MediaTrack[];
    const other =
      sample.options.request === undefined ? ["inbound", "outbound"] : tracks.length === 2 ? ["inbound"] : ["inbound", "outbound"];
    return {
      rule: "tracks",
      reason: "start.tracks not what was asked",
      index: 1,
      messages: replaced(messages, 1, { ...messages[1], start: { ...start, tracks: other } }),
    };
  },
  (messages, sample) => {
    if (sample.options.request === undefined) return undefined;
    const start = field(messages[1]!, "start");
    const parameters = start.customParameters as Record<string, string>;
    const changed =
      Object.keys(parameters).length === 0 ? { extra: "1" } : Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, `${v}x`]));
    return {
      rule: "custom-parameters",
      reason: "customParameters not the ParameterN pairs",
      index: 1,
      messages: replaced(messages, 1, { ...messages[1], start: { ...start, customParameters: changed } }),
    };
  },
  (messages) => {
    const index = messages.length - 1;
    const stop = field(messages[index]!, "stop");
    return {
      rule: "call-identity",
      reason: "stop names another Call",
      index,
      messages: replaced(messages, index, { ...messages[index], stop: { ...stop, callSid: otherSid(String(stop.callSid)) } }),
    };
  },
  (messages) => ({ rule: "stop-last", reason: "no stop", index: messages.length - 1, messages: messages.slice(0, -1) }),
  (messages) => {
    const index = messages.length;
    const after = { ...messages[index - 1], sequenceNumber: String(Number(messages[index - 1]!.sequenceNumber) + 1) };
    return { rule: "stop-last", reason: "a message after stop", index, messages: [...messages, after] };
  },
];

/**
 * Sessions broken in exactly one place, tagged: `value` is the session `{ messages, options }`
 * (the shape mediaSession yields), `rule` the rule of checkMediaSession it breaks, `index` (and
 * `path`, `/messages/index`) the first message that breaks it — `messages.length` when the last
 * `stop` is missing.
 * @example
 *   fc.assert(fc.property(brokenMediaSession(), (s) => {
 *     const result = checkMediaSession(s.value.messages, s.value.options);
 *     return !result.valid && result.violation.index === s.index && result.violation.rule === s.rule;
 *   }));
 * @public
 */
export function brokenMediaSession(options: MediaSessionArbitraryOptions = {}): fc.Arbitrary<BrokenMediaSession> {
  return fc.tuple(mediaSession(options), fc.nat(BREAKERS.length - 1), fc.nat()).map(([sample, which, pick]) => {
    const messages = sample.messages as unknown as readonly Message[];
    // Not every break fits every session (no media to skip a chunk of …): take the next that does.
    for (let k = 0; k < BREAKERS.length; k++) {
      const broken = BREAKERS[(which + k) % BREAKERS.length]!(messages, sample, pick);
      if (broken !== undefined)
        return {
          value: { messages: broken.messages, options: sample.options },
          reason: broken.reason,
          path: `/messages/${broken.index}`,
          index: broken.index,
          rule: broken.rule,
        };
    }
    throw new Error("unreachable: the first breaks fit every session");
  });
}
