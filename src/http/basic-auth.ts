/**
 * HTTP Basic authentication (RFC 7617), once for the whole package: `Authorization: Basic
 * base64(user ":" password)`. Twilio takes two kinds of Basic credentials: the Account SID with
 * its auth token, or an API key SID (`SK…`) with its secret (twilio-node:
 * `twilio(apiKeySid, apiKeySecret, { accountSid })`).
 *
 * No regular expression runs on a header here: the decoder uses string operations, linear on
 * any input. The pattern below is for Pact matchers and anything that must show the shape.
 */

/** The user and password of Basic credentials. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** `Basic` and a base64 token (RFC 7617, RFC 4648 section 4 alphabet). */
export const BASIC_AUTHORIZATION_PATTERN = "^Basic [A-Za-z0-9+/]+={0,2}$";

/** `Basic base64(user:password)`. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** The base64 token of a Basic header, or undefined when the header is another scheme. */
function basicToken(header: string): string | undefined {
  const space = header.indexOf(" ");
  if (space < 0 || header.slice(0, space).toLowerCase() !== "basic") return undefined;
  return header.slice(space + 1).trim();
}

/**
 * Reads `Basic base64(user:password)` (the scheme in any case, as RFC 7235 says); undefined when
 * the header is another scheme or holds no `user:` (an empty user included). With `exact`, only
 * the header `basicAuthorization` would write for the pair is read (no stray characters).
 */
export function decodeBasicAuthorization(header: string, options: { readonly exact?: boolean } = {}): BasicCredentials | undefined {
  const token = basicToken(header);
  if (token === undefined) return undefined;
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return undefined;
  const credentials = { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  if (options.exact === true && basicAuthorization(credentials.user, credentials.password) !== header) return undefined;
  return credentials;
}

/** Whether `header` is Basic credentials at all (another scheme, or none, is not). */
export function isBasicScheme(header: string): boolean {
  return basicToken(header) !== undefined;
}
