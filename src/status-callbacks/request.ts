/**
 * A status callback as it goes on the wire: the parameters (schemas/stream-status-callback.schema.json),
 * then the request Twilio makes of them — POST with a form body, or GET with the parameters in the
 * query string — signed with X-Twilio-Signature over the URL (and, for POST, the parameters).
 *
 * Decisions where Twilio's pages are silent (docs/status-callbacks.md):
 * - `Timestamp` is `Date.prototype.toISOString()`'s form, `2026-01-01T00:00:00.000Z` (UTC, ms).
 * - `StreamName` is always sent: the Stream's Name, else its StreamSid ("Defaults to the StreamSid").
 * - `StreamError` is sent with `stream-error` only.
 * - User info in the URL (`https://user:pass@host/…`) is sent as Basic credentials and left out
 *   of the signed URL, as Twilio does.
 */
import type { StatusCallbackMethod, StreamEvent, StreamStatusCallback } from "../validators/generated/types.js";
import { signTwilioRequest, TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";

/** The facts a callback reports. */
export interface StatusCallbackFacts {
  readonly event: StreamEvent;
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid: string;
  readonly streamName: string | null;
  readonly error?: string | undefined;
  readonly timestamp: string;
}

/** The parameters of a callback, in the order Twilio's pages list them. */
export function statusCallbackParams(facts: StatusCallbackFacts): StreamStatusCallback {
  return {
    AccountSid: facts.accountSid,
    CallSid: facts.callSid,
    StreamSid: facts.streamSid,
    StreamName: facts.streamName ?? facts.streamSid,
    StreamEvent: facts.event,
    ...(facts.event === "stream-error" ? { StreamError: facts.error ?? "" } : {}),
    Timestamp: facts.timestamp,
  };
}

/** An HTTP request ready to send. */
export interface OutgoingCallback {
  readonly method: StatusCallbackMethod;
  /** The URL requested, without user info; a GET's has the parameters in its query string. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The form body of a POST; empty for a GET. */
  readonly body: string;
}

/** `url` without `user:pass@`, and the user info it had (still percent-encoded). */
function splitUserInfo(url: string): { url: string; userInfo: string | undefined } {
  const start = url.indexOf("//") + 2;
  let end = start;
  while (end < url.length && !"/?#".includes(url.charAt(end))) end++;
  const at = url.lastIndexOf("@", end - 1);
  if (start < 2 || at < start) return { url, userInfo: undefined };
  return { url: url.slice(0, start) + url.slice(at + 1), userInfo: url.slice(start, at) };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `url` with `query` added to its query string (before any fragment, which is never sent). */
function withQuery(url: string, query: string): string {
  const hash = url.indexOf("#");
  const base = hash === -1 ? url : url.slice(0, hash);
  if (query === "") return base;
  return base + (base.includes("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?") + query;
}

/**
 * The request Twilio makes to `callbackUrl` with `params`, signed with `authToken` over
 * `signedUrl` (default `callbackUrl`: another one when a proxy in front of the receiver is what
 * Twilio calls, e.g. `https://public.example.com/status` for `http://127.0.0.1:3000/status`).
 * @example
 *   const request = signedStatusCallback("http://127.0.0.1:3000/status", "POST", params, token);
 */
export function signedStatusCallback(
  callbackUrl: string,
  method: StatusCallbackMethod,
  params: Readonly<Record<string, string>>,
  authToken: string,
  signedUrl = callbackUrl,
): OutgoingCallback {
  const { url, userInfo } = splitUserInfo(callbackUrl);
  const signed = splitUserInfo(signedUrl).url;
  const query = new URLSearchParams(params).toString();
  const headers: Record<string, string> = { "User-Agent": "TwilioProxy/1.1", Accept: "*/*" };
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(":");
    const user = decoded(colon === -1 ? userInfo : userInfo.slice(0, colon));
    const password = colon === -1 ? "" : decoded(userInfo.slice(colon + 1));
    headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  }
  if (method === "GET") {
    headers[TWILIO_SIGNATURE_HEADER] = signTwilioRequest(withQuery(signed, query), undefined, authToken);
    return { method, url: withQuery(url, query), headers, body: "" };
  }
  headers[TWILIO_SIGNATURE_HEADER] = signTwilioRequest(withQuery(signed, ""), params, authToken);
  const target = withQuery(url, "");
  headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";
  return { method, url: target, headers, body: query };
}
