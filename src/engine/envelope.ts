/**
 * The rules of the HTTP envelope around a request: Basic credentials, the form content type and
 * a well-formed form body. The schemas say what the fields must hold; these say how they must
 * travel. No regular expressions: plain string operations, linear on any input.
 */
import { FORM_CONTENT_TYPE } from "../contract/media-types.js";
import { isUtf8 } from "node:buffer";
import { type BasicCredentials, decodeBasicAuthorization, isBasicScheme } from "../http/basic-auth.js";
import { type ContractIssue, describeValue, issue } from "../validators/issue.js";

export type { BasicCredentials } from "../http/basic-auth.js";

/** Schemes named in an issue; any other word before the space might be a secret. */
const KNOWN_SCHEMES = new Set(["bearer", "digest", "token", "hoba", "negotiate", "aws4-hmac-sha256"]);

/** The media type every request body must have. */

/**
 * Reads `Authorization: Basic base64(user:password)`; an issue when it is absent or another
 * scheme. The issue never quotes the header: it carries a credential.
 */
export function readBasicCredentials(header: string | undefined): BasicCredentials | ContractIssue {
  const expected = "Basic credentials (Account SID and auth token, or API key SID and secret)";
  if (header === undefined || header === "") return issue("/headers/authorization", "auth", expected, "nothing");
  const space = header.indexOf(" ");
  if (space < 0) return issue("/headers/authorization", "auth", expected, "a header without a scheme"); // the whole header may be a secret
  if (!isBasicScheme(header)) {
    const scheme = header.slice(0, space);
    const named = KNOWN_SCHEMES.has(scheme.toLowerCase()) ? `${scheme} credentials` : "credentials of another scheme";
    return issue("/headers/authorization", "auth", expected, named);
  }
  return decodeBasicAuthorization(header) ?? issue("/headers/authorization", "auth", expected, "Basic credentials without a user and password");
}

/** An issue unless the media type is `application/x-www-form-urlencoded` (parameters allowed). */
export function checkContentType(header: string | undefined): ContractIssue | undefined {
  const semicolon = header === undefined ? -1 : header.indexOf(";");
  const mediaType = header === undefined ? undefined : (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (mediaType === FORM_CONTENT_TYPE) return undefined;
  return issue("/headers/content-type", "content-type", FORM_CONTENT_TYPE, mediaType === undefined ? "nothing" : describeValue(header));
}

/**
 * The body as text, or an issue when it is not a well-formed form: bytes that are not UTF-8, or
 * a `%` escape that is not two hexadecimal digits of valid UTF-8. (The WHATWG parser would
 * silently keep such escapes as they are; a client that sends them has a bug.)
 */
export function readFormText(body: Buffer | string): string | ContractIssue {
  if (typeof body !== "string" && !isUtf8(body)) {
    return issue("/body", "form", "a form body in UTF-8 text", `${body.length} bytes that are not UTF-8`);
  }
  const text = typeof body === "string" ? body : body.toString("utf8");
  // An escape cannot straddle `&` or `=`, so the whole is well-formed iff each part is.
  if (!hasWellFormedEscapes(text)) {
    return issue("/body", "form", "well-formed percent-encoding (%XX escapes of UTF-8 bytes)", describeValue(text));
  }
  return text;
}

/**
 * Most fields a form body may have: far more than any valid request (a CreateStream request has
 * at most 203: five fields and 99 parameters' names and values). Checking a form of 80,000
 * unknown fields field by field takes seconds and lists 80,000 issues; one issue says it all.
 */
const MAX_FORM_FIELDS = 1_000;

/** An issue when the form has more than MAX_FORM_FIELDS `&`-separated parts (counted, not parsed). */
export function checkFieldCount(text: string): ContractIssue | undefined {
  let parts = 1;
  for (let at = text.indexOf("&"); at >= 0; at = text.indexOf("&", at + 1)) {
    if (++parts > MAX_FORM_FIELDS) return issue("/body", "form", `at most ${MAX_FORM_FIELDS} fields (a Stream request has at most a few hundred)`, `more than ${MAX_FORM_FIELDS} fields`);
  }
  return undefined;
}

/**
 * Whether `decodeURIComponent(text)` would succeed — every `%` starts two hexadecimal digits and
 * the escaped bytes are well-formed UTF-8 (shortest form, no surrogates, at most U+10FFFF) — found
 * without building the decoded copy, which is most of decodeURIComponent's cost.
 */
function hasWellFormedEscapes(text: string): boolean {
  let at = text.indexOf("%");
  while (at >= 0) {
    const lead = escapedByte(text, at);
    at += 3;
    if (lead < 0x80) {
      if (lead < 0) return false;
    } else {
      // The lead byte says how many continuation bytes follow and the least code point they may form.
      const [count, least, bits] = lead >= 0xc2 && lead <= 0xdf ? [1, 0x80, lead & 0x1f] : lead >= 0xe0 && lead <= 0xef ? [2, 0x800, lead & 0x0f] : lead >= 0xf0 && lead <= 0xf4 ? [3, 0x10000, lead & 0x07] : [-1, 0, 0];
      if (count < 0) return false;
      let codePoint = bits;
      for (let k = 0; k < count; k++, at += 3) {
        const next = escapedByte(text, at);
        if (next < 0 || (next & 0xc0) !== 0x80) return false;
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      if (codePoint < least || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return false;
    }
    at = text.indexOf("%", at);
  }
  return true;
}

/** The byte escaped as `%XX` at `at`, or -1 when there is no such escape there. */
function escapedByte(text: string, at: number): number {
  if (text.charCodeAt(at) !== 37 /* % */) return -1;
  const high = hexValue(text.charCodeAt(at + 1));
  const low = hexValue(text.charCodeAt(at + 2));
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}
