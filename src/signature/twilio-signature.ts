/**
 * X-Twilio-Signature: how Twilio signs the requests it sends (status callbacks, webhooks, the
 * Media Streams WebSocket upgrade), and how a receiver checks one.
 *
 * The string signed is the full URL Twilio requested (scheme through query string), followed —
 * for a form POST only — by every parameter's name and value, sorted by name (code-unit order,
 * "Unix-style case-sensitive"), without delimiters. A GET or a WebSocket upgrade carries its
 * parameters in the URL and appends nothing. The key is the account's primary Auth Token
 * (HMAC-SHA1), or a SharedKey secret when `X-Twilio-Webhooks-Signature-Settings` names
 * `algorithm=HMAC_SHA256`. The result is base64. A JSON body is not signed itself: its hex
 * SHA-256 travels in the URL's `bodySHA256` query parameter.
 * (twilio.com/docs/usage/security; twilio-node `lib/webhooks/webhooks.js`.)
 */
import { signedUrlForms } from "./signed-url-forms.js";

/**
 * node:crypto, loaded the first time a signature is computed: importing the package then does
 * not pay for it (~6 ms of CPU at start-up, docs/performance.md), and a program that only
 * validates never loads it. `process.getBuiltinModule` is synchronous, in ESM and CJS alike.
 */
const crypto = (): typeof import("node:crypto") => process.getBuiltinModule("node:crypto");

/** The header that carries the signature. Node lower-cases incoming header names. @public */
export const TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature";
/** The header Twilio adds when it signs with a SharedKey: `key=<id>,algorithm=<name>`. @public */
export const TWILIO_SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings";

/** The HMAC variants Twilio signs with. @public */
export type TwilioSignatureAlgorithm = "HMAC_SHA1" | "HMAC_SHA256";

/**
 * Form parameters as signed: a repeated field is an array of its values (as express.urlencoded
 * and Fastify's form parser give it). @public
 */
export type TwilioSignedParams = Readonly<Record<string, string | readonly string[]>>;

const HASH_OF: Readonly<Record<TwilioSignatureAlgorithm, string>> = { HMAC_SHA1: "sha1", HMAC_SHA256: "sha256" };

/**
 * The algorithm a `X-Twilio-Webhooks-Signature-Settings` value names: `HMAC_SHA1` when the header
 * is absent or names none, `undefined` when it names one this library does not know (such a
 * request can never be valid — better refused than accepted unchecked), and for a value that is
 * not a string.
 * @public
 */
export function twilioSignatureAlgorithm(settingsHeader: string | undefined | null): TwilioSignatureAlgorithm | undefined {
  if (settingsHeader === undefined || settingsHeader === null) return "HMAC_SHA1";
  if (typeof settingsHeader !== "string") return undefined;
  for (const part of settingsHeader.split(",")) {
    const separator = part.indexOf("=");
    if (separator === -1 || part.slice(0, separator).trim() !== "algorithm") continue;
    const name = part
      .slice(separator + 1)
      .trim()
      .toUpperCase();
    if (name === "") continue;
    return name === "HMAC_SHA1" || name === "HMAC_SHA256" ? name : undefined;
  }
  return "HMAC_SHA1";
}

/** The string Twilio signs: the URL, then each parameter's name and value, names sorted. */
function stringToSign(url: string, params: TwilioSignedParams | undefined): string {
  if (params === undefined) return url;
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value: unknown = params[name];
    if (Array.isArray(value)) {
      // A repeated field: each distinct value once, sorted (as twilio-node and twilio-python do).
      for (const each of [...new Set(value.map(String))].sort()) data += name + each;
    } else if (value !== undefined) {
      data += name + String(value);
    }
  }
  return data;
}

/**
 * The X-Twilio-Signature Twilio sends for a request to `url` carrying the form parameters
 * `params` (pass `{}` or nothing for a GET, a WebSocket upgrade or a JSON body with `bodySHA256`).
 * `authToken` is the account's primary Auth Token, or the SharedKey secret for `HMAC_SHA256`.
 * @example
 *   signTwilioRequest("https://example.com/stream-status", { StreamEvent: "stream-started", … }, token)
 * @public
 */
