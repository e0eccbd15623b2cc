/**
 * The facts the generators are built from, read from schemas/ (the single source): SID
 * patterns, enums, the CreateStream parameter pattern. Nothing here is retyped.
 */
import common from "../../../schemas/common.schema.json" with { type: "json" };
import createRequest from "../../../schemas/create-stream-request.schema.json" with { type: "json" };
import stream from "../../../schemas/stream.schema.json" with { type: "json" };
import statusCallback from "../../../schemas/stream-status-callback.schema.json" with { type: "json" };
import twilioMessage from "../../../schemas/twilio-media-message.schema.json" with { type: "json" };
import serverMessage from "../../../schemas/server-media-message.schema.json" with { type: "json" };
import type {
  MediaTrack,
  ServerStreamMessage,
  StatusCallbackMethod,
  StreamEvent,
  StreamStatus,
  StreamUpdateStatus,
  Track,
  TwilioStreamMessage,
} from "../../validators/generated/types.js";

const defs = common.$defs;

/** The kinds of SID in the contract: three in paths and resources, and API keys (a Basic user). @public */
export type SidKind = "account" | "call" | "stream" | "apiKey";

const SID_DEFS = { account: defs.accountSid, call: defs.callSid, stream: defs.streamSid, apiKey: defs.apiKeySid } as const;

/** The schema's pattern of a SID kind, e.g. `^AC[0-9a-fA-F]{32}$`. */
export function sidPattern(kind: SidKind): string {
  return SID_DEFS[kind].pattern;
}

/** The fixed length of a SID (the schema's minLength = maxLength). */
export function sidLength(kind: SidKind): number {
  return SID_DEFS[kind].minLength;
}

/** The two-letter prefix of a SID kind: the literal the schema's pattern starts with. */
export function sidPrefix(kind: SidKind): string {
  return sidPattern(kind).slice(1, 3);
}

// JSON imports type enums as string[]; the generated types say which strings they are.
export const STREAM_STATUSES = defs.streamStatus.enum as readonly StreamStatus[];
export const UPDATE_STATUSES = defs.updateStatus.enum as readonly StreamUpdateStatus[];
export const TRACKS = defs.track.enum as readonly Track[];
export const HTTP_METHODS = defs.httpMethod.enum as readonly StatusCallbackMethod[];

/** The fields of a Stream resource, all required. */
export const STREAM_FIELDS = stream.required;

const createBody = createRequest.$defs.body;

/** The named (non-Parameter) fields of the CreateStream body. */
export const CREATE_BODY_FIELDS = Object.keys(createBody.properties);

/** The pattern of ParameterN.Name / ParameterN.Value field names. */
export const PARAMETER_FIELD_PATTERN = Object.keys(createBody.patternProperties)[0] ?? "";

/** The events of a Stream status callback, and its required parameters. */
export const STREAM_EVENTS = statusCallback.$defs.streamEvent.enum as readonly StreamEvent[];
export const STATUS_CALLBACK_REQUIRED = statusCallback.required;
// Media Streams (schemas/twilio-media-message.schema.json, schemas/server-media-message.schema.json).
// The patterns of the counters and the DTMF digit are MEDIA_PATTERN of src/contract/matchers.ts.

const mediaDefs = twilioMessage.$defs;

/** The tracks of a media message (`inbound`, `outbound`). */
export const MEDIA_TRACKS = mediaDefs.mediaTrack.enum as readonly MediaTrack[];

/** The events of a direction's schema (the `event` const of each branch of its `oneOf`), each with its required fields. */
function eventsOf(schema: { oneOf: readonly { $ref: string }[]; $defs: object }): Readonly<Record<string, readonly string[]>> {
  const defs = schema.$defs as Readonly<Record<string, { required: readonly string[]; properties: { event: { const: string } } }>>;
  return Object.fromEntries(
    schema.oneOf.map(({ $ref }) => {
      const def = defs[$ref.slice("#/$defs/".length)] as (typeof defs)[string];
      return [def.properties.event.const, def.required];
    }),
  );
}

/** The events of each direction, each with its required fields. */
export const TWILIO_EVENTS = eventsOf(twilioMessage) as Readonly<Record<TwilioStreamMessage["event"], readonly string[]>>;
export const SERVER_EVENTS = eventsOf(serverMessage) as Readonly<Record<ServerStreamMessage["event"], readonly string[]>>;
// The numbers N the pattern allows, read off it rather than retyped (1 to 99 today; the build
// checks that `dependentRequired` pairs ParameterN.Value with ParameterN.Name for exactly these).
const parameterField = new RegExp(PARAMETER_FIELD_PATTERN);
const parameterNumbers = Array.from({ length: 1000 }, (_, n) => n).filter((n) => parameterField.test(`Parameter${n}.Name`));

/** The smallest and largest N of ParameterN (the schema allows every N between). */
export const PARAMETER_RANGE = { min: parameterNumbers[0] ?? 1, max: parameterNumbers.at(-1) ?? 1 } as const;
