/** UpdateStream requests (schemas/update-stream-request.schema.json). */
import { checkUpdateStreamBody, checkUpdateStreamRequest } from "./generated/compiled.js";
import type { UpdateStreamRequest } from "./generated/types.js";
import { defineValidator } from "./validator.js";
import { defineRequestValidator, type RequestValidator } from "./request.js";

/** An UpdateStream request whose path may not have been given. @public */
export type UpdateStreamRequestInput = Omit<UpdateStreamRequest, "path"> & Partial<Pick<UpdateStreamRequest, "path">>;

/**
 * Validates an UpdateStream request `{ path?, body }`: the form body — a raw `a=b&c=d` string, a
 * URLSearchParams or a plain object — and, when given, the path parameters `{ AccountSid,
 * CallSid, Sid }` (Sid: the Stream SID or name). Issues point into `/body/…` and `/path/…`.
 * @example
 *   validateUpdateStreamRequest({ path: { AccountSid, CallSid, Sid }, body: "Status=stopped" })
 * @public
 */
export const validateUpdateStreamRequest: RequestValidator<UpdateStreamRequestInput> = defineRequestValidator(
  checkUpdateStreamRequest,
  checkUpdateStreamBody,
);

const request = defineValidator<UpdateStreamRequest>(checkUpdateStreamRequest, "UpdateStream request");
/** Whether `value` is a valid `{ path, body }` UpdateStream request (body as a plain object). @public */
export const isUpdateStreamRequest: (value: unknown) => value is UpdateStreamRequest = request.is;
/** Throws a ContractViolationError unless `value` is a valid `{ path, body }` UpdateStream request. @public */
export const assertUpdateStreamRequest: (value: unknown) => asserts value is UpdateStreamRequest = request.assert;
