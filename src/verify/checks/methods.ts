/**
 * Methods the API does not have: both resources take POST only. GET, PUT, PATCH and DELETE
 * are refused (405, or another 4xx), never served and never a server error.
 */
import fc from "fast-check";
import { createStreamPath, streamPath } from "../../contract/paths.js";
import type { ConformanceCheck } from "../check.js";
import { expectStatus, isClientError, send } from "../expect.js";
import { bareRequest } from "../requests.js";
import { streamInProgress, type StreamSample } from "../samples.js";
import { onStream } from "./fixtures.js";

const UNSUPPORTED_METHODS = ["GET", "PUT", "PATCH", "DELETE"] as const;

/** Other methods on both paths → 4xx (405 preferred). */
export const unsupportedMethods: ConformanceCheck<{ stream: StreamSample; method: string; on: "create" | "stream" }> = {
  name: "unsupported methods",
  asserts: `${UNSUPPORTED_METHODS.join(", ")} on the create path or a Stream's path → 405 (or another 4xx), never 2xx or 5xx`,
  states: "optional",
  arbitrary: () =>
    fc.record({
      stream: streamInProgress(),
      method: fc.constantFrom(...UNSUPPORTED_METHODS),
      on: fc.constantFrom("create" as const, "stream" as const),
    }),
  cover: ({ method, on }) => [`${method} on the ${on} path`],
  run: ({ stream: sample, method, on }, env) =>
    onStream(env, sample, async (stream) => {
      const path =
        on === "create"
          ? createStreamPath(stream.accountSid, stream.callSid)
          : streamPath(stream.accountSid, stream.callSid, stream.streamSid);
      const exchange = await send(env, bareRequest(env.credentials, method, path));
      expectStatus(exchange, isClientError, "405 Method Not Allowed (or another 4xx)", `${method} is not an operation of this resource`);
    }),
};
