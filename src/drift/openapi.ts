/**
 * The facts of Twilio's OpenAPI document about the two Stream operations: path parameters, the
 * form body, the response resource and the response codes. Works on the whole
 * `twilio_api_v2010.json` as on an excerpt of it: only the two paths and what they reference are read.
 */
import { type Fact, objectFacts, propertyFacts, type Resolve, type SchemaObject } from "./facts.js";
import { asArray, atPointer, isObject } from "../lib/json.js";
import { STREAM_PATH_TEMPLATES } from "../contract/paths.js";

/** The two operations, by their OpenAPI path templates (Twilio's own spelling). */
const STREAM_OPERATIONS = STREAM_PATH_TEMPLATES;

export type StreamOperation = keyof typeof STREAM_OPERATIONS;

const FORM = "application/x-www-form-urlencoded";

/** A document that is not an OpenAPI description of the Stream operations. */
export class NotAStreamsDocument extends Error {
  override readonly name = "NotAStreamsDocument";
}

/** The facts of `document` about both operations; the names of each body's properties too. */
export function openApiFacts(document: unknown): { facts: Fact[]; bodyProperties: Record<StreamOperation, string[]> } {
  if (!isObject(document) || !isObject(document.paths)) throw new NotAStreamsDocument("it has no \"paths\": not an OpenAPI document");
  const doc = document;
  const paths = document.paths;
  const resolve: Resolve = (ref) => {
    if (!ref.startsWith("#/")) throw new NotAStreamsDocument(`it refers to ${ref}, outside the document`);
    const node = atPointer(doc, ref.slice(1));
    if (!isObject(node)) throw new NotAStreamsDocument(`its $ref ${ref} points at nothing`);
    return node;
  };
  const facts: Fact[] = [];
  const bodyProperties = { CreateStream: [] as string[], UpdateStream: [] as string[] };
  for (const [operation, template] of Object.entries(STREAM_OPERATIONS) as [StreamOperation, string][]) {
    const path = paths[template];
    const post = isObject(path) ? path.post : undefined;
    if (!isObject(post)) throw new NotAStreamsDocument(`it has no POST ${template} (${operation}): is it Twilio's api v2010 document?`);
    const parameters = [...asArray(isObject(path) ? path.parameters : undefined), ...asArray(post.parameters)].map((p) => (isObject(p) && typeof p.$ref === "string" ? resolve(p.$ref) : p));
    for (const parameter of parameters) {
      if (!isObject(parameter) || parameter.in !== "path" || typeof parameter.name !== "string") continue;
      facts.push(...propertyFacts(`${operation} path`, parameter.name, (parameter.schema ?? {}) as SchemaObject, resolve));
      if (parameter.required === true) facts.push({ where: `${operation} path`, name: parameter.name, aspect: "required", value: "true" });
    }
    const body = contentSchema(post.requestBody, FORM, resolve);
    if (body !== undefined) {
      facts.push(...objectFacts(`${operation} body`, body, resolve));
      bodyProperties[operation] = Object.keys((body.properties ?? {}) as object);
    }
    const responses = isObject(post.responses) ? post.responses : {};
    for (const [code, response] of Object.entries(responses)) {
      facts.push({ where: `${operation} responses`, name: code, aspect: "documented", value: "true" });
      const resource = code.startsWith("2") ? contentSchema(response, "application/json", resolve) : undefined;
      if (resource !== undefined) facts.push(...objectFacts(`${operation} response`, resource, resolve));
    }
  }
  return { facts, bodyProperties };
}

/** The schema of a request body or response for a media type. */
function contentSchema(holder: unknown, mediaType: string, resolve: Resolve): SchemaObject | undefined {
  const resolved = isObject(holder) && typeof holder.$ref === "string" ? resolve(holder.$ref) : holder;
  if (!isObject(resolved) || !isObject(resolved.content)) return undefined;
  const media = resolved.content[mediaType];
  return isObject(media) && isObject(media.schema) ? media.schema : undefined;
}
