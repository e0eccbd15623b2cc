/**
 * The facts of this suite's contract, in the same shape as Twilio's (src/drift/openapi.ts): from
 * schemas/ (path parameters, bodies, the Stream resource, the error body), the media types the
 * engine reads and writes, and the Pact files of contracts/ (the response codes each operation is
 * expected to answer with).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import common from "../../schemas/common.schema.json" with { type: "json" };
import createRequest from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import updateRequest from "../../schemas/update-stream-request.schema.json" with { type: "json" };
import stream from "../../schemas/stream.schema.json" with { type: "json" };
import twilioError from "../../schemas/twilio-error.schema.json" with { type: "json" };
import { matchStreamRoute } from "../contract/paths.js";
import { type Fact, objectFacts, type Resolve, type SchemaObject } from "./facts.js";
import { FORM_CONTENT_TYPE } from "../engine/envelope.js";
import { JSON_CONTENT_TYPE } from "../engine/engine.js";
import { mediaTypeFact, type StreamOperation } from "./openapi.js";

const documents: Record<string, SchemaObject> = {
  "common.schema.json": common,
  "create-stream-request.schema.json": createRequest,
  "update-stream-request.schema.json": updateRequest,
  "stream.schema.json": stream,
  "twilio-error.schema.json": twilioError,
};

/** The media type of every answer, without its parameters (`; charset=utf-8`). */
const ANSWER_MEDIA_TYPE = JSON_CONTENT_TYPE.split(";")[0] as string;

/** `$ref` resolution inside schemas/, relative to the document `base`. */
function resolverFor(base: string): Resolve {
  return (ref) => {
    const [file, pointer = ""] = ref.split("#");
    const document = documents[file === "" || file === undefined ? base : file];
    let node: unknown = document;
    for (const token of pointer.split("/").filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[token];
    if (node === undefined || node === null || typeof node !== "object") throw new Error(`schemas/: unresolvable $ref ${ref} in ${base}`);
    return node as SchemaObject;
  };
}

/**
 * The contract's facts. `twilioBodyProperties` are the names Twilio lists one by one: those our
 * patternProperties cover count as ours (Parameter1.Name … Parameter99.Value).
 */
export function contractSchemaFacts(twilioBodyProperties: Record<StreamOperation, readonly string[]>): Fact[] {
  const facts: Fact[] = [];
  const requests = { CreateStream: createRequest, UpdateStream: updateRequest } as const;
  for (const [operation, schema] of Object.entries(requests) as [StreamOperation, SchemaObject][]) {
    const file = operation === "CreateStream" ? "create-stream-request.schema.json" : "update-stream-request.schema.json";
    const resolve = resolverFor(file);
    const defs = schema.$defs as Record<string, SchemaObject>;
    // Path objects are closed by construction (a URL template has no other segments).
    facts.push(...objectFacts(`${operation} path`, defs.path as SchemaObject, resolve).filter((f) => f.aspect !== "additionalProperties"));
    facts.push(...objectFacts(`${operation} body`, defs.body as SchemaObject, resolve, twilioBodyProperties[operation]));
    facts.push(mediaTypeFact(`${operation} body`, [FORM_CONTENT_TYPE]));
    facts.push(...objectFacts(`${operation} response`, stream, resolverFor("stream.schema.json")));
    facts.push(mediaTypeFact(`${operation} response`, [ANSWER_MEDIA_TYPE]));
    facts.push(...objectFacts(`${operation} error response`, twilioError, resolverFor("twilio-error.schema.json")));
    facts.push(mediaTypeFact(`${operation} error response`, [ANSWER_MEDIA_TYPE]));
  }
  return facts;
}

/** The response codes the Pact files in `directory` expect of each operation (POST only). */
export function contractResponseFacts(directory: string): Fact[] {
  const codes = new Set<string>();
  for (const name of readdirSync(directory).filter((n) => n.endsWith(".json"))) {
    const pact = JSON.parse(readFileSync(join(directory, name), "utf8")) as { interactions?: unknown };
    for (const interaction of Array.isArray(pact.interactions) ? pact.interactions : []) {
      const { request, response } = interaction as { request?: { method?: string; path?: string }; response?: { status?: number } };
      const route = typeof request?.path === "string" ? matchStreamRoute(request.path) : undefined;
      if (route === undefined || request?.method?.toUpperCase() !== "POST" || typeof response?.status !== "number") continue;
      codes.add(`${route.operation}\u0000${response.status}`);
    }
  }
  return [...codes].map((key) => {
    const [operation, code] = key.split("\u0000") as [string, string];
    return { where: `${operation} responses`, name: code, aspect: "documented", value: "true" };
  });
}

/** contracts/ of this package (beside its package.json), or undefined when it has no pact files. */
export function packageContractsDirectory(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "twilio-stream-contract") {
      const contracts = join(dir, "contracts");
      return existsSync(contracts) && readdirSync(contracts).some((n) => n.endsWith(".json")) ? contracts : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
