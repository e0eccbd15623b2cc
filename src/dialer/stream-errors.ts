/**
 * Twilio's Media Streams error and warning codes that a dialler can observe (twilio.com/docs/api/errors/<code>;
 * shared notes §A.8), as a table: code → Twilio's title. What a WebSocket server does wrong is
 * reported under the code Twilio would log for it.
 */
export const MEDIA_STREAM_ERRORS = {
  31901: "Connection Timeout", // no answer to the connection request
  31902: "Connection Refused", // nothing listening on the port
  31903: "Connection Broken Pipe", // the server dropped the connection abruptly
  31904: "Host Unreachable", // the host name does not resolve
  31910: "SSL Protocol Error", // TLS missing or failed (certificate not trusted …)
  31920: "Handshake Error", // an HTTP status other than 101 to the upgrade
  31921: "Close Error", // the server closed the WebSocket while the Stream was on
  31924: "Protocol Error", // non-conformant WebSocket traffic (invalid UTF-8, RSV bits, bad close code, a message too big)
  31930: "Media Buffer Overflow", // audio discarded: here, the server stopped reading what Twilio sends
  31950: "Protocol - Malformed Message", // a binary frame
  31951: "Protocol - Invalid Message", // not JSON, unknown event, missing or extra field, wrong streamSid, any message on a unidirectional Stream
} as const;

/** A code of MEDIA_STREAM_ERRORS. @public */
export type MediaStreamErrorCode = keyof typeof MEDIA_STREAM_ERRORS;

/** The code of a failed connection attempt, from the error node or ws raised. */
export function connectionErrorCode(error: unknown): MediaStreamErrorCode {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  const message = error instanceof Error ? error.message : "";
  if (code === "ECONNREFUSED") return 31902;
  if (code === "ERR_NOT_LOOPBACK" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return 31904;
  if (code === "ETIMEDOUT" || message.includes("handshake has timed out")) return 31901;
  if (code === "ECONNRESET" || code === "EPIPE") return 31903;
  if (
    code.startsWith("ERR_TLS") ||
    code.startsWith("ERR_SSL") ||
    code.includes("CERT") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "EPROTO"
  )
    return 31910;
  return 31920;
}
