/**
 * URL formats of the contract: `wss-url` (CreateStream's Url) and `http-url` (StatusCallback,
 * more_info).
 *
 * RFC 3986 section 2 limits a URI to unreserved, reserved and percent-encoded characters:
 *
 *     unreserved  = ALPHA / DIGIT / "-" / "." / "_" / "~"
 *     reserved    = gen-delims / sub-delims
 *     gen-delims  = ":" / "/" / "?" / "#" / "[" / "]" / "@"
 *     sub-delims  = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="
 *     pct-encoded = "%" HEXDIG HEXDIG
 *
 * That character check runs first, in one pass; the structure (scheme, host, port) is then
 * left to the WHATWG URL parser, which is linear too. No regular expression is involved.
 */
import { BoundedMemo } from "../../lib/bounded-memo.js";

const URI_CHARS = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=") {
  URI_CHARS[c.charCodeAt(0)] = 1;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Whether every character of `text` may stand in a URI, with well-formed percent-encodings. */
export function hasOnlyUriCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 37 /* % */) {
      if (!isHex(text.charCodeAt(i + 1)) || !isHex(text.charCodeAt(i + 2))) return false;
      i += 2;
    } else if (c >= 128 || URI_CHARS[c] !== 1) {
      return false;
    }
  }
  return true;
}

/**
 * Parses an absolute URL with one of `schemes` (e.g. "wss:") written out as `scheme://host`.
 * A third slash means an empty authority (RFC 3986 section 3.2): no host, although the WHATWG
 * parser would read `wss:///media` as host `media`.
 */
function parseAbsolute(text: string, schemes: readonly string[]): URL | undefined {
  const colon = text.indexOf(":");
  const scheme = text.slice(0, colon + 1).toLowerCase();
  if (
    !schemes.includes(scheme) ||
    !text.startsWith("//", colon + 1) ||
    text.charCodeAt(colon + 3) === 47 /* / */ ||
    !hasOnlyUriCharacters(text)
  ) {
    return undefined;
  }
  try {
    const url = new URL(text);
    return url.hostname === "" ? undefined : url;
  } catch {
    return undefined;
  }
}

/**
 * `wss-url`: an absolute `wss://` URL with a host and no fragment (RFC 6455 section 3 forbids
 * fragments in WebSocket URIs).
 */
export function isWssUrl(value: string): boolean {
  return wssUrls.get(value, () => !value.includes("#") && parseAbsolute(value, WSS_SCHEMES) !== undefined);
}

/** `http-url`: an absolute `http://` or `https://` URL with a host. */
export function isHttpUrl(value: string): boolean {
  return httpUrls.get(value, () => parseAbsolute(value, HTTP_SCHEMES) !== undefined);
}

const WSS_SCHEMES = ["wss:"];
const HTTP_SCHEMES = ["http:", "https:"];

// Clients send the same few URLs again and again, and parsing one (new URL) is the costliest
// part of checking a request: the answers are kept, at most 1,024 of each (then emptied), for
// URLs of at most 2,048 characters.
const wssUrls = new BoundedMemo<boolean>(1024, 2048);
const httpUrls = new BoundedMemo<boolean>(1024, 2048);
