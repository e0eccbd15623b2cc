/**
 * Whole Stream resources (schemas/stream.schema.json), valid and broken in exactly one field.
 */
import fc from "fast-check";
import { streamPath } from "../contract/paths.js";
import type { Stream, StreamStatus } from "../validators/generated/types.js";
import { nestSample } from "./_internals/pointer.js";
import { STREAM_FIELDS } from "./_internals/schema.js";
import type { InvalidSample } from "./invalid-sample.js";
import { invalidRfc2822DateTime, rfc2822DateTime } from "./rfc2822.js";
import { invalidSid, sid } from "./sid.js";
import { invalidStreamStatus, streamStatus } from "./status.js";

/** Options of {@link stream}. @public */
export interface StreamOptions {
  /** The `account_sid` of every sample (a generated Account SID by default). */
  readonly accountSid?: string;
  /** The `call_sid` of every sample. */
  readonly callSid?: string;
  /** The `sid` of every sample. */
  readonly sid?: string;
  /** The `name` of every sample (a name or `null` by default). */
  readonly name?: string | null;
  /** The `status` of every sample. */
  readonly status?: StreamStatus;
  /**
   * `"twilio"` (default): what Twilio sends — SIDs, a canonical `date_updated`, `uri` the
   * resource's path, only `name` may be null. `"schema"`: anything the schema accepts — also
   * `null` wherever it allows, every section 3.3 `date_updated`, and unknown extra fields.
   * Fields fixed by the options above are never nulled.
   */
  readonly shape?: "twilio" | "schema";
}

/**
 * A Stream name: what CreateStream's `Name` sets and UpdateStream may stop by. Any non-empty
 * string (Unicode included; the resource path URL-encodes it).
 * @public
 */
export function streamName(): fc.Arbitrary<string> {
  return fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/), fc.string({ unit: "grapheme", minLength: 1, maxLength: 32 }));
}

const NULLABLE_FIELDS = ["sid", "account_sid", "call_sid", "name", "date_updated", "uri"] as const;

/** Fields Twilio may add later: any name the schema does not know, any JSON value. */
function extraFields(): fc.Arbitrary<Record<string, unknown>> {
  const known = new Set<string>(STREAM_FIELDS);
  const key = fc.stringMatching(/^[a-z][a-z_]{0,15}$/).filter((k) => !known.has(k));
  return fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
}

/**
 * Valid Stream resources. `uri` is the resource's own path (streamPath of its SIDs), so the
 * samples can stand for a server's answer.
 * @example
 *   fc.assert(fc.property(stream({ callSid }), (resource) => isStream(resource)));
 * @public
 */
export function stream(options?: StreamOptions): fc.Arbitrary<Stream> {
  const o = options ?? {};
  const wholeSchema = o.shape === "schema";
  const fixed = <T>(value: T | undefined, otherwise: fc.Arbitrary<T>): fc.Arbitrary<T> =>
    value === undefined ? otherwise : fc.constant(value);
  const fixedFields = new Set<string>(
    [
      o.sid !== undefined && "sid",
      o.accountSid !== undefined && "account_sid",
      o.callSid !== undefined && "call_sid",
      o.name !== undefined && "name",
    ].filter((f): f is string => f !== false),
  );
  // In the schema shape about one sample in five has null fields (any of the nullable ones).
  const nulls = wholeSchema
    ? fc.subarray(NULLABLE_FIELDS.filter((f) => !fixedFields.has(f))).map((fields) => new Set<string>(fields))
    : fc.constant(new Set<string>());
  return fc
    .record({
      account_sid: fixed(o.accountSid, sid("account")),
      call_sid: fixed(o.callSid, sid("call")),
      sid: fixed(o.sid, sid("stream")),
      name: fixed<string | null>(o.name, fc.option(streamName(), { nil: null })),
      status: fixed(o.status, streamStatus()),
      date_updated: wholeSchema ? rfc2822DateTime() : rfc2822DateTime({ syntax: "twilio" }),
      nulls: fc.oneof({ weight: 4, arbitrary: fc.constant(new Set<string>()) }, { weight: 1, arbitrary: nulls }),
      extra: wholeSchema ? extraFields() : fc.constant({}),
    })
    .map(({ nulls: nulled, extra, ...fields }) => {
      const resource: Record<string, unknown> = { ...extra, ...fields, uri: streamPath(fields.account_sid, fields.call_sid, fields.sid) };
      for (const field of nulled) resource[field] = null;
      return resource as unknown as Stream;
    });
}

/** Values of the wrong JSON type for a string field. */
const wrongType = fc.oneof(
  fc.integer().map((v) => ({ value: v as unknown, reason: "a number" })),
  fc.boolean().map((v) => ({ value: v as unknown, reason: "a boolean" })),
  fc.constant({ value: {} as unknown, reason: "an object" }),
  fc.constant({ value: [] as unknown, reason: "an array" }),
);

/** A broken value of one field (path `""`, nested below). */
type FieldBreak = InvalidSample<unknown>;

const asBreak = (sample: InvalidSample<string>): FieldBreak => sample;

/** How each field can be broken, besides being left out or of the wrong type. */
const FIELD_BREAKS: Readonly<Record<string, fc.Arbitrary<FieldBreak>>> = {
  sid: invalidSid("stream").map(asBreak),
  account_sid: invalidSid("account").map(asBreak),
  call_sid: invalidSid("call").map(asBreak),
  status: fc.oneof(
    invalidStreamStatus().map(asBreak),
    fc.constant<FieldBreak>({ value: null, reason: "null status (not nullable)", path: "" }),
  ),
  date_updated: invalidRfc2822DateTime().map(asBreak),
  uri: fc.oneof(
    sid("account").map((a) => ({
      value: `https://api.twilio.com/2010-04-01/Accounts/${a}.json`,
      reason: "absolute URL, not a path",
      path: "",
    })),
    sid("account").map((a) => ({ value: `2010-04-01/Accounts/${a}.json`, reason: "no leading slash", path: "" })),
    sid("account").map((a) => ({ value: `/2010-04-02/Accounts/${a}.json`, reason: "another API version", path: "" })),
    fc.constant({ value: "", reason: "empty", path: "" }),
  ),
};

/**
 * Stream resources broken in exactly one field, with the reason and the field's path (`/sid`,
 * `/date_updated` …): a malformed SID, an unknown status or a null one, a date-time that is not
 * RFC 2822, a `uri` that is not an API path, a field left out, or a value of the wrong type.
 * @public
 */
export function invalidStream(): fc.Arbitrary<InvalidSample<Record<string, unknown>>> {
  const breakOf = (name: string): fc.Arbitrary<FieldBreak | "missing"> =>
    fc.oneof(
      { weight: 3, arbitrary: FIELD_BREAKS[name] ?? wrongType.map((w) => ({ ...w, path: "" })) },
      { weight: 1, arbitrary: fc.constant("missing" as const) },
      { weight: 1, arbitrary: wrongType.map((w) => ({ ...w, reason: `${w.reason}, not a string`, path: "" })) },
    );
  const fieldBreak = fc.oneof(...STREAM_FIELDS.map((name) => breakOf(name).map((b) => [name, b] as const)));
  return fc.tuple(stream(), fieldBreak).map(([resource, [name, broken]]) => {
    const value: Record<string, unknown> = { ...resource };
    if (broken === "missing") {
      delete value[name];
      return { value, reason: `missing ${name}`, path: `/${name}` };
    }
    value[name] = broken.value;
    return nestSample(`/${name}`, { value, reason: broken.reason, path: broken.path });
  });
}
