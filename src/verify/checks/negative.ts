/**
 * Invalid requests, each broken by one known rule: refused with 4xx and a Twilio error body,
 * never accepted, never a server error. With a states URL the call (and Stream) the request
 * names exist, so that the server must refuse the data itself, not the unknown call.
 */
import fc from "fast-check";
import type { ConformanceCheck } from "../check.js";
import { expectStatus, expectTwilioError, isClientError, send } from "../expect.js";
import { isCallSid, isStreamSid } from "../../validators/sid.js";
import { createStreamHttpRequest, updateStreamHttpRequest } from "../requests.js";
import { invalidCreate, invalidUpdate, streamSid, type InvalidSample, type RequestSample } from "../samples.js";
import { onCall, onStream } from "./fixtures.js";

/** The sample's AccountSid, unless the sample is not about it: then the run's account. */
function accountFor(sample: InvalidSample<RequestSample>, runAccount: string): string {
  return sample.path.startsWith("/path/AccountSid") ? (sample.value.path.AccountSid as string) : runAccount;
}

function why(sample: InvalidSample<RequestSample>): string {
  return `an invalid request (${sample.reason} at ${sample.path}) was not refused with 4xx`;
}

/** Invalid CreateStream requests → 4xx with a Twilio error body. */
export const negativeCreate: ConformanceCheck<InvalidSample<RequestSample>> = {
  name: "negative data rejection: create",
  asserts: "CreateStream requests broken by one rule (bad Url, bad Track, orphan ParameterN.Value, unknown field, malformed path SIDs …) → 4xx and a Twilio error body",
  states: "optional",
  arbitrary: () => invalidCreate(),
  async run(sample, env) {
    const path = sample.value.path as { AccountSid: string; CallSid: string };
    const check = async (callSid: string) => {
      const exchange = await send(env, createStreamHttpRequest(env.credentials, accountFor(sample, env.credentials.accountSid), callSid, sample.value.body));
      expectStatus(exchange, isClientError, "4xx (400 Bad Request)", why(sample));
      expectTwilioError(exchange);
    };
    // A malformed Call SID goes out as it is; a valid one names a call in progress.
    if (isCallSid(path.CallSid)) await onCall(env, path.CallSid, (call) => check(call.callSid));
    else await check(path.CallSid);
  },
};

/** Invalid UpdateStream requests → 4xx with a Twilio error body. */
export const negativeStop: ConformanceCheck<{ request: InvalidSample<RequestSample>; spareStreamSid: string }> = {
  name: "negative data rejection: stop",
  asserts: "UpdateStream requests broken by one rule (Status other than stopped, unknown field, empty or malformed path SIDs …) → 4xx and a Twilio error body",
  states: "optional",
  arbitrary: () => fc.record({ request: invalidUpdate(), spareStreamSid: streamSid() }),
  async run({ request: sample, spareStreamSid }, env) {
    const path = sample.value.path as { AccountSid: string; CallSid: string; Sid: string };
    const check = async (callSid: string) => {
      const exchange = await send(env, updateStreamHttpRequest(env.credentials, accountFor(sample, env.credentials.accountSid), callSid, path.Sid, sample.value.body));
      expectStatus(exchange, isClientError, "4xx (400 Bad Request)", why(sample));
      expectTwilioError(exchange);
    };
    // The Stream the request names exists (by SID or by name), so only the data is wrong.
    if (!isCallSid(path.CallSid)) return check(path.CallSid);
    if (path.Sid === "") return onCall(env, path.CallSid, (call) => check(call.callSid));
    const stream = isStreamSid(path.Sid) ? { streamSid: path.Sid, name: "verify" } : { streamSid: spareStreamSid, name: path.Sid };
    return onStream(env, { callSid: path.CallSid, ...stream }, (s) => check(s.callSid));
  },
};
