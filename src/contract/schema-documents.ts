/**
 * The REST schema documents of schemas/, by the file name their `$ref`s use, and the one `$ref`
 * resolver over them (the contract's OpenAPI document and drift read the schemas through it).
 */
import common from "../../schemas/common.schema.json" with { type: "json" };
import createRequest from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import stream from "../../schemas/stream.schema.json" with { type: "json" };
import twilioError from "../../schemas/twilio-error.schema.json" with { type: "json" };
import updateRequest from "../../schemas/update-stream-request.schema.json" with { type: "json" };
import { atPointer } from "../lib/json.js";

/** A JSON Schema (or a part of one), untyped. */
export type Schema = Readonly<Record<string, unknown>>;

/** The documents, by file name. */
const SCHEMA_DOCUMENTS: Readonly<Record<string, Schema>> = {
  "common.schema.json": common,
  "create-stream-request.schema.json": createRequest,
  "update-stream-request.schema.json": updateRequest,
  "stream.schema.json": stream,
  "twilio-error.schema.json": twilioError,
};

/**
 * The schema `ref` names, written in the document `base`: `#/…` in `base` itself, `file#/…` in
 * another document. Returns the document it is in too (where its own `$ref`s are relative to).
 * Throws on a `$ref` that names nothing: schemas/ is broken, a bug of this package.
 */
export function resolveSchemaRef(ref: string, base: string): { schema: Schema; base: string } {
  const [file = "", pointer = ""] = ref.split("#");
  const target = file === "" ? base : file;
  const node = atPointer(SCHEMA_DOCUMENTS[target], pointer);
  if (node === null || typeof node !== "object") throw new Error(`schemas/${base}: unresolvable $ref ${ref}`);
  return { schema: node as Schema, base: target };
}
