/**
 * Builds the messages Twilio sends on one Media Stream, in order, keeping the session's counters
 * (sequenceNumber, chunk, timestamp) as src/validators/media-session.ts checks them. The mock
 * streams what it builds; the Pact message contract is verified against it; the arbitraries
 * generate sessions with it.
 *
 * Decisions where Twilio's documentation is silent (docs/media-streams.md):
 * - `chunk` counts media messages of the whole stream (option `chunkCounter: "per-track"` counts
 *   per track); Twilio's example shows outbound chunk "1" then inbound chunk "2".
 * - a track's first timestamp is `firstTimestamp` (default 0) and each media message advances its
 *   track's clock by the audio it carries: 8 bytes of μ-law per millisecond (20 ms = 160 bytes).
 */
import twilioMessage from "../../schemas/twilio-media-message.schema.json" with { type: "json" };
import type {
  MediaFormat,
  MediaTrack,
  TwilioConnectedMessage,
  TwilioDtmfMessage,
  TwilioMarkMessage,
  TwilioMediaMessage,
  TwilioStartMessage,
  TwilioStopMessage,
} from "../validators/generated/types.js";
import { customParametersOf, startTracksOf } from "../validators/media-stream-start.js";
import type { MediaSessionRequest } from "../validators/media-session.js";

const messages = twilioMessage.$defs;
const mediaFormat = messages.start.properties.start.properties.mediaFormat.properties;

/** `start.mediaFormat`: the constants the schema fixes for its three fields. */
export const MEDIA_FORMAT: Readonly<MediaFormat> = {
  encoding: mediaFormat.encoding.const as MediaFormat["encoding"],
  sampleRate: mediaFormat.sampleRate.const as MediaFormat["sampleRate"],
  channels: mediaFormat.channels.const as MediaFormat["channels"],
};

/** `dtmf.track`: the constant the schema fixes. */
export const DTMF_TRACK = messages.dtmf.properties.dtmf.properties.track.const as TwilioDtmfMessage["dtmf"]["track"];

/** μ-law at 8000 Hz, one byte a sample: bytes per millisecond. */
export const MULAW_BYTES_PER_MS = 8;

/** The frame Twilio is reported to send (20 ms, 160 bytes; third-party sources, docs/media-streams.md). */
export const FRAME_MS = 20;

/**
 * Audio ready for `media` messages: its bytes and their base64, encoded once (see
 * {@link encodeAudio}) and sent as often as needed — every silence frame of a call is the same,
 * and a clip or an utterance is cut into frames once.
 */
export interface EncodedAudio {
  readonly bytes: Uint8Array;
  /** `media.payload`: base64 of `bytes`. */
  readonly payload: string;
}

/** An empty payload is not valid (format mulaw-base64): a bug of the caller, not a session. */
const NO_AUDIO = "a media message carries at least one byte of audio";

/** Encodes `bytes` (raw μ-law, at least one byte) for {@link MediaMessageProducer.mediaFrame}. */
export function encodeAudio(bytes: Uint8Array): EncodedAudio {
  if (bytes.length === 0) throw new RangeError(NO_AUDIO);
  return { bytes, payload: base64(bytes) };
}

/** A `media` message ready to go: its JSON text, and its counters and audio (what a wire trace keeps of it). */
export class MediaFrame {
  constructor(
    readonly text: string,
    readonly track: MediaTrack,
    readonly audio: EncodedAudio,
    readonly sequence: number,
    readonly chunk: number,
    readonly timestamp: number,
  ) {}
}

/** What a session is about. */
export interface MediaSessionIdentity {
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid: string;
}

/** Options of a {@link MediaMessageProducer}. */
export interface MediaMessageProducerOptions extends MediaSessionIdentity {
  /** `start.tracks`; default `["inbound"]`. */
  readonly tracks?: readonly MediaTrack[];
  /** `start.customParameters`; default none. */
  readonly customParameters?: Readonly<Record<string, string>>;
  /** How `chunk` counts: one counter for the stream (default) or one per track. */
  readonly chunkCounter?: "per-stream" | "per-track";
  /** The timestamp (ms) of each track's first media message; default 0. */
  readonly firstTimestamp?: number;
  /** `connected.protocol` and `connected.version`; default `Call`, `1.0.0` (Twilio's example). */
  readonly protocol?: string;
  readonly version?: string;
}

/**
 * The messages of one Media Stream, built in the order they are sent: `connected()`, `start()`,
 * then `media()` / `dtmf()` / `mark()` as they happen, and `stop()`. Each call advances the
 * counters; a producer is one session.
 */
export class MediaMessageProducer {
  private sequence = 0;
  private chunk = 0;
  private readonly trackChunk = new Map<MediaTrack, number>();
  private readonly clock = new Map<MediaTrack, number>();
  /** The text between a media message's sequenceNumber and its track (mediaFrame's template). */
  private readonly afterSequence: string;

  constructor(readonly options: MediaMessageProducerOptions) {
    this.afterSequence = `","streamSid":${JSON.stringify(options.streamSid)},"media":{"track":`;
  }

