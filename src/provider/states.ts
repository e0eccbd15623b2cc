/**
 * The provider-state endpoint of the reference provider: Pact's standard state-change request,
 * `POST <statesUrl>` with JSON `{"state", "params", "action": "setup" | "teardown"}`. Setup answers
 * the values it used as JSON, so pacts may inject them (`fromProviderState`).
 */
import type { StreamEngine } from "../engine/engine.js";
import { streamPath } from "../contract/paths.js";
import { isAccountSid, isCallSid, isStreamSid } from "../validators/sid.js";

/** The provider states the contracts use. */
export const PROVIDER_STATES = {
  callInProgress: "a call is in progress",
  streamInProgress: "a stream is in progress",
  noCall: "no call exists",
} as const;

/** The values a state was set up with. */
export interface StateValues {
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid?: string;
  readonly name?: string | null;
}

/** A state-change answer: 200 with the values, or 400 with why the request was refused. */
export type StateChangeAnswer = { status: 200; body: StateValues | Record<string, never> } | { status: 400; body: { error: string } };

/**
 * Applies a state-change request. Missing SIDs default to the provider's account and fresh
 * SIDs; given ones must be valid SIDs.
 */
export function changeState(engine: StreamEngine, accountSid: string, bodyText: string): StateChangeAnswer {
  let request: { state?: unknown; params?: unknown; action?: unknown };
  try {
    request = JSON.parse(bodyText) as typeof request;
  } catch {
    return refuse("the body must be JSON: {\"state\", \"params\", \"action\"}");
  }
  if (request === null || typeof request !== "object") return refuse("the body must be a JSON object");
  const { state, action = "setup" } = request;
  const params = (typeof request.params === "object" && request.params !== null ? request.params : {}) as Record<string, unknown>;
  if (action !== "setup" && action !== "teardown") return refuse(`action must be "setup" or "teardown", got ${JSON.stringify(action)}`);
  const known = Object.values(PROVIDER_STATES) as string[];
  if (typeof state !== "string" || !known.includes(state)) {
    return refuse(`unknown state ${JSON.stringify(state)}; known: ${known.map((s) => JSON.stringify(s)).join(", ")}`);
  }
  const account = params.accountSid ?? accountSid;
  const call = params.callSid ?? engine.nextSid("CA");
  if (!isAccountSid(account)) return refuse(`params.accountSid must be an Account SID, got ${JSON.stringify(account)}`);
  if (!isCallSid(call)) return refuse(`params.callSid must be a Call SID, got ${JSON.stringify(call)}`);
  const store = engine.store;
  if (action === "teardown" || state === PROVIDER_STATES.noCall) {
    store.removeCall(account, call); // a teardown ends the call, whatever the state was
    return { status: 200, body: action === "teardown" ? {} : { accountSid: account, callSid: call } };
  }
  if (state === PROVIDER_STATES.callInProgress) {
    store.addCall(account, call);
    return { status: 200, body: { accountSid: account, callSid: call } };
  }
  const sid = params.streamSid ?? engine.nextStreamSid();
  if (!isStreamSid(sid)) return refuse(`params.streamSid must be a Stream SID, got ${JSON.stringify(sid)}`);
  const name = params.name ?? null;
  if (name !== null && typeof name !== "string") return refuse(`params.name must be a string or null, got ${JSON.stringify(name)}`);
  store.addStream({ sid, account_sid: account, call_sid: call, name, status: "in-progress", date_updated: engine.timestamp(), uri: streamPath(account, call, sid) });
  return { status: 200, body: { accountSid: account, callSid: call, streamSid: sid, name } };
}

function refuse(error: string): StateChangeAnswer {
  return { status: 400, body: { error } };
}
