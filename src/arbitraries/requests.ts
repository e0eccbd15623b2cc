/**
 * CreateStream and UpdateStream requests: `{ path, body }` as the request validators and the
 * schemas take them, the body one string per form field.
 *
 *     CreateStream  POST …/Calls/{CallSid}/Streams.json        Url=…&Name=…&Parameter1.Name=…
 *     UpdateStream  POST …/Calls/{CallSid}/Streams/{Sid}.json  Status=stopped
 */
import fc from "fast-check";
import type { CreateStreamRequest, UpdateStreamRequest } from "../validators/generated/types.js";
import { nestSample } from "./_internals/pointer.js";
import { pointerToken } from "../lib/json.js";
import { CREATE_BODY_FIELDS, PARAMETER_FIELD_PATTERN, PARAMETER_RANGE } from "./_internals/schema.js";
import { invalidStatusCallbackMethod, statusCallbackMethod } from "./http-method.js";
import type { InvalidSample } from "./invalid-sample.js";
import { invalidSid, sid } from "./sid.js";
import { invalidUpdateStatus, updateStatus } from "./status.js";
import { streamName } from "./stream.js";
import { invalidTrack, track } from "./track.js";
import { callbackUrl, invalidCallbackUrl, invalidMediaStreamUrl, mediaStreamUrl } from "./url.js";

/** A form body: one string per field. @public */
export type FormBody = Record<string, string>;

/** A request as the invalid generators yield it: path parameters and form fields, any of them possibly wrong. @public */
export interface RequestSample {
  readonly path: Record<string, string>;
  readonly body: FormBody;
}

/**
 * A valid CreateStream request: the schema's type, and a {@link RequestSample} (string fields)
 * so that its body fits any `Record<string, string>` API.
 * @public
 */
export type CreateStreamRequestSample = CreateStreamRequest & RequestSample;

/** A valid UpdateStream request: the schema's type and a {@link RequestSample}. @public */
export type UpdateStreamRequestSample = UpdateStreamRequest & RequestSample;

/**
 * Encodes a form body as `application/x-www-form-urlencoded`, fields in their order
 * (undefined fields are left out).
 * @example
 *   formEncode({ Url: "wss://example.com/media" }) // "Url=wss%3A%2F%2Fexample.com%2Fmedia"
 * @public
 */
export function formEncode(body: object): string {
  const params = new URLSearchParams();
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (typeof value !== "string") throw new TypeError(`form field ${field} must be a string, got ${typeof value}`);
    params.append(field, value);
  }
  return params.toString();
}

/** Options of {@link createStreamRequest}. @public */
export interface CreateStreamRequestOptions {
  /** The `AccountSid` path parameter of every sample. */
  readonly accountSid?: string;
  /** The `CallSid` path parameter of every sample. */
  readonly callSid?: string;
  /** At most this many `ParameterN` pairs (default 3; the contract allows N from 1 to 99). */
  readonly maxParameters?: number;
}

/** Form values: any well-formed Unicode text (a form round-trips it through UTF-8). */
const formText = fc.string({ unit: "grapheme", maxLength: 20 });

/** ParameterN.Name [ParameterN.Value], N in PARAMETER_RANGE (1..99): N unique, in increasing order. */
function parameters(maxCount: number): fc.Arbitrary<FormBody> {
  const pair = fc.record({
    n: fc.integer(PARAMETER_RANGE),
    name: formText,
    value: fc.option(formText, { nil: undefined, freq: 5 }),
  });
  return fc.uniqueArray(pair, { selector: (p) => p.n, maxLength: maxCount }).map((pairs) => {
    const body: FormBody = {};
    for (const { n, name, value } of [...pairs].sort((a, b) => a.n - b.n)) {
      body[`Parameter${n}.Name`] = name;
      if (value !== undefined) body[`Parameter${n}.Value`] = value;
    }
    return body;
  });
}

/** CreateStream body fields besides Url and the parameters, each optional. */
function optionalCreateFields() {
  return fc.record(
    {
      Name: streamName(),
      Track: track(),
      StatusCallback: callbackUrl(),
      StatusCallbackMethod: statusCallbackMethod(),
    },
    { requiredKeys: [] },
  );
}

/**
 * Valid CreateStream requests: path `{ AccountSid, CallSid }` and a body with `Url` and any of
 * `Name`, `Track`, `StatusCallback`, `StatusCallbackMethod` and `ParameterN.Name`/`.Value`
 * pairs (a Name without its Value is allowed). `formEncode(sample.body)` gives the wire form.
 * @example
 *   fc.assert(fc.property(createStreamRequest(), ({ path, body }) =>
 *     validateCreateStreamRequest({ path, body: formEncode(body) }).valid));
 * @public
 */
