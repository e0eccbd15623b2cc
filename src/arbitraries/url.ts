/**
 * URLs of the contract: the Media Stream `Url` (format `wss-url`) and the `StatusCallback`
 * (format `http-url`). Built on fast-check's RFC 3986 `webUrl`:
 *
 *     URI       = scheme ":" "//" authority path-abempty [ "?" query ] [ "#" fragment ]
 *     authority = [ userinfo "@" ] host [ ":" port ]
 *
 * `wss-url` adds: scheme `wss` (RFC 6455 section 3), no fragment. `http-url`: scheme `http` or
 * `https`. Both: ASCII only, a host, every character allowed by RFC 3986 section 2.
 */
import fc from "fast-check";
import type { InvalidSample } from "./invalid-sample.js";

function absoluteUrl(schemes: string[], withFragments: boolean): fc.Arbitrary<string> {
  return fc.webUrl({
    validSchemes: schemes,
    authoritySettings: { withIPv4: true, withIPv6: true, withPort: true, withUserInfo: true },
    withQueryParameters: true,
    withFragments,
  });
}

/** Scheme names are case-insensitive (RFC 3986 section 3.1): sometimes write it in capitals. */
function withSchemeCase(url: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(url, fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }))
    .map(([u, upper]) => {
      const colon = u.indexOf(":");
      return upper ? u.slice(0, colon).toUpperCase() + u.slice(colon) : u;
    });
}

/**
 * Valid Media Stream URLs: absolute `wss://` URLs with a host (name, IPv4 or IPv6), optional
 * user info, port, path and query; never a fragment.
 * @public
 */
export function mediaStreamUrl(): fc.Arbitrary<string> {
  return withSchemeCase(absoluteUrl(["wss"], false));
}

/**
 * Valid status callback URLs: absolute `http://` or `https://` URLs with a host; path, query
 * and fragment optional.
 * @public
 */
export function callbackUrl(): fc.Arbitrary<string> {
  return withSchemeCase(absoluteUrl(["https", "http"], true));
}

function invalid(reason: string) {
  return (value: string): InvalidSample<string> => ({ value, reason, path: "" });
}

/** Replaces the scheme of `url` (everything before the first ":"). */
function reScheme(url: string, scheme: string): string {
  return scheme + url.slice(url.indexOf(":"));
}

/** Inserts `text` into the path of `url` (after its authority), keeping the rest. */
function intoPath(url: string, text: string): string {
  const authorityEnd = url.indexOf("/", url.indexOf("//") + 2);
  return authorityEnd < 0 ? `${url}/${text}` : `${url.slice(0, authorityEnd + 1)}${text}${url.slice(authorityEnd + 1)}`;
}

/** Breaks shared by both kinds of URL: what RFC 3986 or a host requirement refuses. */
function brokenUrl(valid: fc.Arbitrary<string>): fc.Arbitrary<InvalidSample<string>>[] {
  return [
    valid.map((u) => u.slice(u.indexOf("//") + 2)).map(invalid("no scheme")),
    valid.map((u) => u.replace("//", "/")).map(invalid("one slash after the scheme")),
    valid.map((u) => u.replace("//", "")).map(invalid("no // after the scheme")),
    valid
      .map((u) => {
        const rest = u.slice(u.indexOf("//") + 2);
        const slash = rest.indexOf("/");
        return slash < 0 ? "/" : rest.slice(slash);
      })
      .map(invalid("relative URL")),
    fc
      .tuple(valid, fc.constantFrom(" ", "\t", "\n", "\r\n"))
      .map(([u, s]) => `${s}${u}`)
      .map(invalid("leading whitespace")),
    fc
      .tuple(valid, fc.constantFrom(" ", "\t", "\n", "\r\n"))
      .map(([u, s]) => `${u}${s}`)
      .map(invalid("trailing whitespace")),
    fc
      .tuple(valid, fc.constantFrom(" ", "%", "%g0", "%0", "<", ">", '"', "{", "}", "|", "\\", "^", "`"))
      .map(([u, c]) => intoPath(u, `a${c}z`))
      .map(invalid("character not allowed in a URI")),
    fc
      .tuple(valid, fc.constantFrom("é", "ü", "\u00A0", "€", "日本", "\u{1F600}"))
      .map(([u, c]) => intoPath(u, c))
      .map(invalid("non-ASCII character")),
    fc
      .tuple(valid, fc.constantFrom("exämple.com", "пример.рф", "例え.jp"))
      .map(([u, host]) => reScheme(`x://${host}/`, u.slice(0, u.indexOf(":"))))
      .map(invalid("non-ASCII host")),
    valid.map((u) => reScheme("x://", u.slice(0, u.indexOf(":")))).map(invalid("no host")),
    valid.map((u) => u.replace("//", "///")).map(invalid("empty authority (a third slash)")),
    fc
      .tuple(valid, fc.integer({ min: 65536, max: 999999 }))
      .map(([u, port]) => reScheme(`x://example.com:${port}/`, u.slice(0, u.indexOf(":"))))
      .map(invalid("port out of range")),
    fc.constantFrom("", " ").map(invalid("empty")),
  ];
}

/**
 * Strings that are not a valid Media Stream `Url`, each with its reason (path `""`):
 * `ws://`, `http(s)://` and other schemes, a fragment, no scheme, relative URLs, spaces,
 * non-ASCII characters, malformed percent-encodings, no host, a port out of range.
 * @public
 */
export function invalidMediaStreamUrl(): fc.Arbitrary<InvalidSample<string>> {
  const valid = absoluteUrl(["wss"], false);
  return fc.oneof(
    valid.map((u) => reScheme(u, "ws")).map(invalid("insecure ws:// scheme")),
    fc
      .tuple(valid, fc.constantFrom("http", "https", "ftp", "wsss"))
      .map(([u, s]) => reScheme(u, s))
      .map(invalid("not a wss:// scheme")),
    fc
      .tuple(valid, fc.webFragments())
      .map(([u, f]) => `${u}#${f}`)
      .map(invalid("fragment in a WebSocket URL")),
    ...brokenUrl(valid),
  );
}

/**
 * Strings that are not a valid `StatusCallback`, each with its reason (path `""`): other
 * schemes (`wss://`, `ftp://`, `mailto:`, `javascript:`), no scheme, relative URLs, spaces,
 * non-ASCII characters, malformed percent-encodings, no host, a port out of range.
 * @public
 */
export function invalidCallbackUrl(): fc.Arbitrary<InvalidSample<string>> {
  const valid = absoluteUrl(["https", "http"], true);
  return fc.oneof(
    fc
      .tuple(valid, fc.constantFrom("wss", "ws", "ftp", "file", "httpx"))
      .map(([u, s]) => reScheme(u, s))
      .map(invalid("not an http(s):// scheme")),
    fc
      .constantFrom("mailto:ops@example.com", "javascript:alert(1)", "data:text/plain,hi", "urn:isbn:0451450523")
      .map(invalid("not an http(s):// scheme")),
    ...brokenUrl(valid),
  );
}
