/**
 * The contract as an OpenAPI 3.0 document (`twilio-stream-contract/openapi.json`, written by the
 * build), generated from schemas/ for the tools around it: PactFlow's openapi-pact-comparator,
 * Prism's validation proxy, code generators. Twilio's two operations at Twilio's paths, plus the
 * suite's decisions: the Twilio error body (schemas/twilio-error.schema.json) on every error
 * status a conformant server may answer, the wss-only Url, the Stream's required fields.
 *
 * The request bodies are open (no `additionalProperties: false`): the document describes what a
 * server must accept, and Twilio ignores unknown fields, so a server that does passes the tools
 * (the suite's own client checks, mock, nock and check-client, still refuse unknown fields). It
 * also keeps tools that read a form's `Parameter1.Name` as `Parameter1: {Name}` (qs's dot syntax,
 * as openapi-pact-comparator does) from calling `Parameter1` an unknown field.
 *
 * OpenAPI 3.0 (as Twilio's own document) rather than 3.1, because the tools read 3.0 best; the
 * JSON Schema 2020-12 of schemas/ is translated: `$ref`s inlined, `type: [T, "null"]` →
 * `nullable`, `examples` → `example`, and the Parameter{N}.Name/Value pattern listed name by name
 * as Twilio does. What 3.0 cannot say (`dependentRequired`: a Value needs its Name) stays in the
 * description.
 *
 * CreateStream answers 200, as Twilio's current document says; 201 is listed too, as a legacy
 * success (Twilio's document said 201 from 2022-02 to 2025-02, and `verify` accepts either), so
 * that a pact or a server written against either passes the tools.
 */
import createRequest from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import stream from "../../schemas/stream.schema.json" with { type: "json" };
import twilioErrorSchema from "../../schemas/twilio-error.schema.json" with { type: "json" };
import updateRequest from "../../schemas/update-stream-request.schema.json" with { type: "json" };
import { DOCUMENTED_ERROR_STATUSES } from "./errors.js";
import { STREAM_PATH_TEMPLATES, TWILIO_API_ORIGIN } from "./paths.js";
import { resolveSchemaRef, type Schema } from "./schema-documents.js";
import { FORM_CONTENT_TYPE as FORM, JSON_MEDIA_TYPE as JSON_TYPE } from "./media-types.js";

/** Keywords that JSON Schema 2020-12 has and an OpenAPI 3.0 Schema Object does not. */
const DROPPED = new Set(["$schema", "$id", "$defs", "$comment", "examples", "patternProperties", "dependentRequired", "const"]);

/** A 2020-12 schema of `base` as an OpenAPI 3.0 Schema Object. */
function toOpenApi(schema: Schema, base: string): Schema {
  let s = schema;
  let from = base;
  while (typeof s.$ref === "string") {
    const { $ref, ...siblings } = s;
    const target = resolveSchemaRef($ref, from);
    s = { ...target.schema, ...siblings };
    from = target.base;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    if (DROPPED.has(key)) continue;
    if (key === "type" && Array.isArray(value)) {
      const types = value.filter((t) => t !== "null");
      out.type = types.length === 1 ? types[0] : types;
      if (types.length < value.length) out.nullable = true;
    } else if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, property]) => [name, toOpenApi(property, from)]),
      );
    } else out[key] = value;
  }
  if (Array.isArray(s.examples) && s.examples.length > 0) out.example = s.examples[0];
  if (typeof s.const !== "undefined") out.enum = [s.const];
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
  if (patterns.length > 0) out.properties = { ...(out.properties as object), ...patternNames(patterns, from) };
  if (s.dependentRequired !== undefined) {
    const note = "Each ParameterN.Value needs its ParameterN.Name.";
    out.description = typeof out.description === "string" ? `${out.description} ${note}` : note;
  }
  return out;
}

/**
 * The names a patternProperties pattern covers, one property each, as OpenAPI 3.0 needs them:
 * found by trying `Parameter{N}.Name` and `.Value` for N up to 1000 against the schema's own
 * pattern, so that the range (1 to 99) is written only in schemas/.
 */
