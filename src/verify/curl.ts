/**
 * Every failure shows its request as a curl command the reader can paste into a shell. The auth
 * token never appears: Basic credentials whose password is the run's token are written as
 * `-u "AC…:$TWILIO_AUTH_TOKEN"` (still runnable: the shell fills the token in); the deliberately
 * wrong passwords of the auth checks are written as they were sent; and the whole command goes
 * through `redact` as a last guard (which also masks any other Basic or Bearer header).
 */
import { redact } from "../secrets.js";
import type { Credentials } from "./credentials.js";
import { basicAuthorization } from "./credentials.js";
import type { HttpRequest } from "./http.js";

/** The user and password of `Basic base64(user:password)`, when the header is one. */
function readBasic(header: string): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0 || basicAuthorization(decoded.slice(0, colon), decoded.slice(colon + 1)) !== header) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

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
    const basic = name.toLowerCase() === "authorization" ? readBasic(value) : undefined;
    if (basic === undefined) {
      parts.push("-H", quote(`${name}: ${value}`));
    } else if (basic.password === credentials.authToken) {
      // Double quotes: the shell expands the variable. A user with other characters than
      // letters and digits is single-quoted apart, so that nothing in it is expanded.
      const user = /^[A-Za-z0-9]+$/.test(basic.user) ? `"${basic.user}:` : `${quote(`${basic.user}:`)}"`;
      parts.push("-u", `${user}$TWILIO_AUTH_TOKEN"`);
    } else {
      parts.push("-u", quote(`${basic.user}:${basic.password}`)); // a deliberately wrong password
    }
  }
  if (request.body !== undefined) parts.push("--data-raw", quote(request.body));
  return redact(parts.join(" "), [credentials.authToken], [credentials.accountSid]);
}
