/**
 * The HTTP headers of Twilio's WebSocket upgrade, as captured live (shared notes §A.1): its
 * User-Agent, `Accept-Encoding: gzip`, and X-Twilio-Signature over the `wss://` URL with no
 * parameters; no Origin, no subprotocol, no extension. `ws` adds Host, Connection, Upgrade,
 * Sec-WebSocket-Key and Sec-WebSocket-Version.
 */
import { signTwilioRequest, TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";

/** The User-Agent of Twilio's media servers. */
const TWILIO_WS_USER_AGENT = "Twilio.TmeWs/1.0";

/** The upgrade's headers for a Stream whose URL (as signed) is `signedUrl`. */
export function upgradeHeaders(signedUrl: string, authToken: string): Record<string, string> {
  return { "User-Agent": TWILIO_WS_USER_AGENT, "Accept-Encoding": "gzip", [TWILIO_SIGNATURE_HEADER]: signTwilioRequest(signedUrl, undefined, authToken) };
}
