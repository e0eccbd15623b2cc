/**
 * The Pact V4 message contract of Media Streams, as data: the WebSocket server (consumer) expects
 * each message from the Twilio media stream (provider). tests/pact/media-contract.test.ts writes
 * it to contracts/ and verifies it against the message producer (src/media/producer.ts).
 *
 * The example of every message is what the producer builds for the interaction's provider state;
 * the matchers around it are derived from the schemas (src/contract/matchers.ts). What the state
 * fixes — start's tracks and custom parameters, the track of a media message, a mark's name — is
 * matched exactly; counters and SIDs by their patterns.
 */
import common from "../../schemas/common.schema.json" with { type: "json" };
import { MediaMessageProducer } from "../media/producer.js";
import type { MediaTrack, Track, TwilioStreamMessage } from "../validators/generated/types.js";
import { anyString, isMatcher, match, mediaMatch, type Template } from "./matchers.js";

/** Consumer name: your WebSocket server. */
export const MEDIA_CONSUMER = "media-stream-server";
/** Provider name: the Twilio media stream that dials it. */
export const MEDIA_PROVIDER = "twilio-media-stream";
/** The pact file pact-js writes (`<consumer>-<provider>.json`). */
export const MEDIA_PACT_FILE = `${MEDIA_CONSUMER}-${MEDIA_PROVIDER}.json`;

/** The provider states of the message contract. */
const MEDIA_STATE = {
  /** A stream CreateStream opened; params: the CreateStream form body (Url, Track, ParameterN…). */
  created: "a stream created by CreateStream",
  /** A bidirectional `<Connect><Stream>`; params: `mark`, the name of a mark the server sent. */
  bidirectional: "a bidirectional stream to which the server sent a mark",
} as const;

/** A provider state with its params (strings, as Pact carries them). */
export interface MediaProviderState {
  readonly name: (typeof MEDIA_STATE)[keyof typeof MEDIA_STATE];
  readonly params: Readonly<Record<string, string>>;
}

/** One message interaction: which message of the state's session it is, and its template. */
export interface MediaInteraction {
  readonly description: string;
  readonly state: MediaProviderState;
  readonly event: TwilioStreamMessage["event"];
  /** For `media`: the track. */
  readonly track?: MediaTrack;
  readonly content: Template;
  /**
   * The JSON paths of the regex matchers of `content` (`$.media.chunk` …), each with its example.
   * The Pact verifier tests a regex against the text of a number too, so `"chunk": 1` would pass
   * `^[1-9][0-9]{0,14}$`: a `type` rule on the same path (Pact combines a path's rules with AND)
   * also asks for a string.
   */
  readonly stringPaths: readonly { readonly path: string; readonly example: string }[];
}

/** The example SIDs (the schemas' own examples). */
const MEDIA_EXAMPLE = {
  accountSid: common.$defs.accountSid.examples[0]!,
  callSid: common.$defs.callSid.examples[0]!,
  streamSid: common.$defs.streamSid.examples[0]!,
  /** 20 ms of μ-law silence (0xFF), the frame the producer sends for the contract. */
  frame: new Uint8Array(160).fill(0xff),
} as const;

type Identity = { readonly accountSid: string; readonly callSid: string; readonly streamSid: string };

/**
 * The whole session of a provider state, as the producer builds it: connected, start, one media
 * message per track, dtmf and the mark echo on a bidirectional stream, stop. The provider of the
 * tests answers each interaction with the matching message of this session.
 */
export function mediaSessionFor(state: MediaProviderState, identity: Identity = MEDIA_EXAMPLE, frame: Uint8Array = MEDIA_EXAMPLE.frame): TwilioStreamMessage[] {
  const bidirectional = state.name === MEDIA_STATE.bidirectional;
  const producer = bidirectional
    ? new MediaMessageProducer({ ...identity, tracks: ["inbound"] })
    : MediaMessageProducer.fromCreateStream({ body: state.params as Record<string, string> & { Track?: Track } }, identity);
  const messages: TwilioStreamMessage[] = [producer.connected(), producer.start()];
  for (const track of producer.tracks) messages.push(producer.media(track, frame));
  if (bidirectional) messages.push(producer.dtmf("1"), producer.mark(state.params.mark ?? ""));
  messages.push(producer.stop());
  return messages;
}

/** The message of `session` an interaction stands for. */
export function messageOf(session: readonly TwilioStreamMessage[], interaction: Pick<MediaInteraction, "event" | "track">): TwilioStreamMessage | undefined {
  return session.find((m) => m.event === interaction.event && (m.event !== "media" || m.media.track === interaction.track));
}

