/**
 * Every failure shows its request as a curl command the reader can paste into a shell. The
 * auth token never appears: Basic credentials made of the run's own account SID and token are
 * written as `-u "AC…:$TWILIO_AUTH_TOKEN"` (still runnable, the shell fills the token in); any
 * other Authorization header is printed as it was sent (the deliberately wrong credentials of
 * the auth checks), and the whole command goes through `redact` as a last guard.
 */
import { redact } from "../secrets.js";
import type { Credentials } from "./credentials.js";
import { basicAuthorization } from "./credentials.js";
import type { HttpRequest } from "./http.js";

/** POSIX shell single quoting: `'` becomes `'\''`. */
function quote(text: string): string {
  return `'${text.split("'").join(`'\\''`)}'`;
}

/** The request as `curl …`, with the credentials of `credentials` replaced by `$TWILIO_AUTH_TOKEN`. */
export function renderCurl(baseUrl: URL, request: HttpRequest, credentials: Credentials): string {
  const url = baseUrl.toString().replace(/\/+$/, "") + request.path;
  const parts = ["curl", "-sS", "-i"];
  if (request.method !== (request.body === undefined ? "GET" : "POST")) parts.push("-X", request.method);
  parts.push(quote(url));
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() === "authorization" && value === basicAuthorization(credentials.accountSid, credentials.authToken)) {
      // Double quotes: the shell expands the variable, so the command still runs.
      const user = /^[A-Za-z0-9]+$/.test(credentials.accountSid) ? credentials.accountSid : quote(credentials.accountSid);
      parts.push("-u", user.startsWith("'") ? `${quote(`${credentials.accountSid}:`)}"$TWILIO_AUTH_TOKEN"` : `"${user}:$TWILIO_AUTH_TOKEN"`);
    } else {
      parts.push("-H", quote(`${name}: ${value}`));
    }
  }
  if (request.body !== undefined) parts.push("--data-raw", quote(request.body));
  return redact(parts.join(" "), [credentials.authToken], [credentials.accountSid]);
}