  /**
   * A producer for the stream a CreateStream request opens: tracks from `Track`, custom parameters
   * from `ParameterN`, SIDs from the path unless `identity` gives them.
   */
  static fromCreateStream(
    request: MediaSessionRequest,
    identity: Partial<MediaSessionIdentity> & { readonly streamSid: string },
    options: Omit<MediaMessageProducerOptions, keyof MediaSessionIdentity | "tracks" | "customParameters"> = {},
  ): MediaMessageProducer {
    const accountSid = identity.accountSid ?? request.path?.AccountSid;
    const callSid = identity.callSid ?? request.path?.CallSid;
    if (accountSid === undefined || callSid === undefined)
      throw new TypeError("fromCreateStream needs the AccountSid and CallSid (request.path or identity)");
    return new MediaMessageProducer({
      ...options,
      accountSid,
      callSid,
      streamSid: identity.streamSid,
      tracks: startTracksOf(request.body.Track),
      customParameters: customParametersOf(request.body),
    });
  }

  /** The tracks this stream carries. */
  get tracks(): readonly MediaTrack[] {
    return this.options.tracks ?? ["inbound"];
  }

  private next(): string {
    this.sequence += 1;
    return String(this.sequence);
  }

  /** The first message: no sequenceNumber, no streamSid. */
  connected(): TwilioConnectedMessage {
    return { event: "connected", protocol: this.options.protocol ?? "Call", version: this.options.version ?? "1.0.0" };
  }

  /** The stream's metadata, sequenceNumber "1". */
  start(): TwilioStartMessage {
    const { accountSid, callSid, streamSid } = this.options;
    const tracks = [...this.tracks] as TwilioStartMessage["start"]["tracks"];
    return {
      event: "start",
      sequenceNumber: this.next(),
      streamSid,
      start: {
        accountSid,
        streamSid,
        callSid,
        tracks,
        customParameters: { ...this.options.customParameters },
        mediaFormat: { ...MEDIA_FORMAT },
      },
    };
  }

  /**
   * A media message of `track` carrying `audio` (raw μ-law bytes). Its timestamp is the track's
   * clock unless `timestamp` (ms) is given; the clock then advances by the audio's duration.
   */
  media(track: MediaTrack, audio: Uint8Array, timestamp?: number): TwilioMediaMessage {
    const { sequence, chunk, timestamp: at } = this.stamp(track, audio.length, timestamp);
    return mediaMessage(this.options.streamSid, track, sequence, chunk, at, base64(audio));
  }

  /**
   * `media(track, audio.bytes, timestamp)` ready to go: its JSON text — the same characters
   * `JSON.stringify` gives —, built from a template with the payload encoded beforehand (what a
   * real-time sender sends every 20 ms, per call, without building an object and its base64
   * anew), with its counters and audio for a wire trace.
   */
  mediaFrame(track: MediaTrack, audio: EncodedAudio, timestamp?: number): MediaFrame {
    const { sequence, chunk, timestamp: at } = this.stamp(track, audio.bytes.length, timestamp);
    const text = `{"event":"media","sequenceNumber":"${sequence}${this.afterSequence}${JSON.stringify(track)},"chunk":"${chunk}","timestamp":"${at}","payload":"${audio.payload}"}}`;
    return new MediaFrame(text, track, audio, sequence, chunk, at);
  }

  /** Advances the counters for a media message of `bytes` on `track`; returns its counters. */
  private stamp(track: MediaTrack, bytes: number, timestamp: number | undefined): { sequence: number; chunk: number; timestamp: number } {
    if (bytes === 0) throw new RangeError(NO_AUDIO);
    const at = timestamp ?? this.clock.get(track) ?? this.options.firstTimestamp ?? 0;
    this.clock.set(track, at + Math.floor(bytes / MULAW_BYTES_PER_MS));
    let chunk: number;
    if (this.options.chunkCounter === "per-track") {
      chunk = (this.trackChunk.get(track) ?? 0) + 1;
      this.trackChunk.set(track, chunk);
    } else {
      chunk = this.chunk += 1;
    }
    this.sequence += 1;
    return { sequence: this.sequence, chunk, timestamp: at };
  }

  /** A touch-tone key on the inbound track (bidirectional streams). */
  dtmf(digit: string): TwilioDtmfMessage {
    return { event: "dtmf", streamSid: this.options.streamSid, sequenceNumber: this.next(), dtmf: { track: DTMF_TRACK, digit } };
  }

  /** The echo of a server's mark (bidirectional streams). */
  mark(name: string): TwilioMarkMessage {
    return { event: "mark", sequenceNumber: this.next(), streamSid: this.options.streamSid, mark: { name } };
  }

  /** The last message. */
  stop(): TwilioStopMessage {
    const { accountSid, callSid, streamSid } = this.options;
    return { event: "stop", sequenceNumber: this.next(), streamSid, stop: { accountSid, callSid } };
  }
}

/** A media message of the stream `streamSid` with its counters and payload (base64). */
export function mediaMessage(
  streamSid: string,
  track: MediaTrack,
  sequence: number,
  chunk: number,
  timestamp: number,
  payload: string,
): TwilioMediaMessage {
  return {
    event: "media",
    sequenceNumber: String(sequence),
    streamSid,
    media: { track, chunk: String(chunk), timestamp: String(timestamp), payload },
  };
}

/** Base64 of bytes, in Node and in browsers. */
function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}
