/**
 * Pact matchers of the contract, derived from schemas/ — no SID pattern, enum or date name is
 * written here.
 *
 * Matchers are plain data in the Pact FFI "integration JSON" format (`pact:matcher:type` …),
 * which pact-js passes through unchanged, so this module needs no Pact library at run time: the
 * reference provider and `verify` can import it.
 *
 * A regex matcher must match the whole value in the Pact verifier (Rust, pact_models): `2010`
 * and `^/2010-04-01/` both fail on `/2010-04-01/Accounts/…` (tests/pact/regex-matching.test.ts).
 * JavaScript's `RegExp#test` searches instead, so every pattern here is written as a whole-value
 * match, anchored `^…$`, and means the same in both. Each runs in linear time in both engines.
 */
import common from "../../schemas/common.schema.json" with { type: "json" };
import stream from "../../schemas/stream.schema.json" with { type: "json" };
import { BASIC_AUTHORIZATION_PATTERN } from "../http/basic-auth.js";
import twilioMediaMessage from "../../schemas/twilio-media-message.schema.json" with { type: "json" };
import { DAY_NAMES, MONTH_NAMES } from "../validators/formats/rfc2822.js";
import { fillPathTemplate } from "./paths.js";

/** A value that must match `regex`; `value` is the example the mock server uses. */
export interface RegexMatcher {
  readonly "pact:matcher:type": "regex";
  readonly regex: string;
  readonly value: string;
}

/** A value of the same JSON type as `value`. */
export interface TypeMatcher<T> {
  readonly "pact:matcher:type": "type";
  readonly value: T;
}

/** Any integer. */
export interface IntegerMatcher {
  readonly "pact:matcher:type": "integer";
  readonly value: number;
}

/** JSON `null`. */
export interface NullMatcher {
  readonly "pact:matcher:type": "null";
  readonly value: null;
}

/** Any status of the class `status` (Pact V4 `statusCode` matcher); `value` is the example. */
export interface StatusClassMatcher {
  readonly "pact:matcher:type": "statusCode";
  readonly status: "success";
  readonly value: number;
}

/**
 * A regex-matched value that the Pact verifier regenerates from the provider state: `expression`
 * names state params as `${accountSid}`; a state-change response that returns those params
 * replaces the example in the request it sends.
 */
export interface ProviderStateMatcher extends Omit<RegexMatcher, "value"> {
  readonly "pact:generator:type": "ProviderState";
  readonly expression: string;
  readonly value: string;
}

/** Any matcher of the contract. */
export type Matcher = RegexMatcher | TypeMatcher<string> | IntegerMatcher | NullMatcher | ProviderStateMatcher;

/** A JSON value in which any value may be a matcher. */
export type Template = string | number | null | Matcher | readonly Template[] | { readonly [key: string]: Template };

/** The plain example a template stands for (what a mock server answers). */
export type Example = string | number | null | readonly Example[] | { readonly [key: string]: Example };

/** Whether `value` is a matcher object rather than a plain JSON object. */
export function isMatcher(value: unknown): value is Matcher | StatusClassMatcher {
  return typeof value === "object" && value !== null && "pact:matcher:type" in value;
}

