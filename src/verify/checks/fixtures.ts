/**
 * What a check's sample needs on the server before its requests go out, set up through the
 * provider states and torn down afterwards. Without a states URL the requests go out as they
 * are (checks that cannot do without a state are skipped before they get here).
 *
 * Every sample gets a call of its own: the generated Call SID keeps its first 24 hex digits and
 * ends with a counter of the run. Checks run concurrently from the same seed, and shrinking
 * drives every check towards the same smallest SIDs; without this, one check's teardown would
 * end the call another check is using.
 */
import type { CallParams, StreamParams } from "../../contract/states.js";
import { PROVIDER_STATE } from "../../contract/states.js";
import type { CheckEnv } from "../check.js";

/** The generated Call SID made unique in this run. */
function ownCall(env: CheckEnv, callSid: string): string {
  env.counters.calls += 1;
  return callSid.slice(0, 26) + (env.counters.calls % 0x100000000).toString(16).padStart(8, "0");
}

/** Runs `run` while the call `callSid` of the run's account is in progress. */
export function onCall<T>(env: CheckEnv, callSid: string, run: (call: CallParams) => Promise<T>): Promise<T> {
  const params: CallParams = { accountSid: env.credentials.accountSid, callSid: ownCall(env, callSid) };
  if (env.states === undefined) return run(params);
  return env.states.within({ name: PROVIDER_STATE.callInProgress, params }, run);
}

/** Runs `run` while a Stream `streamSid` named `name` is in progress on the call. */
export function onStream<T>(
  env: CheckEnv,
  stream: Omit<StreamParams, "accountSid">,
  run: (stream: StreamParams) => Promise<T>,
): Promise<T> {
  const params: StreamParams = { accountSid: env.credentials.accountSid, ...stream, callSid: ownCall(env, stream.callSid) };
  if (env.states === undefined) return run(params);
  return env.states.within({ name: PROVIDER_STATE.streamInProgress, params }, run);
}

/** Runs `run` while the run's account has no call `callSid`. */
export function onNoCall<T>(env: CheckEnv, callSid: string, run: (call: CallParams) => Promise<T>): Promise<T> {
  const params: CallParams = { accountSid: env.credentials.accountSid, callSid: ownCall(env, callSid) };
  if (env.states === undefined) return run(params);
  return env.states.within({ name: PROVIDER_STATE.noCall, params }, run);
}
