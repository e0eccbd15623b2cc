/**
 * Every arbitrary of `twilio-stream-contract/arbitraries` against the production validators:
 * valid samples are accepted, invalid ones rejected with every error at the sample's path —
 * for generated values and for the values shrinking visits, the same for the same seed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as arbitraries from "../../src/arbitraries/index.js";
import {
  type InvalidSample,
  invalidCallbackUrl,
  invalidCreateStreamRequest,
  invalidIso8601DateTime,
  invalidMediaStreamUrl,
  invalidRfc2822DateTime,
  invalidSid,
  invalidStatusCallbackMethod,
  invalidStream,
  invalidStreamStatus,
  invalidStreamStatusCallback,
  invalidTrack,
  invalidUpdateStatus,
  invalidUpdateStreamRequest,
  type SidKind,
} from "../../src/arbitraries/index.js";
import {
  type ContractIssue,
  isAccountSid,
  isCallSid,
  isRfc2822DateTime,
  isStreamSid,
  type ValidationResult,
  validateCreateStreamRequest,
  validateStream,
  validateStreamStatusCallback,
  validateUpdateStreamRequest,
} from "../../src/index.js";
import { isApiKeySid } from "../../src/validators/sid.js";
import { assertArbitrary, assertShrinkWithoutContext } from "./_helpers/arbitrary-assertions.js";
import { MEDIA_INVALID, MEDIA_VALID } from "./_helpers/media-arbitraries.js";

const A = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const C = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const S = "MZaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
/** A valid Stream to put one generated field into. */
const STREAM = {
  account_sid: A,
  call_sid: C,
  sid: S,
  name: null,
  status: "in-progress",
  date_updated: "Thu, 30 Jul 2015 20:00:00 +0000",
  uri: "/2010-04-01/x",
};
const URL_ONLY = { Url: "wss://example.com/media" };
/** A valid status callback to put one generated field into. */
const CALLBACK = { AccountSid: A, CallSid: C, StreamSid: S, StreamEvent: "stream-started", Timestamp: "2026-01-01T00:00:00.000Z" };

const IS_SID: Record<SidKind, (value: unknown) => boolean> = {
  account: isAccountSid,
  call: isCallSid,
  stream: isStreamSid,
  apiKey: isApiKeySid,
};

/** Rejected, and every issue at the sample's path: the sample breaks exactly what it says. */
function rejectedAt(result: ValidationResult<unknown>, path: string): boolean {
  if (result.valid) return false;
  const elsewhere = result.issues.filter((e: ContractIssue) => e.path !== path);
  expect(elsewhere, `issues other than at ${JSON.stringify(path)}`).toEqual([]);
  return result.issues.length > 0;
}

/** An arbitrary and what its values must satisfy, types erased so that one table holds all. */
interface Checked {
  readonly arb: fc.Arbitrary<unknown>;
  readonly holds: (value: unknown) => boolean;
}
function checked<T>(arb: fc.Arbitrary<T>, holds: (value: T) => boolean): Checked {
  return { arb, holds: (value) => holds(value as T) };
}

/** What each valid arbitrary must satisfy. */
const VALID: Record<string, Checked> = {
  "sid(account)": checked(arbitraries.sid("account"), isAccountSid),
  "sid(call)": checked(arbitraries.sid("call"), isCallSid),
  "sid(stream)": checked(arbitraries.sid("stream"), isStreamSid),
  "sid(apiKey)": checked(arbitraries.sid("apiKey"), isApiKeySid),
  streamStatus: checked(arbitraries.streamStatus(), (status: string) => validateStream({ ...STREAM, status }).valid),
  updateStatus: checked(arbitraries.updateStatus(), (Status: string) => validateUpdateStreamRequest({ body: { Status } }).valid),
  track: checked(arbitraries.track(), (Track: string) => validateCreateStreamRequest({ body: { ...URL_ONLY, Track } }).valid),
  statusCallbackMethod: checked(
    arbitraries.statusCallbackMethod(),
    (StatusCallbackMethod: string) => validateCreateStreamRequest({ body: { ...URL_ONLY, StatusCallbackMethod } }).valid,
  ),
  "rfc2822DateTime(twilio)": checked(arbitraries.rfc2822DateTime({ syntax: "twilio" }), (text: string) => isRfc2822DateTime(text)),
  "rfc2822DateTime(strict)": checked(arbitraries.rfc2822DateTime(), (text: string) => isRfc2822DateTime(text)),
  "rfc2822DateTime(obsolete)": checked(arbitraries.rfc2822DateTime({ syntax: "obsolete" }), (text: string) =>
    isRfc2822DateTime(text, { obsolete: true }),
  ),
  rfc2822DateTimeWithInstant: checked(arbitraries.rfc2822DateTimeWithInstant({ syntax: "obsolete" }), (s: arbitraries.Rfc2822Sample) =>
    isRfc2822DateTime(s.text, { obsolete: true }),
  ),
  mediaStreamUrl: checked(arbitraries.mediaStreamUrl(), (Url: string) => validateCreateStreamRequest({ body: { Url } }).valid),
  callbackUrl: checked(
    arbitraries.callbackUrl(),
    (StatusCallback: string) => validateCreateStreamRequest({ body: { ...URL_ONLY, StatusCallback } }).valid,
  ),
  streamName: checked(
    arbitraries.streamName(),
    (Name: string) => validateCreateStreamRequest({ body: { ...URL_ONLY, Name } }).valid && Name.length > 0,
  ),
  "stream(twilio)": checked(arbitraries.stream(), (value: unknown) => validateStream(value).valid),
  "stream(schema)": checked(arbitraries.stream({ shape: "schema" }), (value: unknown) => validateStream(value).valid),
  createStreamRequest: checked(
    arbitraries.createStreamRequest(),
    (r) => validateCreateStreamRequest({ path: r.path, body: arbitraries.formEncode(r.body) }).valid,
  ),
  updateStreamRequest: checked(
    arbitraries.updateStreamRequest(),
    (r) => validateUpdateStreamRequest({ path: r.path, body: arbitraries.formEncode(r.body) }).valid,
  ),
  iso8601DateTime: checked(
    arbitraries.iso8601DateTime(),
    (Timestamp: string) => validateStreamStatusCallback({ ...CALLBACK, Timestamp }).valid,
  ),
  // As a POST body and as a GET query string.
  streamStatusCallback: checked(
    arbitraries.streamStatusCallback(),
    (p) =>
      validateStreamStatusCallback(new URLSearchParams({ ...p }).toString()).valid &&
      validateStreamStatusCallback(`?${new URLSearchParams({ ...p }).toString()}`).valid,
  ),
  ...MEDIA_VALID,
};

