/**
 * The parts of the contract a run can exercise — what "coverage" counts — read off schemas/:
 * a client's side of the REST contract (the operations, each optional body parameter and each
 * value of an enumerated one, the kinds of answer it can meet, the status callback events) and
 * the Media Streams protocol as a WebSocket server sees it (the events Twilio sends, the events
 * a server sends). The engine's journal counts which parts each request used; the reports say
 * which were exercised, of how many.
 */
import createRequest from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import serverMessage from "../../schemas/server-media-message.schema.json" with { type: "json" };
import statusCallback from "../../schemas/stream-status-callback.schema.json" with { type: "json" };
import twilioMessage from "../../schemas/twilio-media-message.schema.json" with { type: "json" };
import { isStreamSid } from "../validators/sid.js";
import { resolveSchemaRef, type Schema } from "./schema-documents.js";

/** One part of the contract a run can exercise. */
export interface ContractPart {
  /** Stable id: `--require` takes it, e.g. `create`, `Track=both_tracks`, `429+Retry-After`. */
  readonly id: string;
  /** e.g. `operation`, `optional parameter`, `answer`, `status callback`. */
  readonly kind: string;
  /** What it is, in words. */
  readonly label: string;
}

const CREATE_BODY = createRequest.$defs.body as Schema;
const CREATE_FILE = "create-stream-request.schema.json";

/** The schema of a property, its `$ref` followed (one level: the enums are `common.schema.json` definitions). */
function resolved(schema: Schema): Schema {
  return typeof schema.$ref === "string" ? { ...resolveSchemaRef(schema.$ref, CREATE_FILE).schema, ...schema } : schema;
}

/** CreateStream's optional body parameters, each with its enum values when it has any. */
const OPTIONAL_PARAMETERS: readonly { readonly name: string; readonly values: readonly string[] | undefined }[] = Object.entries(
  CREATE_BODY.properties as Record<string, Schema>,
)
  .filter(([name]) => !(CREATE_BODY.required as string[]).includes(name))
  .map(([name, schema]) => {
    const values = resolved(schema).enum;
    return { name, values: Array.isArray(values) ? (values as string[]) : undefined };
  });

/** The custom parameters (`Parameter1.Name` … `Parameter99.Value`): one pattern, one part. */
const PARAMETER_PATTERNS = Object.keys(CREATE_BODY.patternProperties as Record<string, unknown>).map((pattern) => new RegExp(pattern, "u"));
const CUSTOM_PARAMETERS = "ParameterN";

/** The answers a client can meet: from the mock's rules, and from faults (check-client --fault). */
const ANSWERS: readonly ContractPart[] = [
  { id: "4xx", kind: "answer", label: "an error answer 400–499 (other than 429)" },
  { id: "429+Retry-After", kind: "answer", label: "429 Too Many Requests with Retry-After" },
  { id: "5xx", kind: "answer", label: "a server error 500–599" },
  { id: "no-answer", kind: "answer", label: "no answer: the connection reset or left hanging (--fault reset|hang)" },
];

/** The parts of the REST contract a client's run can exercise, in the reports' order. */
export const CLIENT_CONTRACT_PARTS: readonly ContractPart[] = [
  { id: "create", kind: "operation", label: "CreateStream" },
  { id: "stop-by-sid", kind: "operation", label: "UpdateStream (stop) by the Stream's SID" },
  { id: "stop-by-name", kind: "operation", label: "UpdateStream (stop) by the Stream's name" },
  ...OPTIONAL_PARAMETERS.flatMap(({ name, values }) =>
    values === undefined
      ? [{ id: name, kind: "optional parameter", label: `CreateStream with ${name}` }]
      : values.map((value) => ({ id: `${name}=${value}`, kind: "optional parameter", label: `CreateStream with ${name} ${value}` })),
  ),
  {
    id: CUSTOM_PARAMETERS,
    kind: "optional parameter",
    label: "CreateStream with custom parameters (Parameter1.Name … Parameter99.Value, as one part)",
  },
  ...ANSWERS,
  ...(statusCallback.$defs.streamEvent.enum as string[]).map((event) => ({
    id: event,
    kind: "status callback",
    label: `a ${event} status callback answered 2xx`,
  })),
];

/** The parts a performed CreateStream used: its optional parameters (enumerated ones with their value). */
export function createParts(fields: Readonly<Record<string, string>>): string[] {
  const parts = ["create"];
  for (const { name, values } of OPTIONAL_PARAMETERS) {
    const value = fields[name];
    if (value !== undefined) parts.push(values === undefined ? name : `${name}=${value}`);
  }
  if (Object.keys(fields).some((field) => PARAMETER_PATTERNS.some((pattern) => pattern.test(field)))) parts.push(CUSTOM_PARAMETERS);
  return parts;
}

/** The part a performed stop used: by SID (`MZ…`) or by name. */
export function stopPart(sidOrName: string): string {
  return isStreamSid(sidOrName) ? "stop-by-sid" : "stop-by-name";
}

/** The kind of an answer (status 0: none was sent), or undefined for a success. */
export function answerPart(status: number, headers: Readonly<Record<string, string>>): string | undefined {
  if (status === 0) return "no-answer";
  if (status === 429) return Object.keys(headers).some((h) => h.toLowerCase() === "retry-after") ? "429+Retry-After" : "4xx";
  if (status >= 400 && status < 500) return "4xx";
  if (status >= 500) return "5xx";
  return undefined;
}

/** The events of a message schema's `oneOf` (each branch's `event` const). */
function eventsOf(document: { readonly oneOf: readonly { readonly $ref: string }[]; readonly $defs: object }): string[] {
  const defs = document.$defs as Record<string, { properties: { event: { const: string } } }>;
  return document.oneOf.map(({ $ref }) => defs[$ref.replace("#/$defs/", "")]!.properties.event.const);
}

/** The events Twilio sends a Media Streams server, and those a (bidirectional) server sends back. */
export const MEDIA_EVENTS = { twilio: eventsOf(twilioMessage), server: eventsOf(serverMessage) } as const;