/** Strips the matchers from a template, leaving their example values. */
export function exampleOf(template: Template): Example {
  if (template === null || typeof template !== "object") return template;
  if (Array.isArray(template)) return (template as readonly Template[]).map(exampleOf);
  if (isMatcher(template)) return template.value;
  const out: Record<string, Example> = {};
  for (const [key, value] of Object.entries(template)) out[key] = exampleOf(value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Patterns

/** Escapes the characters that are special in both JavaScript and Rust regular expressions. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `^(?:a|b|…)$`: exactly one of `values` (the schema's `enum`). */
export function enumPattern(values: readonly string[]): string {
  return `^(?:${values.map(escapeRegex).join("|")})$`;
}

/** The body of an anchored schema pattern, to embed in a larger one. */
function unanchored(pattern: string): string {
  if (!pattern.startsWith("^") || !pattern.endsWith("$")) throw new Error(`schema pattern ${pattern} is not anchored`);
  return pattern.slice(1, -1);
}

/** A schema pattern anchored at its start, as a whole-value match (see the top of this file). */
function wholeValue(pattern: string): string {
  if (!pattern.startsWith("^")) throw new Error(`schema pattern ${pattern} is not anchored`);
  return pattern.endsWith("$") ? pattern : `${pattern}[\\s\\S]*$`;
}

/** `Mon` → `[Mm][Oo][Nn]`: RFC 2822 names are case-insensitive (RFC 2234 section 2.3). */
function caseless(word: string): string {
  return [...word].map((c) => (c.toUpperCase() === c.toLowerCase() ? escapeRegex(c) : `[${c.toUpperCase()}${c.toLowerCase()}]`)).join("");
}

const defs = common.$defs;

/** Account, Call and Stream SID patterns (schemas/common.schema.json). */
export const SID_PATTERN = {
  account: defs.accountSid.pattern,
  call: defs.callSid.pattern,
  stream: defs.streamSid.pattern,
} as const;

/** Enum patterns (schemas/common.schema.json). */
export const ENUM_PATTERN = {
  streamStatus: enumPattern(defs.streamStatus.enum),
  updateStatus: enumPattern(defs.updateStatus.enum),
  track: enumPattern(defs.track.enum),
  httpMethod: enumPattern(defs.httpMethod.enum),
} as const;

const WSP = "[ \\t]";
const anyName = (names: readonly string[]): string => `(?:${names.map(caseless).join("|")})`;

/**
 * The shape of an RFC 2822 section 3.3 date-time (format `date-time-rfc-2822`), built from the
 * day and month names of src/validators/formats/rfc2822.ts:
 *
 *     [FWS] [day-name "," [FWS]] 1*2DIGIT FWS month-name FWS 4DIGIT FWS
 *     2DIGIT ":" 2DIGIT [":" 2DIGIT] FWS ("+" / "-") 4DIGIT [[FWS] "(" comment ")"] [FWS]
 *
 * It accepts every date-time the schema accepts. It checks names, digit counts and separators,
 * not values: field ranges, whether the date exists, the weekday, and years before 1900 are the
 * schema's checks (`verify` runs them). A comment is only checked to start with "(" and end with ")".
 */
export const RFC2822_DATE_TIME_PATTERN =
  `^${WSP}*(?:${anyName(DAY_NAMES)},${WSP}*)?[0-9]{1,2}${WSP}+${anyName(MONTH_NAMES)}${WSP}+[0-9]{4}${WSP}+` +
  `[0-9]{2}:[0-9]{2}(?::[0-9]{2})?${WSP}+[+-][0-9]{4}(?:${WSP}*\\([^\\r\\n]*\\))?${WSP}*$`;

/**
 * The shape of `wss-url` (CreateStream's Url): a `wss://` scheme (any case), then no white
 * space and no fragment. Weaker than the schema, which also checks RFC 3986 characters and the host.
 */
export const WSS_URL_PATTERN = `^${caseless("wss")}://[^\\s#]+$`;

/** The shape of `http-url` (StatusCallback, more_info): `http://` or `https://`, then no white space. */
export const HTTP_URL_PATTERN = `^${caseless("http")}[Ss]?://\\S+$`;

/**
 * A Stream's `uri`: the schema's pattern (schemas/stream.schema.json) as a whole-value match. The
 * schema's is a prefix (`^/2010-04-01/`), so the rest is allowed explicitly.
 */
const STREAM_URI_PATTERN = wholeValue(stream.properties.uri.pattern);

export { BASIC_AUTHORIZATION_PATTERN };

/**
 * The first three base64 characters of `user:password` when the user starts with a SID of
 * `pattern` (`AC` or `SK` and a digit of the pattern's class): three bytes are four base64
 * characters, and the third of those depends only on the high bits of the digit.
 */
function basicUserStarts(sid: { readonly pattern: string; readonly minLength: number }): string[] {
  const pattern = new RegExp(sid.pattern);
  const prefix = sid.pattern.slice(1, 3);
  const digits = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) =>
    pattern.test(prefix + c.repeat(sid.minLength - 2)),
  );
  return [
    ...new Set(
      digits.map((c) =>
        Buffer.from(prefix + c)
          .toString("base64")
          .slice(0, 3),
      ),
    ),
  ];
}

