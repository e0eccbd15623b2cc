/** CreateStream's `StatusCallbackMethod`: the enum in schemas/common.schema.json. */
import type fc from "fast-check";
import { enumValue, notInEnum } from "./_internals/enum.js";
import { HTTP_METHODS } from "./_internals/schema.js";
import type { StatusCallbackMethod } from "../validators/generated/types.js";
import type { InvalidSample } from "./invalid-sample.js";

/**
 * A valid `StatusCallbackMethod` (`GET`, `POST`).
 * @public
 */
export function statusCallbackMethod(): fc.Arbitrary<StatusCallbackMethod> {
  return enumValue(HTTP_METHODS);
}

/**
 * Strings that are not a `StatusCallbackMethod` (`"get"`, `"PUT"`, `"POST "` …); path `""`.
 * @public
 */
export function invalidStatusCallbackMethod(): fc.Arbitrary<InvalidSample<string>> {
  return notInEnum(HTTP_METHODS, ["PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
}
