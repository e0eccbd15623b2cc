/**
 * What happens to a Stream, as the engine tells its listener: it started (CreateStream), it
 * stopped (UpdateStream by SID or name, or its call ended) or it failed (a transport reports
 * that its WebSocket could not be opened or broke). Status callbacks are sent from these; a
 * Media Streams transport can dial the Stream's `Url` on `stream-started`.
 */
import type { StatusCallbackMethod, StreamEvent } from "../validators/generated/types.js";

/** Where and how a Stream's status callbacks go, and the key they are signed with. */
export interface StatusCallbackTarget {
  /** The CreateStream's `StatusCallback`. */
  readonly url: string;
  /** Its `StatusCallbackMethod` (Twilio's default: POST). */
  readonly method: StatusCallbackMethod;
  /**
   * The account's auth token: the reference provider's own; the mock's `authToken` option when
   * given, else the password of the CreateStream's Basic credentials (when their user is an API
   * key, see `apiKeySid`). Never printed or recorded.
   */
  readonly authToken: string;
  /** Set when `authToken` is this API key's secret, not the account's token (see unknownAccountToken). */
  readonly apiKeySid?: string;
}

/** What the CreateStream asked for, as a Media Streams transport needs it (Track, ParameterN …). */
export interface CreateStreamInfo {
  /** The validated CreateStream body. */
  readonly body: Readonly<Record<string, string>>;
  /** The account's auth token, as for status callbacks: the upgrade's signing key. Never printed. */
  readonly authToken: string;
  /** Set when `authToken` is this API key's secret, not the account's token (see unknownAccountToken). */
  readonly apiKeySid?: string;
}

/**
 * Why what the mock signed for a Stream created with API-key credentials, when it was given no
 * auth token, is refused: Twilio signs status callbacks and WebSocket upgrades with the account's
 * auth token, never with an API key's secret. What it signs with the key's secret is still sent (a
 * receiver that checks no signature gets it), but a refusal is the mock's configuration problem,
 * not the receiver's or server's fault.
 */
export function unknownAccountToken(apiKeySid: string): string {
  return `signed with API key ${apiKeySid}'s secret: Twilio signs with the account's auth token, not given (--auth-token or TWILIO_AUTH_TOKEN)`;
}

/** One event in a Stream's life. @public */
export interface StreamLifecycleEvent {
  readonly event: StreamEvent;
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid: string;
  /** The Stream's `Name`, or null when it has none (the callback then sends the StreamSid). */
  readonly streamName: string | null;
  /** The Stream's media `Url` (wss://…), when the engine saw the CreateStream. */
  readonly mediaUrl: string | undefined;
  /** With `stream-started`, when the engine saw the CreateStream: its body and the account's token. */
  readonly createRequest?: CreateStreamInfo;
  /** With `stream-error`: what went wrong. */
  readonly error?: string;
  /** When it happened: `Date.prototype.toISOString()`, e.g. `2026-01-01T00:00:00.000Z`. */
  readonly timestamp: string;
  /** Where to call back, when the CreateStream asked for status callbacks. */
  readonly statusCallback: StatusCallbackTarget | undefined;
}

/** Called synchronously by the engine after the change is made; must not throw. */
export type StreamEventListener = (event: StreamLifecycleEvent) => void;

/** One listener that tells each of the given ones, in order; undefined when none is given. */
export function allListeners(...listeners: readonly (StreamEventListener | undefined)[]): StreamEventListener | undefined {
  const given = listeners.filter((listener): listener is StreamEventListener => listener !== undefined);
  if (given.length <= 1) return given[0];
  return (event) => {
    for (const listener of given) listener(event);
  };
}
