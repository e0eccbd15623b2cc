/** CreateStream requests (schemas/create-stream-request.schema.json). */
import { checkCreateStreamBody, checkCreateStreamRequest } from "./generated/compiled.js";
import type { CreateStreamRequest } from "./generated/types.js";
import { defineValidator } from "./validator.js";
import { defineRequestValidator, type RequestValidator } from "./request.js";

/** A CreateStream request whose path may not have been given. @public */
export type CreateStreamRequestInput = Omit<CreateStreamRequest, "path"> & Partial<Pick<CreateStreamRequest, "path">>;

/**
 * Validates a CreateStream request `{ path?, body }`: the form body — a raw `a=b&c=d` string, a
 * URLSearchParams or a plain object — and, when given, the path parameters `{ AccountSid,
 * CallSid }`. Issues point into `/body/…` and `/path/…`.
 * @example
 *   validateCreateStreamRequest({ path: { AccountSid, CallSid }, body: "Url=wss%3A%2F%2Fexample.com%2Fmedia" })
 * @public
 */
export const validateCreateStreamRequest: RequestValidator<CreateStreamRequestInput> = defineRequestValidator(
  checkCreateStreamRequest,
  checkCreateStreamBody,
);

const request = defineValidator<CreateStreamRequest>(checkCreateStreamRequest, "CreateStream request");
/** Whether `value` is a valid `{ path, body }` CreateStream request (body as a plain object). @public */
export const isCreateStreamRequest: (value: unknown) => value is CreateStreamRequest = request.is;
/** Throws a ContractViolationError unless `value` is a valid `{ path, body }` CreateStream request. @public */
export const assertCreateStreamRequest: (value: unknown) => asserts value is CreateStreamRequest = request.assert;
