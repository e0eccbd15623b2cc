/**
 * Invalid requests, each broken by one known rule. What the server must do with each is the
 * server face of the contract (src/verify/server-rules.ts): inputs Twilio refuses must be
 * refused with 4xx and a Twilio error body; inputs Twilio ignores (unknown fields …) may be
 * refused or accepted, unless `--strict`. With a states URL the call (and Stream) the request
 * names exist, so that the server must refuse the data itself, not the unknown call.
 */
import fc from "fast-check";
import { SERVER_RULES, serverDutyFor, serverRuleFor } from "../server-rules.js";
import type { CheckEnv, ConformanceCheck } from "../check.js";
import { expectStatus, expectTwilioError, isClientError, isSuccess, send } from "../expect.js";
import type { HttpExchange } from "../http.js";
import { isCallSid, isStreamSid } from "../../validators/sid.js";
import { createStreamHttpRequest, updateStreamHttpRequest } from "../requests.js";
import { invalidCreate, invalidUpdate, streamSid, type InvalidSample, type RequestSample } from "../samples.js";
import { onCall, onStream } from "./fixtures.js";
import { invalidRequestKey } from "../coverage.js";

/** The sample's AccountSid, unless the sample is not about it: then the run's account. */
function accountFor(sample: InvalidSample<RequestSample>, runAccount: string): string {
  return sample.path.startsWith("/path/AccountSid") ? (sample.value.path.AccountSid as string) : runAccount;
}

/**
 * Asserts what the server-side rules demand of the answer to an invalid sample: 4xx and a Twilio
 * error when the server must refuse it (the failure names the rule's source), else 4xx with a
 * Twilio error or 2xx.
 */
function expectServerDuty(
  exchange: HttpExchange,
  operation: "CreateStream" | "UpdateStream",
  sample: InvalidSample<RequestSample>,
  env: CheckEnv,
): void {
  const rule = serverRuleFor(operation, sample);
  const duty = serverDutyFor(rule, env.strict);
  const { source } = SERVER_RULES[rule];
  const what = `an invalid request (${sample.reason} at ${sample.path})`;
  if (duty === "refuse") {
    const why =
      SERVER_RULES[rule].duty === "refuse"
        ? `a server must refuse it: ${source}`
        : `--strict applies the client-side rule; without it either answer passes (${source})`;
    expectStatus(exchange, isClientError, "4xx (400 Bad Request)", `${what} was not refused with 4xx; ${why}`);
    expectTwilioError(exchange);
    return;
  }
  expectStatus(
    exchange,
    (status) => isClientError(status) || isSuccess(status),
    "4xx (refused) or 2xx (ignored, as Twilio does)",
    `${what} was neither refused nor accepted`,
  );
  if (isClientError(exchange.status)) expectTwilioError(exchange);
}

/** Invalid CreateStream requests → 4xx with a Twilio error body. */
export const negativeCreate: ConformanceCheck<InvalidSample<RequestSample>> = {
  name: "negative data rejection: create",
  asserts:
    "CreateStream requests broken by one rule → 4xx and a Twilio error body where Twilio refuses them (missing Url, Track or StatusCallbackMethod not in the enum, not a URI, malformed path SIDs); unknown fields, orphan ParameterN.Value, non-wss Url may also be accepted (not with --strict)",
  states: "optional",
  arbitrary: () => invalidCreate(),
  cover: (sample) => [invalidRequestKey("CreateStream", sample)],
  async run(sample, env) {
    const path = sample.value.path as { AccountSid: string; CallSid: string };
    const check = async (callSid: string) => {
      const exchange = await send(
        env,
        createStreamHttpRequest(env.credentials, accountFor(sample, env.credentials.accountSid), callSid, sample.value.body),
      );
      expectServerDuty(exchange, "CreateStream", sample, env);
    };
    // A malformed Call SID goes out as it is; a valid one names a call in progress.
    if (isCallSid(path.CallSid)) await onCall(env, path.CallSid, (call) => check(call.callSid));
    else await check(path.CallSid);
  },
};

/** Invalid UpdateStream requests → 4xx with a Twilio error body. */
export const negativeStop: ConformanceCheck<{ request: InvalidSample<RequestSample>; spareStreamSid: string }> = {
  name: "negative data rejection: stop",
  asserts:
    "UpdateStream requests broken by one rule → 4xx and a Twilio error body where Twilio refuses them (Status missing or not stopped, malformed path SIDs); unknown fields may also be accepted (not with --strict)",
  states: "optional",
  arbitrary: () => fc.record({ request: invalidUpdate(), spareStreamSid: streamSid() }),
  // A Stream named by its SID and one named by its name, for every break of the body.
  cover: ({ request }) => [
    `${invalidRequestKey("UpdateStream", request)}${request.path.startsWith("/body/") ? ` by ${isStreamSid(request.value.path.Sid) ? "sid" : "name"}` : ""}`,
  ],
  async run({ request: sample, spareStreamSid }, env) {
    const path = sample.value.path as { AccountSid: string; CallSid: string; Sid: string };
    const check = async (callSid: string) => {
      const exchange = await send(
        env,
        updateStreamHttpRequest(env.credentials, accountFor(sample, env.credentials.accountSid), callSid, path.Sid, sample.value.body),
      );
      expectServerDuty(exchange, "UpdateStream", sample, env);
    };
    // The Stream the request names exists (by SID or by name), so only the data is wrong.
    if (!isCallSid(path.CallSid)) return check(path.CallSid);
    if (path.Sid === "") return onCall(env, path.CallSid, (call) => check(call.callSid));
    const stream = isStreamSid(path.Sid) ? { streamSid: path.Sid, name: "verify" } : { streamSid: spareStreamSid, name: path.Sid };
    return onStream(env, { callSid: path.CallSid, ...stream }, (s) => check(s.callSid));
  },
};