export function signTwilioRequest(
  url: string,
  params: TwilioSignedParams | undefined,
  authToken: string,
  algorithm: TwilioSignatureAlgorithm = "HMAC_SHA1",
): string {
  return crypto().createHmac(HASH_OF[algorithm], authToken).update(stringToSign(url, params), "utf8").digest("base64");
}

/** The hex SHA-256 of a JSON body, as Twilio puts it in the `bodySHA256` query parameter. @public */
export function twilioBodyHash(body: string | Uint8Array): string {
  return crypto().createHash("sha256").update(body).digest("hex");
}

/** Constant-time equality; the length is the algorithm's, not a secret, so it may end early. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto().timingSafeEqual(left, right);
}

/** What a receiver knows about a request it got, to check its X-Twilio-Signature. @public */
export interface TwilioSignatureCheck {
  /** The full URL Twilio requested: scheme, host, port if any, path, query string. */
  readonly url: string;
  /** The X-Twilio-Signature header (missing → invalid). */
  readonly signature: string | undefined | null;
  /** The account's primary Auth Token, or the SharedKey secret when `signatureSettings` is given. */
  readonly authToken: string;
  /** A form POST's parameters; omit for a GET or a WebSocket upgrade. */
  readonly params?: TwilioSignedParams;
  /** The raw body, checked against the URL's `bodySHA256` when there is one (JSON bodies). */
  readonly body?: string | Uint8Array;
  /** The X-Twilio-Webhooks-Signature-Settings header, when present. */
  readonly signatureSettings?: string | null;
}

/**
 * The `bodySHA256` query parameter of `url` as a receiver reads it: percent-decoded, after
 * `new URL()` has parsed the URL (as twilio-node's `validateRequestWithBody` reads it), so
 * `body%53HA256` is `bodySHA256` too. Undefined when there is none or the URL does not parse.
 */
function bodyHashIn(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get("bodySHA256") ?? undefined;
  } catch {
    return undefined;
  }
}

/** Form parameters as Twilio sends them: each value a string or an array of strings. */
function isFormParams(params: unknown): params is TwilioSignedParams {
  if (typeof params !== "object" || params === null || Array.isArray(params)) return false;
  return Object.values(params).every(
    (value: unknown) => typeof value === "string" || (Array.isArray(value) && value.every((each: unknown) => typeof each === "string")),
  );
}

/**
 * Whether `check.signature` is the signature Twilio would send for this request. Accepts every
 * URL form twilio-node's `validateRequest` accepts (port removed or added, as received or
 * normalised, legacy query encoding). A form of the URL whose query, read decoded, has a
 * `bodySHA256` parameter (however its name is percent-encoded) is a JSON request's: it is signed
 * alone and the body must hash to that parameter; any other form is signed with the parameters.
 * Comparison is constant-time. Never throws: hostile input — a parameter that is not a string or
 * an array of strings (Express's `extended: true` parser turns `a[b]=x` into an object), a body
 * that is neither text nor bytes, a Proxy, a throwing getter — is simply invalid.
 * @public
 */
export function isValidTwilioSignature(check: TwilioSignatureCheck): boolean {
  try {
    return signatureMatches(check);
  } catch {
    return false;
  }
}

function signatureMatches(check: TwilioSignatureCheck): boolean {
  const { url, signature, authToken, params, body, signatureSettings } = check;
  if (typeof signature !== "string" || signature === "" || typeof url !== "string" || typeof authToken !== "string" || authToken === "") {
    return false;
  }
  const algorithm = twilioSignatureAlgorithm(signatureSettings);
  if (algorithm === undefined) return false;
  const bodyHash = typeof body === "string" || body instanceof Uint8Array ? twilioBodyHash(body) : undefined;
  // A JSON body's parsed form (express.json) may be anything: only a form's parameters are signed.
  const formParams = params === undefined || isFormParams(params) ? params : null;
  const signs = (form: string, signed: TwilioSignedParams | undefined) =>
    sameText(signTwilioRequest(form, signed, authToken, algorithm), signature);
  return signedUrlForms(url).some((form) => {
    const hash = bodyHashIn(form);
    if (hash !== undefined) return bodyHash !== undefined && sameText(bodyHash, hash) && signs(form, undefined);
    return formParams !== null && signs(form, formParams);
  });
}
