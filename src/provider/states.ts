/**
 * The provider-state endpoint of the reference provider: Pact's standard state-change request,
 * `POST <statesUrl>` with JSON `{"state", "params", "action": "setup" | "teardown"}`. The states
 * and their params are read by src/contract/states.ts; setup answers the params it used, so that
 * pacts may inject them (provider-state generators). A provider serves one account: whatever
 * account a state names, it is set up for the provider's own, and the answer says so (the pact's
 * example account becomes the provider's in the paths), with `authorization`: the provider's own
 * Basic credentials, which the contract's requests take from the state (a verifier then needs
 * no credentials of its own). Anyone who reaches this endpoint gets them: it serves tests, on
 * 127.0.0.1.
 */
import { AUTHORIZATION_STATE_PARAM, PROVIDER_STATE, readProviderState } from "../contract/states.js";
import type { StreamEngine } from "../engine/engine.js";

/** A state-change answer: 200 with the params used, or 400 with why the request was refused. */
export type StateChangeAnswer = { status: 200; body: Readonly<Record<string, unknown>> } | { status: 400; body: { error: string } };

/**
 * Applies a state-change request to the engine's store. Teardown ends the state's call, whatever
 * the state was; `no call exists` ends it on setup too.
 */
export function changeState(
  engine: StreamEngine,
  bodyText: string,
  own?: { readonly accountSid: string; readonly authorization: string },
): StateChangeAnswer {
  let request: unknown;
  try {
    request = JSON.parse(bodyText);
  } catch {
    return refuse('the body must be JSON: {"state", "params", "action"}');
  }
  if (request === null || typeof request !== "object") return refuse("the body must be a JSON object");
  const { state, params, action = "setup" } = request as { state?: unknown; params?: unknown; action?: unknown };
  if (action !== "setup" && action !== "teardown") return refuse(`action must be "setup" or "teardown", got ${JSON.stringify(action)}`);
  // An interaction without a provider state: nothing to set up (what Pact state handlers do).
  if (state === undefined || state === null || state === "") return { status: 200, body: {} };
  const asked = readProviderState(state, params);
  if ("error" in asked) return refuse(asked.error);
  const read = own === undefined ? asked : ({ ...asked, params: { ...asked.params, accountSid: own.accountSid } } as typeof asked);
  const { accountSid, callSid } = read.params;
  const store = engine.store;
  if (action === "teardown" || read.name === PROVIDER_STATE.noCall) {
    engine.endCall(accountSid, callSid);
  } else if (read.name === PROVIDER_STATE.callInProgress) {
    store.addCall(accountSid, callSid);
  } else {
    const { streamSid, name } = read.params;
    engine.addStreamInProgress(accountSid, callSid, streamSid, name);
  }
  return {
    status: 200,
    body: { ...read.params, ...(action === "setup" && own !== undefined ? { [AUTHORIZATION_STATE_PARAM]: own.authorization } : {}) },
  };
}

function refuse(error: string): StateChangeAnswer {
  return { status: 400, body: { error } };
}