export function createStreamRequest(options?: CreateStreamRequestOptions): fc.Arbitrary<CreateStreamRequestSample> {
  // Every field is a string of the schema's shape: the generated type holds.
  return createStreamSample(options).map((r) => r as CreateStreamRequestSample);
}

function createStreamSample(options?: CreateStreamRequestOptions): fc.Arbitrary<RequestSample> {
  const accountSid = options?.accountSid === undefined ? sid("account") : fc.constant(options.accountSid);
  const callSid = options?.callSid === undefined ? sid("call") : fc.constant(options.callSid);
  return fc
    .record({
      AccountSid: accountSid,
      CallSid: callSid,
      Url: mediaStreamUrl(),
      optional: optionalCreateFields(),
      parameters: parameters(options?.maxParameters ?? 3),
    })
    .map(({ AccountSid, CallSid, Url, optional, parameters: params }) => {
      const body: FormBody = { Url };
      for (const [field, value] of Object.entries(optional)) if (value !== undefined) body[field] = value;
      return { path: { AccountSid, CallSid }, body: { ...body, ...params } };
    });
}

/** Field names the CreateStream body does not know: misspellings and out-of-range parameters. */
const UNKNOWN_CREATE_FIELDS = [
  "Status",
  "Tracks",
  "StatusCallbackEvent",
  "StatusCallBack",
  "Parameter0.Name",
  "Parameter100.Name",
  "Parameter01.Value",
  "Parameter1.name",
  "Parameter1",
  "Parameter.Name",
  "parameter1.Name",
  "Url ",
  "",
];

const parameterField = new RegExp(PARAMETER_FIELD_PATTERN);
const knownCreateField = (field: string) => CREATE_BODY_FIELDS.includes(field) || parameterField.test(field);

/** A request sample broken at `path` under `/body` or `/path`. */
function broken(value: RequestSample, reason: string, path: string): InvalidSample<RequestSample> {
  return { value, reason, path };
}

/** Path-parameter breaks shared by both operations. */
function invalidPathParameters<R extends RequestSample>(base: fc.Arbitrary<R>): fc.Arbitrary<InvalidSample<RequestSample>>[] {
  return [
    fc
      .tuple(base, invalidSid("account"))
      .map(([r, s]) => nestSample("/path/AccountSid", { ...s, value: { ...r, path: { ...r.path, AccountSid: s.value } } })),
    fc
      .tuple(base, invalidSid("call"))
      .map(([r, s]) => nestSample("/path/CallSid", { ...s, value: { ...r, path: { ...r.path, CallSid: s.value } } })),
    fc.tuple(base, fc.constantFrom("AccountSid", "CallSid")).map(([r, name]) => {
      const path = { ...r.path };
      delete path[name];
      return broken({ ...r, path }, `missing ${name}`, `/path/${name}`);
    }),
  ];
}

/** A sample with `field` of the body set to `value`. */
function withField(r: RequestSample, field: string, value: string): RequestSample {
  return { ...r, body: { ...r.body, [field]: value } };
}

/** A sample without `fields` in its body. */
function withoutFields(r: RequestSample, ...fields: string[]): RequestSample {
  const body = { ...r.body };
  for (const field of fields) delete body[field];
  return { ...r, body };
}

/** Sets the body field `field` to each invalid value of `values`. */
function breakField(base: fc.Arbitrary<RequestSample>, field: string, values: fc.Arbitrary<InvalidSample<string>>) {
  return fc.tuple(base, values).map(([r, s]) => nestSample(`/body/${field}`, { ...s, value: withField(r, field, s.value) }));
}

/**
 * CreateStream requests broken by exactly one rule, with the reason and the path of the error
 * (`/body/Url`, `/body/Parameter3.Value`, `/path/CallSid` …): an invalid or missing `Url`, an
 * invalid `Track`, `StatusCallback` or `StatusCallbackMethod`, a `ParameterN.Value` without
 * its Name, an unknown field (misspelt, lower-case, `Parameter0`, `Parameter100` …), a
 * malformed or missing SID in the path, an unknown path parameter.
 * @public
 */