/**
 * Basic credentials of the two kinds Twilio takes: the user is an Account SID (with the auth
 * token) or an API key SID (with its secret). In base64 that is one of a few three-character
 * starts (`QUM`, `QUN`: "AC" and a digit; `U0s`, `U0t`: "SK" and a digit), then any base64.
 * Credentials of another user (the contract's invalid-credentials example) do not match, so that
 * a Pact stub tells that interaction from the others.
 */
export const TWILIO_BASIC_AUTHORIZATION_PATTERN = `^Basic (?:${[...basicUserStarts(common.$defs.accountSid), ...basicUserStarts(common.$defs.apiKeySid)].map(escapeRegex).join("|")})[A-Za-z0-9+/]*={0,2}$`;

/** The form media type, with optional parameters. */
export const FORM_CONTENT_TYPE_PATTERN = "^application/x-www-form-urlencoded(?:;.*)?$";

/** The JSON media type, with optional parameters (Twilio sends `; charset=utf-8`). */
export const JSON_CONTENT_TYPE_PATTERN = "^application/json(?:;.*)?$";

/** A path segment: a Stream SID or a Stream name. */
const SEGMENT = "[^/]+";

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json` with the schema's SID patterns. */
export const CREATE_STREAM_PATH_PATTERN = `^${fillPathTemplate("CreateStream", { AccountSid: unanchored(SID_PATTERN.account), CallSid: unanchored(SID_PATTERN.call) }, escapeRegex)}$`;

/** CREATE_STREAM_PATH_PATTERN for one call only (the contract's missing call). */
export function createStreamPathPatternFor(callSid: string): string {
  return `^${fillPathTemplate("CreateStream", { AccountSid: unanchored(SID_PATTERN.account), CallSid: escapeRegex(callSid) }, escapeRegex)}$`;
}

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json`, Sid a Stream SID. */
export const STREAM_PATH_BY_SID_PATTERN = `^${fillPathTemplate("UpdateStream", { AccountSid: unanchored(SID_PATTERN.account), CallSid: unanchored(SID_PATTERN.call), Sid: unanchored(SID_PATTERN.stream) }, escapeRegex)}$`;

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json`, Sid a SID or a name. */
export const STREAM_PATH_PATTERN = `^${fillPathTemplate("UpdateStream", { AccountSid: unanchored(SID_PATTERN.account), CallSid: unanchored(SID_PATTERN.call), Sid: SEGMENT }, escapeRegex)}$`;

// ---------------------------------------------------------------------------------------------
// Matchers

/** A value matching `regex`, with `example` (which must match it: checked here). */
export function regex(pattern: string, example: string): RegexMatcher {
  if (!new RegExp(pattern).test(example)) throw new Error(`example ${JSON.stringify(example)} does not match ${pattern}`);
  return { "pact:matcher:type": "regex", regex: pattern, value: example };
}

/** Any string (e.g. a Stream name, a custom parameter). */
export function anyString(example: string): TypeMatcher<string> {
  return { "pact:matcher:type": "type", value: example };
}

/** Any integer (e.g. the Twilio error code of a 400, which the contract leaves open). */
export function anyInteger(example: number): IntegerMatcher {
  return { "pact:matcher:type": "integer", value: example };
}

/** JSON null (e.g. the `name` of a Stream created without one). */
export function nullValue(): NullMatcher {
  return { "pact:matcher:type": "null", value: null };
}

/**
 * Any 2xx status, `example` being the one the mock server answers. Twilio's OpenAPI document says
 * 200 for CreateStream today (201 from 2022-02 to 2025-02): the example is 200, and the contract
 * accepts both (and any 2xx).
 */
export function successStatus(example: number): StatusClassMatcher {
  return { "pact:matcher:type": "statusCode", status: "success", value: example };
}

/** A request path matched by `pattern`, regenerated by the verifier from the state's params. */
export function pathFromState(pattern: string, expression: string, example: string): ProviderStateMatcher {
  return fromState(regex(pattern, example), expression);
}

/**
 * `matcher`, its value regenerated by the verifier from the state's params (`${name}`); when
 * the state's answer lacks the param, the example stays.
 */
export function fromState(matcher: RegexMatcher, expression: string): ProviderStateMatcher {
  return { ...matcher, "pact:generator:type": "ProviderState", expression };
}

/** Matchers for each schema rule, with the schema's own example when none is given. */
export const match = {
  accountSid: (example: string = defs.accountSid.examples[0]!) => regex(SID_PATTERN.account, example),
  callSid: (example: string = defs.callSid.examples[0]!) => regex(SID_PATTERN.call, example),
  streamSid: (example: string = defs.streamSid.examples[0]!) => regex(SID_PATTERN.stream, example),
  updateStatus: (example: string = defs.updateStatus.enum[0]!) => regex(ENUM_PATTERN.updateStatus, example),
  track: (example: string) => regex(ENUM_PATTERN.track, example),
  httpMethod: (example: string) => regex(ENUM_PATTERN.httpMethod, example),
  rfc2822DateTime: (example: string = defs.rfc2822DateTime.examples[0]!) => regex(RFC2822_DATE_TIME_PATTERN, example),
  wssUrl: (example: string = defs.mediaStreamUrl.examples[0]!) => regex(WSS_URL_PATTERN, example),
  httpUrl: (example: string = defs.callbackUrl.examples[0]!) => regex(HTTP_URL_PATTERN, example),
  streamUri: (example: string) => regex(STREAM_URI_PATTERN, example),
  basicAuthorization: (example: string) => regex(TWILIO_BASIC_AUTHORIZATION_PATTERN, example),
  /** Exactly `example` (a fixed, fake value that no other interaction's matcher takes). */
  exactly: (example: string) => regex(`^${escapeRegex(example)}$`, example),
} as const;

// ---------------------------------------------------------------------------------------------
// Media Streams (schemas/twilio-media-message.schema.json)

const mediaDefs = twilioMediaMessage.$defs;

/** The decimal-string counters, the media track and the DTMF digit of the Media Streams messages. */
export const MEDIA_PATTERN = {
  sequenceNumber: mediaDefs.sequenceNumber.pattern,
  chunk: mediaDefs.chunk.pattern,
  timestamp: mediaDefs.timestamp.pattern,
  dtmfDigit: mediaDefs.dtmf.properties.dtmf.properties.digit.pattern,
} as const;

/**
 * The shape of `mulaw-base64` (a media `payload`): padded base64 of one byte or more (RFC 4648
 * section 4). Weaker than the schema, which also refuses an audio file header (a regex without
 * look-ahead cannot say "does not start with", and Rust's has none).
 */
const MULAW_BASE64_PATTERN = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$";

/** Matchers of the Media Streams message fields. */
export const mediaMatch = {
  sequenceNumber: (example: string) => regex(MEDIA_PATTERN.sequenceNumber, example),
  chunk: (example: string) => regex(MEDIA_PATTERN.chunk, example),
  timestamp: (example: string) => regex(MEDIA_PATTERN.timestamp, example),
  dtmfDigit: (example: string) => regex(MEDIA_PATTERN.dtmfDigit, example),
  payload: (example: string) => regex(MULAW_BASE64_PATTERN, example),
} as const;