function patternNames(patterns: readonly [string, Schema][], base: string): Record<string, Schema> {
  const properties: Record<string, Schema> = {};
  for (let n = 0; n <= 1000; n++) {
    for (const part of ["Name", "Value"]) {
      const name = `Parameter${n}.${part}`;
      const covering = patterns.find(([pattern]) => new RegExp(pattern, "u").test(name));
      if (covering !== undefined) properties[name] = toOpenApi(covering[1], base);
    }
  }
  return properties;
}

/** A request body's schema, open to unknown fields (see the file's comment). */
function requestBody(file: string): Schema {
  const { additionalProperties: _closed, ...open } = toOpenApi(resolveSchemaRef("#/$defs/body", file).schema, file);
  return open;
}

/** The path parameters of an operation, from its schema's `path` definition. */
function pathParameters(request: Schema, file: string): Schema[] {
  const path = resolveSchemaRef("#/$defs/path", file).schema;
  const required = new Set(path.required as string[]);
  return Object.entries(path.properties as Record<string, Schema>).map(([name, schema]) => ({
    name,
    in: "path",
    required: required.has(name),
    schema: toOpenApi(schema, file),
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(): Record<string, Schema> {
  return Object.fromEntries(
    DOCUMENTED_ERROR_STATUSES.map((status) => [
      String(status),
      { description: `Twilio error (HTTP ${status})`, content: { [JSON_TYPE]: { schema: ref("twilio_error") } } },
    ]),
  );
}

function streamResponse(description: string): Schema {
  return { description, content: { [JSON_TYPE]: { schema: ref("stream") } } };
}

function operation(
  operationId: string,
  summary: string,
  file: string,
  request: Schema,
  body: string,
  successes: Record<string, Schema>,
): Schema {
  return {
    operationId,
    summary,
    description: request.description,
    parameters: pathParameters(request, file),
    requestBody: { required: true, content: { [FORM]: { schema: ref(body) } } },
    responses: { ...successes, ...errorResponses() },
  };
}

/** The OpenAPI 3.0 document of the contract. `version`: the package's. */
export function contractOpenApiDocument(version: string): Schema {
  const createFile = "create-stream-request.schema.json";
  const updateFile = "update-stream-request.schema.json";
  return {
    openapi: "3.0.3",
    info: {
      title: "Twilio Media Streams: CreateStream and UpdateStream (twilio-stream-contract)",
      version,
      description:
        "The contract of twilio-stream-contract, generated from its schemas/: Twilio's two Stream operations as Twilio's OpenAPI document describes them, plus the suite's decisions (Twilio's error body on every documented error status, a wss:// Url, every Stream field required, unknown form fields refused). CreateStream answers 200; 201 is a documented legacy success.",
    },
    servers: [{ url: TWILIO_API_ORIGIN }],
    security: [{ accountSid_authToken: [] }],
    paths: {
      [STREAM_PATH_TEMPLATES.CreateStream]: {
        post: operation("CreateStream", "Create a Stream on a call", createFile, createRequest, "CreateStreamRequest", {
          "200": streamResponse("OK: the Stream, in progress"),
          "201": streamResponse("Created: the Stream, in progress (legacy: Twilio's document said 201 until 2025-02)"),
        }),
      },
      [STREAM_PATH_TEMPLATES.UpdateStream]: {
        post: operation("UpdateStream", "Stop a Stream by its SID or name", updateFile, updateRequest, "UpdateStreamRequest", {
          "200": streamResponse("OK: the Stream, stopped"),
        }),
      },
    },
    components: {
      securitySchemes: {
        accountSid_authToken: {
          type: "http",
          scheme: "basic",
          description: "Basic auth: the Account SID and auth token, or an API key SID (SK…) and secret",
        },
      },
      schemas: {
        CreateStreamRequest: requestBody(createFile),
        UpdateStreamRequest: requestBody(updateFile),
        stream: toOpenApi(stream, "stream.schema.json"),
        twilio_error: toOpenApi(twilioErrorSchema, "twilio-error.schema.json"),
      },
    },
  };
}
