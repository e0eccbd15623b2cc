/**
 * twilio-stream-contract/mock — stand-ins for `https://api.twilio.com` on 127.0.0.1: the contract
 * mock (strict about the client) and the reference provider (a conformant server). Both run the
 * same rule engine; nock interceptors with the same rules are in twilio-stream-contract/nock.
 */
export { MOCK_ENDPOINTS, type MockServer, type MockServerOptions, startMockServer } from "./server.js";
export {
  PROVIDER_STATE,
  PROVIDER_STATES_PATH,
  type ReferenceProvider,
  type ReferenceProviderOptions,
  startReferenceProvider,
} from "../provider/index.js";
export type { ClientIssue, RecordedRequest } from "../engine/journal.js";
export type { IssueKind, RequestIssues } from "../engine/engine.js";
export type { MediaStreamingOptions } from "../dialer/dialer.js";
export type { MediaPace, MediaSessionRecord, MediaSessionState, MediaIssue } from "../dialer/session.js";
export type { MediaStreamErrorCode } from "../dialer/stream-errors.js";
export type { StatusCallbackTarget, StreamEventListener, StreamLifecycleEvent } from "../engine/stream-events.js";
export type { CallbackDelivery, CallbackSenderOptions, DeliveryOutcome } from "../status-callbacks/sender.js";
