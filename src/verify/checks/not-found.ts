/**
 * Unknown calls: with the state `no call exists`, creating a Stream on that call, or stopping
 * one, is 404 with Twilio's code 20404.
 */
import fc from "fast-check";
import { TWILIO_ERROR_CODES } from "../../contract/errors.js";
import type { ConformanceCheck } from "../check.js";
import { expectField, expectStatus, expectTwilioError, send } from "../expect.js";
import { createStreamHttpRequest, updateStreamHttpRequest } from "../requests.js";
import { streamSid, validCreate, type CreateSample } from "../samples.js";
import { onNoCall } from "./fixtures.js";

/** Create (or stop) on a call that does not exist → 404, code 20404. */
export const unknownCall: ConformanceCheck<{ request: CreateSample; operation: "create" | "stop"; streamSid: string }> = {
  name: "unknown call",
  asserts: "CreateStream or UpdateStream on a call that does not exist (state `no call exists`) → 404 and Twilio code 20404",
  states: "required",
  arbitrary: () =>
    fc.record({ request: validCreate(), operation: fc.constantFrom("create" as const, "stop" as const), streamSid: streamSid() }),
  cover: ({ operation }) => [operation],
  run: ({ request, operation, streamSid: sid }, env) =>
    onNoCall(env, request.callSid, async (call) => {
      const http =
        operation === "create"
          ? createStreamHttpRequest(env.credentials, call.accountSid, call.callSid, request.body)
          : updateStreamHttpRequest(env.credentials, call.accountSid, call.callSid, sid);
      const exchange = await send(env, http);
      expectStatus(
        exchange,
        (status) => status === 404,
        "404 Not Found",
        `${operation === "create" ? "CreateStream" : "UpdateStream"} on a call that does not exist`,
      );
      const error = expectTwilioError(exchange);
      expectField(exchange, "code", error.code, TWILIO_ERROR_CODES.notFound, "a 404 must carry Twilio's not-found code");
    }),
};