/** The template of a message: its example values, with the schema's matchers on what may vary. */
function templateOf(message: TwilioStreamMessage): Template {
  switch (message.event) {
    case "connected":
      return { event: "connected", protocol: anyString(message.protocol), version: anyString(message.version) };
    case "start": {
      const { start } = message;
      return {
        event: "start",
        // The session rule: start is always "1".
        sequenceNumber: message.sequenceNumber,
        streamSid: match.streamSid(message.streamSid),
        start: {
          streamSid: match.streamSid(start.streamSid),
          accountSid: match.accountSid(start.accountSid),
          callSid: match.callSid(start.callSid),
          tracks: [...start.tracks],
          customParameters: { ...start.customParameters } as Record<string, string>,
          mediaFormat: { ...start.mediaFormat },
        },
      };
    }
    case "media":
      return {
        event: "media",
        sequenceNumber: mediaMatch.sequenceNumber(message.sequenceNumber),
        streamSid: match.streamSid(message.streamSid),
        media: {
          track: message.media.track,
          chunk: mediaMatch.chunk(message.media.chunk),
          timestamp: mediaMatch.timestamp(message.media.timestamp),
          payload: mediaMatch.payload(message.media.payload),
        },
      };
    case "dtmf":
      return {
        event: "dtmf",
        sequenceNumber: mediaMatch.sequenceNumber(message.sequenceNumber),
        streamSid: match.streamSid(message.streamSid),
        dtmf: { track: message.dtmf.track, digit: mediaMatch.dtmfDigit(message.dtmf.digit) },
      };
    case "mark":
      return { event: "mark", sequenceNumber: mediaMatch.sequenceNumber(message.sequenceNumber), streamSid: match.streamSid(message.streamSid), mark: { name: message.mark.name } };
    case "stop":
      return {
        event: "stop",
        sequenceNumber: mediaMatch.sequenceNumber(message.sequenceNumber),
        streamSid: match.streamSid(message.streamSid),
        stop: { accountSid: match.accountSid(message.stop.accountSid), callSid: match.callSid(message.stop.callSid) },
      };
  }
}

const BOTH_TRACKS: MediaProviderState = {
  name: MEDIA_STATE.created,
  params: { Url: common.$defs.mediaStreamUrl.examples[0]!, Track: "both_tracks", "Parameter1.Name": "customer", "Parameter1.Value": "alice", "Parameter2.Name": "language", "Parameter2.Value": "en" },
};
const URL_ONLY: MediaProviderState = { name: MEDIA_STATE.created, params: { Url: common.$defs.mediaStreamUrl.examples[0]! } };
const BIDIRECTIONAL: MediaProviderState = { name: MEDIA_STATE.bidirectional, params: { mark: "greeting" } };

/** Each interaction: description, state, which message of the state's session. */
const PLAN: readonly Omit<MediaInteraction, "content" | "stringPaths">[] = [
  { description: "the connected message", state: URL_ONLY, event: "connected" },
  { description: "the start message of a stream created with only a Url", state: URL_ONLY, event: "start" },
  { description: "the start message of a stream created with Track both_tracks and two parameters", state: BOTH_TRACKS, event: "start" },
  { description: "a media message of the inbound track", state: BOTH_TRACKS, event: "media", track: "inbound" },
  { description: "a media message of the outbound track", state: BOTH_TRACKS, event: "media", track: "outbound" },
  { description: "a dtmf message on a bidirectional stream", state: BIDIRECTIONAL, event: "dtmf" },
  { description: "the echo of the server's mark on a bidirectional stream", state: BIDIRECTIONAL, event: "mark" },
  { description: "the stop message", state: URL_ONLY, event: "stop" },
];

/** The JSON path of every regex matcher of `template`, with its example. */
function regexPaths(template: Template, path = "$"): MediaInteraction["stringPaths"] {
  if (template === null || typeof template !== "object") return [];
  if (isMatcher(template)) return template["pact:matcher:type"] === "regex" ? [{ path, example: String(template.value) }] : [];
  if (Array.isArray(template)) return [];
  return Object.entries(template as Record<string, Template>).flatMap(([key, value]) => regexPaths(value, `${path}.${key}`));
}

/** Every interaction of the message contract, in the order they are written. */
export const MEDIA_INTERACTIONS: readonly MediaInteraction[] = PLAN.map((plan) => {
  const message = messageOf(mediaSessionFor(plan.state), plan);
  if (message === undefined) throw new Error(`the session of "${plan.state.name}" has no ${plan.event} message`);
  const content = templateOf(message);
  return { ...plan, content, stringPaths: regexPaths(content) };
});