/** How each invalid arbitrary's samples are checked. */
const INVALID: Record<string, Checked> = {
  ...Object.fromEntries(
    (["account", "call", "stream", "apiKey"] as const).map((kind) => [
      `invalidSid(${kind})`,
      checked(invalidSid(kind), (s: InvalidSample<string>) => !IS_SID[kind](s.value)),
    ]),
  ),
  invalidStreamStatus: checked(invalidStreamStatus(), (s: InvalidSample<string>) =>
    rejectedAt(validateStream({ ...STREAM, status: s.value }), `/status${s.path}`),
  ),
  invalidUpdateStatus: checked(invalidUpdateStatus(), (s: InvalidSample<string>) =>
    rejectedAt(validateUpdateStreamRequest({ body: { Status: s.value } }), `/body/Status${s.path}`),
  ),
  invalidTrack: checked(invalidTrack(), (s: InvalidSample<string>) =>
    rejectedAt(validateCreateStreamRequest({ body: { ...URL_ONLY, Track: s.value } }), `/body/Track${s.path}`),
  ),
  invalidStatusCallbackMethod: checked(invalidStatusCallbackMethod(), (s: InvalidSample<string>) =>
    rejectedAt(
      validateCreateStreamRequest({ body: { ...URL_ONLY, StatusCallbackMethod: s.value } }),
      `/body/StatusCallbackMethod${s.path}`,
    ),
  ),
  "invalidRfc2822DateTime(strict)": checked(invalidRfc2822DateTime(), (s: InvalidSample<string>) => !isRfc2822DateTime(s.value)),
  "invalidRfc2822DateTime(obsolete)": checked(
    invalidRfc2822DateTime({ syntax: "obsolete" }),
    (s: InvalidSample<string>) => !isRfc2822DateTime(s.value, { obsolete: true }),
  ),
  invalidMediaStreamUrl: checked(invalidMediaStreamUrl(), (s: InvalidSample<string>) =>
    rejectedAt(validateCreateStreamRequest({ body: { Url: s.value } }), `/body/Url${s.path}`),
  ),
  invalidCallbackUrl: checked(invalidCallbackUrl(), (s: InvalidSample<string>) =>
    rejectedAt(validateCreateStreamRequest({ body: { ...URL_ONLY, StatusCallback: s.value } }), `/body/StatusCallback${s.path}`),
  ),
  invalidStream: checked(invalidStream(), (s: InvalidSample<Record<string, unknown>>) => rejectedAt(validateStream(s.value), s.path)),
  invalidCreateStreamRequest: checked(invalidCreateStreamRequest(), (s: InvalidSample<arbitraries.RequestSample>) =>
    rejectedAt(validateCreateStreamRequest({ path: s.value.path, body: arbitraries.formEncode(s.value.body) }), s.path),
  ),
  "invalidCreateStreamRequest(body alone)": checked(
    invalidCreateStreamRequest().filter((s) => s.path.startsWith("/body/")),
    (s) => rejectedAt(validateCreateStreamRequest({ body: s.value.body }), s.path),
  ),
  "invalidUpdateStreamRequest(body alone)": checked(
    invalidUpdateStreamRequest().filter((s) => s.path.startsWith("/body/")),
    (s) => rejectedAt(validateUpdateStreamRequest({ body: new URLSearchParams(arbitraries.formEncode(s.value.body)) }), s.path),
  ),
  invalidIso8601DateTime: checked(invalidIso8601DateTime(), (s: InvalidSample<string>) =>
    rejectedAt(validateStreamStatusCallback({ ...CALLBACK, Timestamp: s.value }), `/Timestamp${s.path}`),
  ),
  invalidStreamStatusCallback: checked(invalidStreamStatusCallback(), (s: InvalidSample<Record<string, string>>) =>
    rejectedAt(validateStreamStatusCallback(new URLSearchParams(s.value).toString()), s.path),
  ),
  invalidUpdateStreamRequest: checked(invalidUpdateStreamRequest(), (s: InvalidSample<arbitraries.RequestSample>) =>
    rejectedAt(validateUpdateStreamRequest({ path: s.value.path, body: arbitraries.formEncode(s.value.body) }), s.path),
  ),
  ...MEDIA_INVALID,
};

