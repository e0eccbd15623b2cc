/**
 * The HTTP headers of Twilio's WebSocket upgrade, as captured live (shared notes §A.1): its
 * User-Agent, `Accept-Encoding: gzip`, and X-Twilio-Signature over the `wss://` URL with no
 * parameters; no Origin, no subprotocol, no extension. `ws` adds Host, Connection, Upgrade,
 * Sec-WebSocket-Key and Sec-WebSocket-Version.
 */
import type { ClientRequestArgs } from "node:http";
import type { ClientOptions } from "ws";
import { signTwilioRequest, TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";
import { loopbackLookup } from "../status-callbacks/loopback.js";
import { MAX_MESSAGE_BYTES } from "./frame-judge.js";
import type { DialTarget } from "./target.js";

/** The User-Agent of Twilio's media servers. */
const TWILIO_WS_USER_AGENT = "Twilio.TmeWs/1.0";

/** The upgrade's headers for a Stream whose URL (as signed) is `signedUrl`. */
export function upgradeHeaders(signedUrl: string, authToken: string): Record<string, string> {
  return {
    "User-Agent": TWILIO_WS_USER_AGENT,
    "Accept-Encoding": "gzip",
    [TWILIO_SIGNATURE_HEADER]: signTwilioRequest(signedUrl, undefined, authToken),
  };
}

/**
 * ws's options for dialling `target` with these upgrade headers: no extension offered, no
 * redirect followed, messages capped at MAX_MESSAGE_BYTES (ws's default is 100 MiB), and a host
 * allowed for being loopback resolved to loopback addresses only. No handshakeTimeout: it is an
 * idle timeout (a byte every few seconds resets it); the callers keep an absolute deadline.
 */
export function dialOptions(
  target: DialTarget,
  headers: Record<string, string>,
  ca: string | Buffer | readonly (string | Buffer)[] | undefined,
): ClientOptions & Pick<ClientRequestArgs, "lookup"> {
  return {
    headers,
    perMessageDeflate: false, // Twilio offers no extension (live captures)
    followRedirects: false,
    maxPayload: MAX_MESSAGE_BYTES,
    ...(target.loopbackOnly === true ? { lookup: loopbackLookup() as unknown as ClientRequestArgs["lookup"] } : {}),
    ...(ca === undefined ? {} : { ca: ca as string | Buffer | (string | Buffer)[] }),
  };
}
