/**
 * twilio-stream-contract/arbitraries — fast-check generators of the Stream contract, derived
 * from schemas/. Valid generators yield values every validator accepts; `invalid…` generators
 * yield an {@link InvalidSample}: the value, why it is invalid, and the JSON Pointer of the
 * error a validator reports. fast-check is a peer dependency: only this entry loads it.
 */
export type { InvalidSample } from "./invalid-sample.js";
export { invalidSid, sid, type SidKind } from "./sid.js";
export { invalidStreamStatus, invalidUpdateStatus, streamStatus, updateStatus } from "./status.js";
export { invalidTrack, track } from "./track.js";
export { invalidStatusCallbackMethod, statusCallbackMethod } from "./http-method.js";
export {
  type InvalidRfc2822DateTimeOptions,
  invalidRfc2822DateTime,
  rfc2822DateTime,
  type Rfc2822DateTimeOptions,
  rfc2822DateTimeWithInstant,
  type Rfc2822Sample,
  type Rfc2822Syntax,
} from "./rfc2822.js";
export { callbackUrl, invalidCallbackUrl, invalidMediaStreamUrl, mediaStreamUrl } from "./url.js";
export { invalidStream, stream, streamName, type StreamOptions } from "./stream.js";
export {
  createStreamRequest,
  type CreateStreamRequestOptions,
  type CreateStreamRequestSample,
  type FormBody,
  formEncode,
  invalidCreateStreamRequest,
  invalidUpdateStreamRequest,
  type RequestSample,
  updateStreamRequest,
  type UpdateStreamRequestOptions,
  type UpdateStreamRequestSample,
} from "./requests.js";
export {
  invalidIso8601DateTime,
  invalidStreamStatusCallback,
  iso8601DateTime,
  streamStatusCallback,
  type StreamStatusCallbackOptions,
} from "./status-callback.js";
export { invalidMulawPayload, mulawAudio, type MulawAudioOptions, mulawPayload } from "./mulaw.js";
export {
  invalidServerStreamMessage,
  invalidTwilioStreamMessage,
  type MediaMessageArbitraryOptions,
  type ServerStreamEvent,
  serverStreamMessage,
  type TwilioStreamEvent,
  twilioStreamMessage,
} from "./media-message.js";
export {
  type BrokenMediaSession,
  brokenMediaSession,
  mediaSession,
  type MediaSessionArbitraryOptions,
  type MediaSessionSample,
} from "./media-session.js";
