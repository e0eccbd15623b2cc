/**
 * Single Media Streams messages, valid and broken in one place, for both directions
 * (schemas/twilio-media-message.schema.json, schemas/server-media-message.schema.json). Every
 * rule is read from the schemas: counters from their patterns, tracks from their enum.
 */
import fc from "fast-check";
import type { ServerStreamMessage, TwilioStreamMessage } from "../validators/generated/types.js";
import { START_TRACKS } from "../validators/media-stream-start.js";
import { pointerToken } from "../lib/json.js";
import { nestSample } from "./_internals/pointer.js";
import { MEDIA_PATTERN } from "../contract/matchers.js";
import { DTMF_TRACK, MEDIA_FORMAT } from "../media/producer.js";
import { MEDIA_TRACKS, SERVER_EVENTS, TWILIO_EVENTS } from "./_internals/schema.js";
import type { InvalidSample } from "./invalid-sample.js";
import { invalidMulawPayload, mulawPayload } from "./mulaw.js";
import { invalidSid, sid } from "./sid.js";

/** A DTMF digit, by the schema's pattern of `dtmf.digit` (0–9, A–D, * and #). */
export function dtmfDigit(): fc.Arbitrary<string> {
  return fc.stringMatching(new RegExp(MEDIA_PATTERN.dtmfDigit));
}

/** An event Twilio sends. @public */
export type TwilioStreamEvent = TwilioStreamMessage["event"];
/** An event a server sends. @public */
export type ServerStreamEvent = ServerStreamMessage["event"];

/** Options of the message arbitraries. @public */
export interface MediaMessageArbitraryOptions<E extends string> {
  /** Only messages of this event (any event by default). */
  readonly event?: E;
  /** The `streamSid` of every message (a generated one by default). */
  readonly streamSid?: string;
}

type Counter = "sequenceNumber" | "chunk" | "timestamp";

/** A decimal-string counter, from the schema's pattern. */
const counter = (name: Counter): fc.Arbitrary<string> => fc.stringMatching(new RegExp(MEDIA_PATTERN[name]));

/** A mark name: any string (Unicode included). */
const markName = (): fc.Arbitrary<string> => fc.string({ unit: "grapheme", maxLength: 24 });

/** `start.customParameters`: a few names with string values. */
const customParameters = (): fc.Arbitrary<Record<string, string>> =>
  fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 24 }), { maxKeys: 4 });

/** The body of each Twilio message, by event. */
function twilioMessages(streamSid: fc.Arbitrary<string>): {
  readonly [E in TwilioStreamEvent]: fc.Arbitrary<Extract<TwilioStreamMessage, { event: E }>>;
} {
  return {
    connected: fc.constant({ event: "connected", protocol: "Call", version: "1.0.0" }),
    start: fc
      .record({
        streamSid,
        accountSid: sid("account"),
        callSid: sid("call"),
        tracks: fc.constantFrom(...Object.values(START_TRACKS)),
        customParameters: customParameters(),
      })
      .map(({ streamSid: s, accountSid, callSid, tracks, customParameters: parameters }) => ({
        event: "start" as const,
        sequenceNumber: "1",
        streamSid: s,
        start: {
          streamSid: s,
          accountSid,
          callSid,
          tracks: [...tracks] as [(typeof MEDIA_TRACKS)[number]],
          customParameters: parameters,
          mediaFormat: { ...MEDIA_FORMAT },
        },
      })),
    media: fc
      .record({
        sequenceNumber: counter("sequenceNumber"),
        streamSid,
        track: fc.constantFrom(...MEDIA_TRACKS),
        chunk: counter("chunk"),
        timestamp: counter("timestamp"),
        payload: mulawPayload(),
      })
      .map(({ sequenceNumber, streamSid: s, ...media }) => ({ event: "media" as const, sequenceNumber, streamSid: s, media })),
    dtmf: fc
      .record({ sequenceNumber: counter("sequenceNumber"), streamSid, digit: dtmfDigit() })
      .map(({ sequenceNumber, streamSid: s, digit }) => ({
        event: "dtmf" as const,
        sequenceNumber,
        streamSid: s,
        dtmf: { track: DTMF_TRACK, digit },
      })),
    mark: fc
      .record({ sequenceNumber: counter("sequenceNumber"), streamSid, name: markName() })
      .map(({ sequenceNumber, streamSid: s, name }) => ({ event: "mark" as const, sequenceNumber, streamSid: s, mark: { name } })),
    stop: fc
      .record({ sequenceNumber: counter("sequenceNumber"), streamSid, accountSid: sid("account"), callSid: sid("call") })
      .map(({ sequenceNumber, streamSid: s, ...stop }) => ({ event: "stop" as const, sequenceNumber, streamSid: s, stop })),
  };
}

