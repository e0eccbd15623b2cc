/**
 * The facts of this suite's contract, in the same shape as Twilio's (src/drift/openapi.ts): from
 * schemas/ (path parameters, bodies, the Stream resource, the error body), the media types the
 * engine reads and writes, and the Pact files of contracts/ (the response codes each operation is
 * expected to answer with).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import createRequest from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import updateRequest from "../../schemas/update-stream-request.schema.json" with { type: "json" };
import stream from "../../schemas/stream.schema.json" with { type: "json" };
import { packageContractsDirectory, pactFilePaths, type PactFile } from "../contract/pact-files.js";
import twilioError from "../../schemas/twilio-error.schema.json" with { type: "json" };
import { matchStreamRoute } from "../contract/paths.js";
import { resolveSchemaRef } from "../contract/schema-documents.js";
import { type Fact, objectFacts, type Resolve, type SchemaObject } from "./facts.js";
import { FORM_CONTENT_TYPE, JSON_MEDIA_TYPE } from "../contract/media-types.js";
import { mediaTypeFact, type StreamOperation } from "./openapi.js";

/** `$ref` resolution inside schemas/, relative to the document `base`. */
function resolverFor(base: string): Resolve {
  return (ref) => resolveSchemaRef(ref, base).schema;
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
    facts.push(mediaTypeFact(`${operation} response`, [JSON_MEDIA_TYPE]));
    facts.push(...objectFacts(`${operation} error response`, twilioError, resolverFor("twilio-error.schema.json")));
    facts.push(mediaTypeFact(`${operation} error response`, [JSON_MEDIA_TYPE]));
  }
  return facts;
}

/** The response codes the Pact files in `directory` expect of each operation (POST only). */
export function contractResponseFacts(directory: string): Fact[] {
  const codes = new Set<string>();
  for (const file of pactFilePaths([directory])) {
    const pact = JSON.parse(readFileSync(file, "utf8")) as PactFile;
    for (const { request, response } of Array.isArray(pact.interactions) ? pact.interactions : []) {
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

/** The package's contracts/, or undefined when it has no pact files (response codes are then not compared). */
export function bundledContracts(): string | undefined {
  const contracts = packageContractsDirectory();
  return contracts !== undefined && existsSync(contracts) && readdirSync(contracts).some((n) => n.endsWith(".json"))
    ? contracts
    : undefined;
}
