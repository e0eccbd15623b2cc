/**
 * twilio-stream-contract — the production entry: validators, types and errors for Twilio's
 * CreateStream / UpdateStream API. It loads no schema compiler, fast-check, Pact or nock.
 */
export type {
  CreateStreamRequest,
  MediaTrack,
  ServerClearMessage,
  ServerMarkMessage,
  ServerMediaMessage,
  ServerStreamMessage,
  Stream,
  StreamStatus,
  StatusCallbackMethod,
  StreamEvent,
  StreamStatusCallback,
  Track,
  TwilioConnectedMessage,
  TwilioDtmfMessage,
  TwilioError,
  TwilioMarkMessage,
  TwilioMediaMessage,
  TwilioStartMessage,
  TwilioStopMessage,
  TwilioStreamMessage,
  UpdateStreamRequest,
} from "./validators/generated/types.js";
export { type ContractIssue, ContractViolationError, type ValidationResult } from "./validators/issue.js";
export type { FormInput } from "./validators/form.js";
export type { PathInput, RequestInput, RequestValidator } from "./validators/request.js";
export { assertStream, isStream, validateStream } from "./validators/stream.js";
export {
  assertCreateStreamRequest,
  type CreateStreamRequestInput,
  isCreateStreamRequest,
  validateCreateStreamRequest,
} from "./validators/create-stream-request.js";
export {
  assertUpdateStreamRequest,
  isUpdateStreamRequest,
  type UpdateStreamRequestInput,
  validateUpdateStreamRequest,
} from "./validators/update-stream-request.js";
export { assertStreamStatusCallback, isStreamStatusCallback, validateStreamStatusCallback } from "./validators/stream-status-callback.js";
export { assertTwilioError, isTwilioError, validateTwilioError } from "./validators/twilio-error.js";
export { isAccountSid, isCallSid, isStreamSid } from "./validators/sid.js";
export {
  DAY_NAMES,
  formatRfc2822DateTime,
  isRfc2822DateTime,
  MONTH_NAMES,
  parseRfc2822DateTime,
  type Rfc2822Options,
} from "./validators/formats/rfc2822.js";
export { addStreamFormats, type FormatRegistry, type StreamFormatName } from "./validators/formats/index.js";
export {
  isValidTwilioSignature,
  signTwilioRequest,
  TWILIO_SIGNATURE_HEADER,
  TWILIO_SIGNATURE_SETTINGS_HEADER,
  twilioBodyHash,
  type TwilioSignatureAlgorithm,
  type TwilioSignatureCheck,
  twilioSignatureAlgorithm,
  type TwilioSignedParams,
} from "./signature/twilio-signature.js";
export {
  type TwilioWebhookOptions,
  type TwilioWebhookRefusal,
  type TwilioWebhookRequest,
  type TwilioWebhookVerdict,
  twilioRequestUrl,
  verifyTwilioWebhook,
} from "./signature/verify-webhook.js";
export {
  isServerStreamMessage,
  isTwilioStreamMessage,
  type MediaMessageOptions,
  type MediaMessageSender,
  validateMediaMessage,
  validateServerClearMessage,
  validateServerMarkMessage,
  validateServerMediaMessage,
  validateServerStreamMessage,
  validateTwilioConnectedMessage,
  validateTwilioDtmfMessage,
  validateTwilioMarkMessage,
  validateTwilioMediaMessage,
  validateTwilioStartMessage,
  validateTwilioStopMessage,
  validateTwilioStreamMessage,
} from "./validators/media-message.js";
export { audioFileHeaderOf, isMulawBase64 } from "./validators/formats/mulaw-base64.js";
export {
  type ChunkCounter,
  checkMediaSession,
  type MediaSessionOptions,
  type MediaSessionRequest,
  type MediaSessionResult,
  type MediaSessionRule,
  type MediaSessionIssue,
} from "./validators/media-session.js";
export { customParametersOf, startTracksOf } from "./validators/media-stream-start.js";