/** The body of each server message, by event. */
function serverMessages(streamSid: fc.Arbitrary<string>): {
  readonly [E in ServerStreamEvent]: fc.Arbitrary<Extract<ServerStreamMessage, { event: E }>>;
} {
  return {
    media: fc
      .record({ streamSid, payload: mulawPayload() })
      .map(({ streamSid: s, payload }) => ({ event: "media" as const, streamSid: s, media: { payload } })),
    mark: fc
      .record({ streamSid, name: markName() })
      .map(({ streamSid: s, name }) => ({ event: "mark" as const, streamSid: s, mark: { name } })),
    clear: streamSid.map((s) => ({ event: "clear" as const, streamSid: s })),
  };
}

const streamSidOf = (options: { readonly streamSid?: string }) =>
  options.streamSid === undefined ? sid("stream") : fc.constant(options.streamSid);

/**
 * Valid messages Twilio sends: `connected`, `start`, `media`, `dtmf`, `mark`, `stop` (or only
 * `options.event`). Counters are any values their patterns allow; whole sessions come from
 * {@link mediaSession}.
 * @public
 */
export function twilioStreamMessage<E extends TwilioStreamEvent = TwilioStreamEvent>(
  options: MediaMessageArbitraryOptions<E> = {},
): fc.Arbitrary<Extract<TwilioStreamMessage, { event: E }>> {
  const all = twilioMessages(streamSidOf(options));
  return (options.event === undefined ? fc.oneof(...Object.values(all)) : all[options.event]) as fc.Arbitrary<
    Extract<TwilioStreamMessage, { event: E }>
  >;
}

/**
 * Valid messages a server sends to Twilio: `media`, `mark`, `clear` (or only `options.event`).
 * @public
 */
export function serverStreamMessage<E extends ServerStreamEvent = ServerStreamEvent>(
  options: MediaMessageArbitraryOptions<E> = {},
): fc.Arbitrary<Extract<ServerStreamMessage, { event: E }>> {
  const all = serverMessages(streamSidOf(options));
  return (options.event === undefined ? fc.oneof(...Object.values(all)) : all[options.event]) as fc.Arbitrary<
    Extract<ServerStreamMessage, { event: E }>
  >;
}

// ---------------------------------------------------------------------------------------------
// Breaks

/** A broken value for one field, its path relative to the field. */
type FieldBreak = InvalidSample<unknown>;
const at =
  (reason: string) =>
  (value: unknown): FieldBreak => ({ value, reason, path: "" });

/** Breaks of a decimal-string counter. */
function counterBreaks(name: Counter): fc.Arbitrary<FieldBreak> {
  const positive = fc.integer({ min: 1, max: 99_999 });
  return fc.oneof(
    positive.map(at("a JSON number, not a decimal string")),
    positive.map((n) => `0${n}`).map(at("leading zero")),
    positive.map((n) => `-${n}`).map(at("negative")),
    positive.map((n) => ` ${n}`).map(at("leading space")),
    positive.map((n) => `${n}.0`).map(at("not an integer")),
    fc.constant("1".repeat(16)).map(at("more than 15 digits")),
    fc.constant("").map(at("empty")),
    ...(name === "timestamp" ? [] : [fc.constant("0").map(at("zero (counters start at 1)"))]),
  );
}