/** Every sample names a reason and a JSON Pointer (`""` or starting with "/"). */
function describesItself(sample: InvalidSample<unknown>): boolean {
  return sample.reason.length > 0 && (sample.path === "" || sample.path.startsWith("/"));
}

describe("valid arbitraries: accepted, deterministic, shrinking stays valid", () => {
  it.each(Object.entries(VALID))("%s", (_name, { arb, holds }) => {
    assertArbitrary(arb, holds);
  });
});

describe("invalid arbitraries: rejected at their path, deterministic, shrinking stays invalid", () => {
  it.each(Object.entries(INVALID))("%s", (_name, { arb, holds }) => {
    assertArbitrary(arb, (sample) => describesItself(sample as InvalidSample<unknown>) && holds(sample));
  });
});

describe("user-given values shrink (fc.assert examples)", () => {
  it.each([
    "sid(account)",
    "sid(call)",
    "sid(stream)",
    "streamStatus",
    "updateStatus",
    "track",
    "statusCallbackMethod",
    "rfc2822DateTime(twilio)",
    "streamName",
  ])("%s", (name) => {
    const { arb, holds } = VALID[name]!;
    assertShrinkWithoutContext(arb, holds);
  });
});

describe("the public API", () => {
  it("every exported arbitrary is checked here", () => {
    const factories = Object.entries(arbitraries).filter(([, value]) => typeof value === "function");
    const checked = new Set([...Object.keys(VALID), ...Object.keys(INVALID)].map((key) => key.replace(/\(.*\)$/, "")));
    const unchecked = factories.map(([name]) => name).filter((name) => name !== "formEncode" && !checked.has(name));
    expect(unchecked).toEqual([]);
  });

  it("each invalid generator covers every reason it documents (a few hundred samples see them all)", () => {
    const reasons = (arb: fc.Arbitrary<InvalidSample<unknown>>) => new Set(fc.sample(arb, 2000).map((s) => s.reason));
    expect(reasons(invalidSid("call"))).toEqual(
      new Set([
        "wrong prefix",
        "lower-case prefix",
        "one character too long",
        "one character too short",
        "non-hex character",
        "Unicode look-alike or full-width digit",
        "look-alike prefix letter",
        "leading whitespace",
        "trailing whitespace",
        "trailing newline",
        "trailing CRLF",
        "prefix only",
        "empty",
      ]),
    );
    const streamPaths = new Set(fc.sample(invalidStream(), 2000).map((s) => s.path));
    expect(streamPaths).toEqual(new Set(["/sid", "/account_sid", "/call_sid", "/name", "/status", "/date_updated", "/uri"]));

    const createReasons = reasons(invalidCreateStreamRequest());
    for (const reason of [
      "missing Url",
      "ParameterN.Value without its Name",
      "unknown field",
      "lower-case field name",
      "missing AccountSid",
      "unknown path parameter",
      "insecure ws:// scheme",
      "lower-case prefix",
    ]) {
      expect(createReasons).toContain(reason);
    }
    const createPaths = new Set(fc.sample(invalidCreateStreamRequest(), 2000).map((s) => s.path.replace(/\d+/, "N")));
    for (const path of [
      "/body/Url",
      "/body/Track",
      "/body/StatusCallback",
      "/body/StatusCallbackMethod",
      "/body/ParameterN.Value",
      "/path/AccountSid",
      "/path/CallSid",
    ]) {
      expect(createPaths).toContain(path);
    }
    expect(new Set(fc.sample(invalidUpdateStreamRequest(), 1000).map((s) => s.path))).toEqual(
      new Set([
        "/body/Status",
        "/body/Url",
        "/body/Name",
        "/body/status",
        "/body/StatusCallback",
        "/body/Parameter1.Name",
        "/path/Sid",
        "/path/AccountSid",
        "/path/CallSid",
      ]),
    );
    // 30 breaks valid under both syntaxes, 8 section 4.3 forms.
    expect(reasons(invalidRfc2822DateTime()).size).toBe(38);
    expect(reasons(invalidRfc2822DateTime({ syntax: "obsolete" })).size).toBe(30);
  });
});
