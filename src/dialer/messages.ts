/**
 * TEMPORARY until the media-schemas producer is merged: the messages Twilio sends on one stream,
 * with their counters.
 */
import { FRAME_MS } from "./audio.js";

export type MediaTrack = "inbound" | "outbound";

export interface StreamIdentity {
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid: string;
  readonly tracks: readonly MediaTrack[];
  readonly customParameters: Readonly<Record<string, string>>;
}

export function createMessageProducer(stream: StreamIdentity) {
  let sequence = 0;
  let chunk = 0;
  const framesByTrack: Record<MediaTrack, number> = { inbound: 0, outbound: 0 };
  const { streamSid, accountSid, callSid } = stream;
  return {
    connected: () => ({ event: "connected", protocol: "Call", version: "1.0.0" }),
    start: () => ({
      event: "start",
      sequenceNumber: String(++sequence),
      start: { accountSid, streamSid, callSid, tracks: [...stream.tracks], customParameters: { ...stream.customParameters }, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } },
      streamSid,
    }),
    media: (track: MediaTrack, payload: Uint8Array) => ({
      event: "media",
      sequenceNumber: String(++sequence),
      media: { track, chunk: String(++chunk), timestamp: String(framesByTrack[track]++ * FRAME_MS), payload: Buffer.from(payload).toString("base64") },
      streamSid,
    }),
    stop: () => ({ event: "stop", sequenceNumber: String(++sequence), stop: { accountSid, callSid }, streamSid }),
  };
}