/** Each breakable field of each message: its JSON Pointer and how to break it. */
type Breaks = Readonly<Record<string, fc.Arbitrary<FieldBreak>>>;

const sidBreak = (kind: "account" | "call" | "stream") => invalidSid(kind) as fc.Arbitrary<FieldBreak>;
const payloadBreak = invalidMulawPayload() as fc.Arbitrary<FieldBreak>;

const TWILIO_BREAKS: Readonly<Record<TwilioStreamEvent, Breaks>> = {
  connected: {
    "/protocol": fc.constant(1).map(at("a number, not a string")),
  },
  start: {
    "/sequenceNumber": counterBreaks("sequenceNumber"),
    "/streamSid": sidBreak("stream"),
    "/start/accountSid": sidBreak("account"),
    "/start/callSid": sidBreak("call"),
    "/start/tracks": fc.oneof(
      fc.constant(["inbound_track"]).map((value) => ({ value, reason: "the CreateStream Track value, not a media track", path: "/0" })),
      fc.constant([]).map(at("no track")),
      fc.constant(["inbound", "inbound"]).map(at("a track twice")),
      fc.constant("inbound").map(at("a string, not a list")),
    ),
    "/start/mediaFormat/encoding": fc.constantFrom("audio/l16", "audio/x-alaw", "audio/mulaw").map(at("not audio/x-mulaw")),
    "/start/mediaFormat/sampleRate": fc.constantFrom(16000, "8000").map(at("not the number 8000")),
    "/start/mediaFormat/channels": fc.constantFrom(2, "1").map(at("not the number 1")),
    "/start/customParameters": fc.constant({ n: 1 }).map((value) => ({ value, reason: "a value that is not a string", path: "/n" })),
  },
  media: {
    "/sequenceNumber": counterBreaks("sequenceNumber"),
    "/streamSid": sidBreak("stream"),
    "/media/track": fc.constantFrom("inbound_track", "outbound_track", "both", "Inbound").map(at("not inbound or outbound")),
    "/media/chunk": counterBreaks("chunk"),
    "/media/timestamp": counterBreaks("timestamp"),
    "/media/payload": payloadBreak,
  },
  dtmf: {
    "/sequenceNumber": counterBreaks("sequenceNumber"),
    "/dtmf/track": fc.constantFrom("inbound", "outbound_track").map(at("not inbound_track")),
    "/dtmf/digit": fc.constantFrom("10", "", "E", "a", " 1", 1).map(at("not one key")),
  },
  mark: {
    "/sequenceNumber": counterBreaks("sequenceNumber"),
    "/mark/name": fc.constantFrom(1, null).map(at("not a string")),
  },
  stop: {
    "/sequenceNumber": counterBreaks("sequenceNumber"),
    "/stop/accountSid": sidBreak("account"),
    "/stop/callSid": sidBreak("call"),
  },
};

const SERVER_BREAKS: Readonly<Record<ServerStreamEvent, Breaks>> = {
  media: { "/streamSid": sidBreak("stream"), "/media/payload": payloadBreak },
  mark: { "/streamSid": sidBreak("stream"), "/mark/name": fc.constantFrom(1, null).map(at("not a string")) },
  clear: { "/streamSid": sidBreak("stream") },
};

/** Fields a server must not send (Twilio error 31951 "extra field"), per event. */
const SERVER_EXTRA_FIELDS: Readonly<Record<ServerStreamEvent, readonly [string, unknown][]>> = {
  media: [
    ["/sequenceNumber", "1"],
    ["/media/track", "outbound"],
    ["/media/chunk", "1"],
  ],
  mark: [
    ["/sequenceNumber", "1"],
    ["/mark/label", "x"],
  ],
  clear: [
    ["/media", { payload: "/w==" }],
    ["/sequenceNumber", "1"],
  ],
};

/** `value` with the field at `pointer` set to `field`, or removed; the objects on the way copied. */
function withField(value: object, pointer: string, field: unknown, remove = false): Record<string, unknown> {
  const [first, ...rest] = pointer.slice(1).split("/") as [string, ...string[]];
  const copy: Record<string, unknown> = { ...value };
  if (rest.length > 0) copy[first] = withField(copy[first] as object, `/${rest.join("/")}`, field, remove);
  else if (remove) delete copy[first];
  else copy[first] = field;
  return copy;
}

