/**
 * Every failure shows its request as a curl command the reader can paste into a shell. The auth
 * token never appears: Basic credentials whose password is the run's token are written as
 * `-u "AC…:$TWILIO_AUTH_TOKEN"` (still runnable: the shell fills the token in), an API key's as
 * `-u "SK…:$TWILIO_API_SECRET"`; the deliberately
 * wrong passwords of the auth checks are written as they were sent; and the whole command goes
 * through `redact` as a last guard (which also masks any other Basic or Bearer header).
 */
import { decodeBasicAuthorization } from "../http/basic-auth.js";
import { redact } from "../secrets.js";
import { type Credentials, redactionOf } from "./credentials.js";
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
    const basic = name.toLowerCase() === "authorization" ? decodeBasicAuthorization(value, { exact: true }) : undefined;
    const variable =
      basic === undefined
        ? undefined
        : basic.password === credentials.authToken
          ? "TWILIO_AUTH_TOKEN"
          : basic.password === credentials.apiKeySecret
            ? "TWILIO_API_SECRET"
            : undefined;
    if (basic === undefined) {
      parts.push("-H", quote(`${name}: ${value}`));
    } else if (variable !== undefined) {
      // Double quotes: the shell expands the variable. A user with other characters than
      // letters and digits is single-quoted apart, so that nothing in it is expanded.
      const user = /^[A-Za-z0-9]+$/.test(basic.user) ? `"${basic.user}:` : `${quote(`${basic.user}:`)}"`;
      parts.push("-u", `${user}$${variable}"`);
    } else {
      parts.push("-u", quote(`${basic.user}:${basic.password}`)); // a deliberately wrong password
    }
  }
  if (request.body !== undefined) parts.push("--data-raw", quote(request.body));
  const { secrets, users } = redactionOf(credentials);
  return redact(parts.join(" "), secrets, users);
}
