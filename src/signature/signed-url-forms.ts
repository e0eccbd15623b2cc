/**
 * The URL forms a signature may have been computed over. Twilio signs "the full URL you
 * configured"; the receiver only sees the URL as it arrived, so it tries the forms Twilio's own
 * helpers (twilio-node `validateRequest`) try: with and without the port, as received and as
 * `new URL()` normalises it, and with the query string re-encoded by Node's legacy `querystring`.
 */
import { parse as parseQuery, stringify as stringifyQuery } from "node:querystring";

/** `scheme://` + authority + the rest, split without normalising a character. */
interface UrlParts {
  readonly scheme: string;
  readonly userInfo: string;
  readonly host: string;
  readonly port: string;
  readonly rest: string;
}

function isSchemeChar(code: number, first: boolean): boolean {
  const letter = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  if (first) return letter;
  // RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  return letter || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}

/** Splits `scheme://[userinfo@]host[:port]rest`; undefined when `url` has no `scheme://`. */
function splitUrl(url: string): UrlParts | undefined {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 1) return undefined;
  for (let i = 0; i < schemeEnd; i++) if (!isSchemeChar(url.charCodeAt(i), i === 0)) return undefined;
  const authorityStart = schemeEnd + 3;
  let authorityEnd = authorityStart;
  while (authorityEnd < url.length && !"/?#".includes(url.charAt(authorityEnd))) authorityEnd++;
  const authority = url.slice(authorityStart, authorityEnd);
  const userInfoEnd = authority.lastIndexOf("@") + 1;
  const hostAndPort = authority.slice(userInfoEnd);
  // A colon starts the port only after the closing bracket of an IPv6 literal.
  const portStart = hostAndPort.indexOf(":", hostAndPort.lastIndexOf("]") + 1);
  return {
    scheme: url.slice(0, authorityStart),
    userInfo: authority.slice(0, userInfoEnd),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? "" : hostAndPort.slice(portStart),
    rest: url.slice(authorityEnd),
  };
}

/**
 * The scheme's default port. `wss:` is 443 (RFC 6455 §3); twilio-node adds `:80` to every scheme
 * but `https:`, which no client would ever have signed for a `wss://` URL.
 */
function defaultPort(scheme: string): string {
  const name = scheme.toLowerCase();
  return name === "https://" || name === "wss://" ? ":443" : ":80";
}

function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts === undefined ? url : parts.scheme + parts.userInfo + parts.host + parts.rest;
}

function withPort(url: string): string {
  const parts = splitUrl(url);
  if (parts === undefined || parts.port !== "") return url;
  return parts.scheme + parts.userInfo + parts.host + defaultPort(parts.scheme) + parts.rest;
}

/**
 * The query string as Node's legacy `querystring` writes it (back ends that signed `%27` for `'`).
 * Two departures from twilio-node, both refusing a URL an attacker made up: the fragment is not
 * part of the query (twilio-node re-encodes `?x=#&bodySHA256=…` into `?x=%23&bodySHA256=…`, so a
 * request whose query has no `bodySHA256` matched a signature over one that has), and every
 * parameter is kept (twilio-node's `parse` keeps the first 1,000, so `&` repeated a thousand times
 * let anything be appended to a signed query).
 */
function withLegacyQuery(url: string): string {
  const hash = url.indexOf("#");
  const fragmentStart = hash === -1 ? url.length : hash;
  const queryStart = url.indexOf("?");
  if (queryStart === -1 || queryStart >= fragmentStart - 1) return url;
  const query = parseQuery(url.slice(queryStart + 1, fragmentStart), "&", "=", { maxKeys: 0 });
  return `${url.slice(0, queryStart)}?${stringifyQuery(query)}${url.slice(fragmentStart)}`;
}

function normalised(url: string): string | undefined {
  try {
    return new URL(url).toString();
  } catch {
    return undefined;
  }
}

/**
 * Every form of `url` a valid signature may cover, most likely first, without repeats. The URL as
 * received comes first (the string Twilio signed), then its `new URL()` normal form.
 */
export function signedUrlForms(url: string): string[] {
  const forms = new Set([withoutPort(url), withPort(url)]);
  const normal = normalised(url);
  if (normal !== undefined) {
    for (const form of [withoutPort(normal), withPort(normal)]) {
      forms.add(form);
      forms.add(withLegacyQuery(form));
    }
  }
  return [...forms];
}