/** A message broken at one of `breaks`' fields, or by a missing required field. */
function brokenMessage(
  message: fc.Arbitrary<object>,
  breaks: Breaks,
  required: readonly string[],
): fc.Arbitrary<InvalidSample<Record<string, unknown>>> {
  const fieldBreaks = Object.entries(breaks).map(([pointer, arb]) => arb.map((b) => [pointer, b] as const));
  const missing = required.filter((field) => field !== "event").map((field) => `/${pointerToken(field)}`);
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(message, fc.oneof(...fieldBreaks))
        .map(([m, [pointer, b]]) => nestSample(pointer, { value: withField(m, pointer, b.value), reason: b.reason, path: b.path })),
    },
    ...(missing.length === 0
      ? []
      : [
          {
            weight: 1,
            arbitrary: fc.tuple(message, fc.constantFrom(...missing)).map(([m, pointer]) => ({
              value: withField(m, pointer, undefined, true),
              reason: `missing ${pointer.slice(1)}`,
              path: pointer,
            })),
          },
        ]),
  );
}

/** Events that are not `events`, as a message would carry them. */
function wrongEvent(message: fc.Arbitrary<object>, events: readonly string[]): fc.Arbitrary<InvalidSample<Record<string, unknown>>> {
  const others = ["Media", "MEDIA", "clear", "dtmf", "start", "closed", "", "media "].filter((e) => !events.includes(e));
  return fc
    .tuple(message, fc.constantFrom(...others))
    .map(([m, event]) => ({ value: { ...m, event }, reason: "an event of the other direction or none at all", path: "/event" }));
}

/**
 * Twilio messages broken in one place, with the reason and the JSON Pointer of the field:
 * a counter as a number or with a leading zero, `inbound_track` on media or `inbound` on dtmf,
 * a WAV file as payload, another encoding or sample rate, a malformed SID, a missing field, an
 * unknown event.
 * @public
 */
export function invalidTwilioStreamMessage(
  options: { readonly event?: TwilioStreamEvent } = {},
): fc.Arbitrary<InvalidSample<Record<string, unknown>>> {
  const events = options.event === undefined ? (Object.keys(TWILIO_EVENTS) as TwilioStreamEvent[]) : [options.event];
  const all = twilioMessages(sid("stream"));
  return fc.oneof(
    ...events.map((event) => brokenMessage(all[event], TWILIO_BREAKS[event], TWILIO_EVENTS[event])),
    wrongEvent(fc.oneof(...events.map((event) => all[event] as fc.Arbitrary<object>)), Object.keys(TWILIO_EVENTS)),
  );
}

/**
 * Server messages broken in one place: a malformed SID, a WAV file or other non-μ-law payload,
 * an extra field (Twilio refuses them, error 31951), a missing field, an unknown event.
 * @public
 */
export function invalidServerStreamMessage(
  options: { readonly event?: ServerStreamEvent } = {},
): fc.Arbitrary<InvalidSample<Record<string, unknown>>> {
  const events = options.event === undefined ? (Object.keys(SERVER_EVENTS) as ServerStreamEvent[]) : [options.event];
  const all = serverMessages(sid("stream"));
  return fc.oneof(
    ...events.map((event) => brokenMessage(all[event], SERVER_BREAKS[event], SERVER_EVENTS[event])),
    ...events.map((event) =>
      fc
        .tuple(all[event] as fc.Arbitrary<object>, fc.constantFrom(...SERVER_EXTRA_FIELDS[event]))
        .map(([m, [pointer, field]]) => ({ value: withField(m, pointer, field), reason: "an extra field", path: pointer })),
    ),
    wrongEvent(fc.oneof(...events.map((event) => all[event] as fc.Arbitrary<object>)), Object.keys(SERVER_EVENTS)),
  );
}