export function invalidCreateStreamRequest(): fc.Arbitrary<InvalidSample<RequestSample>> {
  const base = createStreamSample();
  const unknownField = fc.oneof(
    fc.constantFrom(...UNKNOWN_CREATE_FIELDS),
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9._~/-]{0,15}$/).filter((f) => !knownCreateField(f)),
  );
  return fc.oneof(
    breakField(base, "Url", invalidMediaStreamUrl()),
    base.map((r) => broken(withoutFields(r, "Url"), "missing Url", "/body/Url")),
    breakField(base, "Track", invalidTrack()),
    breakField(base, "StatusCallback", invalidCallbackUrl()),
    breakField(base, "StatusCallbackMethod", invalidStatusCallbackMethod()),
    fc
      .tuple(base, fc.integer(PARAMETER_RANGE), formText)
      .map(([r, n, value]) =>
        broken(
          withField(withoutFields(r, `Parameter${n}.Name`, `Parameter${n}.Value`), `Parameter${n}.Value`, value),
          "ParameterN.Value without its Name",
          `/body/Parameter${n}.Value`,
        ),
      ),
    fc
      .tuple(base, unknownField, formText)
      .map(([r, field, value]) => broken(withField(r, field, value), "unknown field", `/body/${pointerToken(field)}`)),
    fc
      .tuple(base, fc.constantFrom("Name", "Track", "StatusCallback", "StatusCallbackMethod"), optionalCreateFields())
      .map(([r, field, valid]) => {
        const lower = field[0]!.toLowerCase() + field.slice(1);
        const value = (valid as Record<string, string | undefined>)[field] ?? "x";
        return broken(withField(withoutFields(r, field), lower, value), "lower-case field name", `/body/${lower}`);
      }),
    ...invalidPathParameters(base),
    fc
      .tuple(base, fc.constantFrom("Sid", "accountSid", "Account"))
      .map(([r, name]) => broken({ ...r, path: { ...r.path, [name]: "x" } }, "unknown path parameter", `/path/${name}`)),
  );
}

/** Options of {@link updateStreamRequest}. @public */
export interface UpdateStreamRequestOptions {
  /** The `AccountSid` path parameter of every sample. */
  readonly accountSid?: string;
  /** The `CallSid` path parameter of every sample. */
  readonly callSid?: string;
  /** The `Sid` path parameter of every sample: the Stream's SID or its name. */
  readonly sid?: string;
  /** Stop the Stream by its SID, by its name, or either (default). Ignored when `sid` is given. */
  readonly by?: "sid" | "name" | "either";
}

/**
 * Valid UpdateStream requests: path `{ AccountSid, CallSid, Sid }` — Sid a Stream SID or a
 * name — and the body `{ Status: "stopped" }`.
 * @public
 */
export function updateStreamRequest(options?: UpdateStreamRequestOptions): fc.Arbitrary<UpdateStreamRequestSample> {
  return updateStreamSample(options).map((r) => r as UpdateStreamRequestSample);
}

function updateStreamSample(options?: UpdateStreamRequestOptions): fc.Arbitrary<RequestSample> {
  const by = options?.by ?? "either";
  const target =
    options?.sid !== undefined
      ? fc.constant(options.sid)
      : by === "sid"
        ? sid("stream")
        : by === "name"
          ? streamName()
          : fc.oneof(sid("stream"), streamName());
  return fc
    .record({
      AccountSid: options?.accountSid === undefined ? sid("account") : fc.constant(options.accountSid),
      CallSid: options?.callSid === undefined ? sid("call") : fc.constant(options.callSid),
      Sid: target,
      Status: updateStatus(),
    })
    .map(({ Status, ...path }) => ({ path, body: { Status } }));
}

/**
 * UpdateStream requests broken by exactly one rule, with the reason and the path of the error:
 * a `Status` other than `stopped` or none, an unknown body field, an empty `Sid`, a malformed or
 * missing SID in the path.
 * @public
 */
export function invalidUpdateStreamRequest(): fc.Arbitrary<InvalidSample<RequestSample>> {
  const base = updateStreamSample();
  return fc.oneof(
    breakField(base, "Status", invalidUpdateStatus()),
    base.map((r) => broken(withoutFields(r, "Status"), "missing Status", "/body/Status")),
    fc
      .tuple(base, fc.constantFrom("Url", "Name", "status", "StatusCallback", "Parameter1.Name"), formText)
      .map(([r, field, value]) => broken(withField(r, field, value), "unknown field", `/body/${field}`)),
    base.map((r) => broken({ ...r, path: { ...r.path, Sid: "" } }, "empty Sid", "/path/Sid")),
    base.map((r) => {
      const path = { ...r.path };
      delete path.Sid;
      return broken({ ...r, path }, "missing Sid", "/path/Sid");
    }),
    ...invalidPathParameters(base),
  );
}
