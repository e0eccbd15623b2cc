/**
 * The rules of the HTTP envelope around a request: Basic credentials, the form content type and
 * a well-formed form body. The schemas say what the fields must hold; these say how they must
 * travel. No regular expressions: plain string operations, linear on any input.
 */
import { isUtf8 } from "node:buffer";
import { type ContractIssue, describeValue, issue } from "../validators/issue.js";

/** Basic credentials as read from an Authorization header. */
export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** Schemes named in an issue; any other word before the space might be a secret. */
const KNOWN_SCHEMES = new Set(["bearer", "digest", "token", "hoba", "negotiate", "aws4-hmac-sha256"]);

/** The media type every request body must have. */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/**
 * Reads `Authorization: Basic base64(user:password)`; an issue when it is absent or another
 * scheme. The issue never quotes the header: it carries a credential.
 */
export function readBasicCredentials(header: string | undefined): BasicCredentials | ContractIssue {
  const expected = "Basic credentials (Account SID and auth token)";
  if (header === undefined || header === "") return issue("/headers/authorization", "auth", expected, "nothing");
  const space = header.indexOf(" ");
  if (space < 0) return issue("/headers/authorization", "auth", expected, "a header without a scheme"); // the whole header may be a secret
  const scheme = header.slice(0, space);
  if (scheme.toLowerCase() !== "basic") {
    const named = KNOWN_SCHEMES.has(scheme.toLowerCase()) ? `${scheme} credentials` : "credentials of another scheme";
    return issue("/headers/authorization", "auth", expected, named);
  }
  const decoded = Buffer.from(header.slice(space + 1).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return issue("/headers/authorization", "auth", expected, "Basic credentials without a user and password");
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
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
  if (text.includes("%")) {
    try {
      decodeURIComponent(text); // an escape cannot straddle `&` or `=`, so the whole decodes iff each part does
    } catch {
      return issue("/body", "form", "well-formed percent-encoding (%XX escapes of UTF-8 bytes)", describeValue(text));
    }
  }
  return text;
}
