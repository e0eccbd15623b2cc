/**
 * The requests the checks send, built the way Twilio's clients build them: POST, a form body,
 * Basic credentials.
 */
import { formEncode } from "../arbitraries/requests.js";
import { createStreamPath, streamPath } from "../contract/paths.js";
import { authorizationOf, type Credentials } from "./credentials.js";
import type { HttpRequest } from "./http.js";

/** A form body as fields, or as raw text (to send malformed encodings as they are). */
export type RequestBody = string | Readonly<Record<string, string>>;

/** How a request authenticates: the run's credentials, a given header, or none. */
export type Auth = Credentials | { readonly authorization: string } | "none";

const FORM = "application/x-www-form-urlencoded";

/** `application/x-www-form-urlencoded` text of a body. */
function encodeForm(body: RequestBody): string {
  return typeof body === "string" ? body : formEncode(body);
}

function headers(auth: Auth, withBody: boolean): Record<string, string> {
  const result: Record<string, string> = { Accept: "application/json" };
  if (auth !== "none") result.Authorization = "authorization" in auth ? auth.authorization : authorizationOf(auth);
  if (withBody) result["Content-Type"] = FORM;
  return result;
}

/** CreateStream: `POST …/Calls/{CallSid}/Streams.json`. */
export function createStreamHttpRequest(auth: Auth, accountSid: string, callSid: string, body: RequestBody): HttpRequest {
  return { method: "POST", path: createStreamPath(accountSid, callSid), headers: headers(auth, true), body: encodeForm(body) };
}

/** UpdateStream: `POST …/Streams/{Sid}.json` (Sid: a Stream SID or its name). */
export function updateStreamHttpRequest(
  auth: Auth,
  accountSid: string,
  callSid: string,
  sid: string,
  body: RequestBody = { Status: "stopped" },
): HttpRequest {
  return { method: "POST", path: streamPath(accountSid, callSid, sid), headers: headers(auth, true), body: encodeForm(body) };
}

/** Any method on a path, without a body. */
export function bareRequest(auth: Auth, method: string, path: string): HttpRequest {
  return { method, path, headers: headers(auth, false) };
}
