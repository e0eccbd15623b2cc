/**
 * The request validators take the generated request types as they are — `{ path, body }`, the
 * one shape of a request everywhere (issue 17): their interfaces have no index signature, so a
 * Record-typed parameter refused them at compile time (`npm run
 * typecheck` is the real assertion here; the runtime checks keep the test honest).
 */
import { describe, expect, it } from "vitest";
import createExamples from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import updateExamples from "../../schemas/update-stream-request.schema.json" with { type: "json" };
import {
  type CreateStreamRequest,
  type UpdateStreamRequest,
  validateCreateStreamRequest,
  validateUpdateStreamRequest,
} from "../../src/index.js";

describe("request validators accept the generated types", () => {
  it("CreateStreamRequest body and path", () => {
    const request = createExamples.examples[1] as CreateStreamRequest;
    expect(validateCreateStreamRequest(request)).toEqual({ valid: true, value: request });
  });

  it("the value a valid request gives back validates as it is: one shape in and out", () => {
    const request = createExamples.examples[1] as CreateStreamRequest;
    const result = validateCreateStreamRequest(request);
    expect(result.valid && validateCreateStreamRequest(result.value).valid).toBe(true);
  });

  it("UpdateStreamRequest body and path", () => {
    const request = updateExamples.examples[0] as UpdateStreamRequest;
    expect(validateUpdateStreamRequest(request)).toEqual({ valid: true, value: request });
  });
});
