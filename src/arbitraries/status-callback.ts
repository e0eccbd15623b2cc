/**
 * Stream status callbacks: the parameters Twilio sends a Stream's StatusCallback
 * (schemas/stream-status-callback.schema.json), valid and broken in one field.
 */
import fc from "fast-check";
import type { StreamEvent, StreamStatusCallback } from "../validators/generated/types.js";
import { enumValue, notInEnum } from "./_internals/enum.js";
import { STATUS_CALLBACK_REQUIRED, STREAM_EVENTS } from "./_internals/schema.js";
import type { InvalidSample } from "./invalid-sample.js";
import { invalidSid, sid } from "./sid.js";
import { streamName } from "./stream.js";

// Instants a callback may carry: 1970 to 9999, whole milliseconds (what toISOString writes).
const instant = fc.date({ min: new Date(0), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true });

/**
 * An ISO 8601 (RFC 3339 section 5.6) UTC date-time, as a callback's `Timestamp`: mostly
 * `toISOString()`'s `2026-01-01T00:00:00.000Z`, sometimes without the fraction or with `+00:00`.
 * @public
 */
export function iso8601DateTime(): fc.Arbitrary<string> {
  return fc.tuple(instant, fc.constantFrom("iso", "iso", "iso", "seconds", "offset")).map(([date, form]) => {
    const iso = date.toISOString();
    if (form === "seconds") return `${iso.slice(0, 19)}Z`;
    if (form === "offset") return `${iso.slice(0, -1)}+00:00`;
    return iso;
  });
}

/** Options of {@link streamStatusCallback}. @public */
export interface StreamStatusCallbackOptions {
  readonly event?: StreamEvent;
  readonly accountSid?: string;
  readonly callSid?: string;
  readonly streamSid?: string;
}

/**
 * Valid status callback parameters: SIDs, a `StreamName` (the Stream's name, or its SID, which is
 * the default), the event, a `StreamError` message with `stream-error`, the `Timestamp`.
 * @example
 *   fc.assert(fc.property(streamStatusCallback({ event: "stream-error" }), (p) => isStreamStatusCallback(p)));
 * @public
 */
export function streamStatusCallback(options: StreamStatusCallbackOptions = {}): fc.Arbitrary<StreamStatusCallback> {
  const fixed = (value: string | undefined, otherwise: fc.Arbitrary<string>) => (value === undefined ? otherwise : fc.constant(value));
  return fc
    .record({
      AccountSid: fixed(options.accountSid, sid("account")),
      CallSid: fixed(options.callSid, sid("call")),
      StreamSid: fixed(options.streamSid, sid("stream")),
      name: fc.option(streamName(), { nil: undefined }),
      StreamEvent: options.event === undefined ? enumValue(STREAM_EVENTS) : fc.constant(options.event),
      error: fc.constantFrom("31920", "31921", "Stream - WebSocket - Connection Broken", "websocket handshake failed: 404"),
      Timestamp: iso8601DateTime(),
    })
    .map(({ name, error, ...fields }) => ({
      ...fields,
      StreamName: name ?? fields.StreamSid,
      ...(fields.StreamEvent === "stream-error" ? { StreamError: error } : {}),
    }));
}

const sample =
  (reason: string) =>
  (value: string): InvalidSample<string> => ({ value, reason, path: "" });

/**
 * Strings that are not an ISO 8601 date-time a callback may carry: other formats, impossible
 * days and times, no zone; path `""`.
 * @public
 */
export function invalidIso8601DateTime(): fc.Arbitrary<InvalidSample<string>> {
  return fc.oneof(
    instant.map((d) => d.toUTCString()).map(sample("an RFC 7231 date, not ISO 8601")),
    instant.map((d) => d.toISOString().slice(0, -1)).map(sample("no zone")),
    instant.map((d) => d.toISOString().slice(0, 10)).map(sample("a date without a time")),
    instant.map((d) => d.toISOString().replace("T", " ")).map(sample("space instead of T")),
    instant.map((d) => String(d.getTime())).map(sample("epoch milliseconds")),
    fc.constant("2026-02-29T00:00:00Z").map(sample("29 Feb in a non-leap year")),
    fc.constant("2026-13-01T00:00:00Z").map(sample("month 13")),
    fc.constant("2026-01-01T24:00:00Z").map(sample("hour 24")),
    fc.constant("").map(sample("empty")),
  );
}

/**
 * Status callback parameters broken in one field, with the reason and the field's path
 * (`/StreamSid`, `/StreamEvent`, `/Timestamp` …): a malformed SID, an unknown event, a
 * `Timestamp` that is not ISO 8601, or a required field left out.
 * @public
 */
export function invalidStreamStatusCallback(): fc.Arbitrary<InvalidSample<Record<string, string>>> {
  const breaks: fc.Arbitrary<readonly [string, InvalidSample<string> | "missing"]>[] = [
    invalidSid("account").map((b) => ["AccountSid", b] as const),
    invalidSid("call").map((b) => ["CallSid", b] as const),
    invalidSid("stream").map((b) => ["StreamSid", b] as const),
    notInEnum(STREAM_EVENTS, ["started", "stopped", "error", "stream-start", "initiated"]).map((b) => ["StreamEvent", b] as const),
    invalidIso8601DateTime().map((b) => ["Timestamp", b] as const),
    fc.constantFrom(...STATUS_CALLBACK_REQUIRED).map((name) => [name, "missing"] as const),
  ];
  return fc.tuple(streamStatusCallback(), fc.oneof(...breaks)).map(([valid, [name, broken]]) => {
    const value: Record<string, string> = { ...valid };
    if (broken === "missing") {
      delete value[name];
      return { value, reason: `missing ${name}`, path: `/${name}` };
    }
    value[name] = broken.value;
    return { value, reason: `${name}: ${broken.reason}`, path: `/${name}${broken.path}` };
  });
}
