/** The Stream resource (schemas/stream.schema.json). */
import { checkStream } from "./generated/compiled.js";
import type { Stream } from "./generated/types.js";
import type { ValidationResult } from "./issue.js";
import { defineValidator } from "./validator.js";

const stream = defineValidator<Stream>(checkStream, "Stream");

/**
 * Validates a Stream resource as a server returns it (parsed JSON).
 * @example
 *   const result = validateStream(await response.json());
 *   if (!result.valid) console.error(result.issues.map((e) => e.message));
 * @public
 */
export const validateStream: (value: unknown) => ValidationResult<Stream> = stream.validate;
/** Whether `value` is a contract-valid Stream resource. @public */
export const isStream: (value: unknown) => value is Stream = stream.is;
/** Throws a ContractViolationError listing every issue unless `value` is a valid Stream. @public */
export const assertStream: (value: unknown) => asserts value is Stream = stream.assert;
