/**
 * The facts of Twilio's OpenAPI document about the two Stream operations: path parameters, the
 * request body and its media types, the response resource, the error body and their media types,
 * and the response codes. Works on the whole
 * `twilio_api_v2010.json` as on an excerpt of it: only the two paths and what they reference are read.
 */
import { FORM_CONTENT_TYPE as FORM, JSON_MEDIA_TYPE as JSON_TYPE } from "../contract/media-types.js";
import { type Fact, objectFacts, propertyFacts, type Resolve, type SchemaObject } from "./facts.js";
import { asArray, atPointer, isObject } from "../lib/json.js";
import { STREAM_PATH_TEMPLATES } from "../contract/paths.js";

/** The two operations, by their OpenAPI path templates (Twilio's own spelling). */
const STREAM_OPERATIONS = STREAM_PATH_TEMPLATES;

export type StreamOperation = keyof typeof STREAM_OPERATIONS;

/** A document that is not an OpenAPI description of the Stream operations. */
export class NotAStreamsDocument extends Error {
  override readonly name = "NotAStreamsDocument";
}

/** The facts of `document` about both operations; the names of each body's properties too. */
export function openApiFacts(document: unknown): { facts: Fact[]; bodyProperties: Record<StreamOperation, string[]> } {
  if (!isObject(document) || !isObject(document.paths)) throw new NotAStreamsDocument('it has no "paths": not an OpenAPI document');
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
    const parameters = [...asArray(isObject(path) ? path.parameters : undefined), ...asArray(post.parameters)].map((p) =>
      isObject(p) && typeof p.$ref === "string" ? resolve(p.$ref) : p,
    );
    for (const parameter of parameters) {
      if (!isObject(parameter) || parameter.in !== "path" || typeof parameter.name !== "string") continue;
      facts.push(...propertyFacts(`${operation} path`, parameter.name, (parameter.schema ?? {}) as SchemaObject, resolve));
      if (parameter.required === true) facts.push({ where: `${operation} path`, name: parameter.name, aspect: "required", value: "true" });
    }
    // A body in another media type (JSON, say) is a media type difference; its properties are
    // still compared, so that they are not all reported missing.
    const body = content(post.requestBody, FORM, resolve);
    if (body !== undefined) {
      facts.push(mediaTypeFact(`${operation} body`, body.mediaTypes));
      if (body.schema !== undefined) {
        facts.push(...objectFacts(`${operation} body`, body.schema, resolve));
        bodyProperties[operation] = Object.keys((body.schema.properties ?? {}) as object);
      }
    }
    const responses = isObject(post.responses) ? post.responses : {};
    const described = new Set<string>();
    for (const [code, response] of Object.entries(responses)) {
      facts.push({ where: `${operation} responses`, name: code, aspect: "documented", value: "true" });
      // The first success and the first error response that has a body say what the bodies are.
      const where = code.startsWith("2")
        ? `${operation} response`
        : /^[45]|^default$/.test(code)
          ? `${operation} error response`
          : undefined;
      const answer = where === undefined || described.has(where) ? undefined : content(response, JSON_TYPE, resolve);
      if (where === undefined || answer === undefined) continue;
      described.add(where);
      facts.push(mediaTypeFact(where, answer.mediaTypes));
      if (answer.schema !== undefined) facts.push(...objectFacts(where, answer.schema, resolve));
    }
  }
  return { facts, bodyProperties };
}

/** The fact of the media types a body comes in (sorted: their order says nothing). */
export function mediaTypeFact(where: string, mediaTypes: readonly string[]): Fact {
  return { where, name: "(object)", aspect: "media type", value: JSON.stringify([...mediaTypes].sort()) };
}

/**
 * The media types of a request body or response, and the schema of `preferred` among them, or of
 * the first when it is not there; undefined when it has no content.
 */
function content(
  holder: unknown,
  preferred: string,
  resolve: Resolve,
): { mediaTypes: string[]; schema: SchemaObject | undefined } | undefined {
  const resolved = isObject(holder) && typeof holder.$ref === "string" ? resolve(holder.$ref) : holder;
  if (!isObject(resolved) || !isObject(resolved.content)) return undefined;
  const mediaTypes = Object.keys(resolved.content);
  if (mediaTypes.length === 0) return undefined;
  const media = resolved.content[mediaTypes.includes(preferred) ? preferred : (mediaTypes[0] as string)];
  return { mediaTypes, schema: isObject(media) && isObject(media.schema) ? media.schema : undefined };
}
