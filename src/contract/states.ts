/**
 * The provider states of the Pact contracts: their names and the shape of their params, written
 * once for the consumer tests (tests/pact), the reference provider and `verify`.
 *
 * A provider receives them in the standard state-change request,
 * `POST <states-url>` with `{"state": name, "params": {...}, "action": "setup" | "teardown"}`.
 * A setup may answer with a JSON object of the same params (e.g. the real SIDs of a test call):
 * the Pact verifier then puts those values into the request path in place of the contract's
 * examples (the paths carry a provider-state generator, see src/contract/interactions.ts).
 */
import { isAccountSid, isCallSid, isStreamSid } from "../validators/sid.js";

/** The state names, exactly as they stand in the pact files. */
export const PROVIDER_STATE = {
  /** A call `callSid` of account `accountSid` is in progress and can stream. */
  callInProgress: "a call is in progress",
  /** That call also has a Stream `streamSid` named `name` in progress. */
  streamInProgress: "a stream is in progress",
  /** Account `accountSid` has no call `callSid`. */
  noCall: "no call exists",
} as const;

/**
 * The param of a state-change answer the contract's requests take their Authorization header
 * from (a Pact provider-state generator on the header): a provider may answer its own Basic
 * credentials there, so that a verifier needs none of its own; without it the pact's fake
 * example stays, and the verifier must send credentials (as `verify` does).
 */
export const AUTHORIZATION_STATE_PARAM = "authorization";

/** Params of `a call is in progress` and `no call exists`. */
export interface CallParams {
  readonly accountSid: string;
  readonly callSid: string;
}

/** Params of `a stream is in progress`. */
export interface StreamParams extends CallParams {
  readonly streamSid: string;
  /** The name the Stream was created with: UpdateStream can stop it by this name. */
  readonly name: string;
}

/** A provider state with its params, as a pact file or a state-change request carries it. */
export type ProviderState =
  | { readonly name: typeof PROVIDER_STATE.callInProgress; readonly params: CallParams }
  | { readonly name: typeof PROVIDER_STATE.streamInProgress; readonly params: StreamParams }
  | { readonly name: typeof PROVIDER_STATE.noCall; readonly params: CallParams };

/**
 * Reads a state-change request's `state` and `params` (a provider's state endpoint calls this).
 * @returns the state, or a message saying what is wrong (unknown state, missing or malformed param).
 */
export function readProviderState(state: unknown, params: unknown): ProviderState | { readonly error: string } {
  const p = typeof params === "object" && params !== null ? (params as Record<string, unknown>) : {};
  const call = (): CallParams | string => {
    if (!isAccountSid(p.accountSid)) return `params.accountSid must be an Account SID (AC…), got ${show(p.accountSid)}`;
    if (!isCallSid(p.callSid)) return `params.callSid must be a Call SID (CA…), got ${show(p.callSid)}`;
    return { accountSid: p.accountSid, callSid: p.callSid };
  };
  switch (state) {
    case PROVIDER_STATE.callInProgress:
    case PROVIDER_STATE.noCall: {
      const c = call();
      return typeof c === "string" ? { error: c } : { name: state, params: c };
    }
    case PROVIDER_STATE.streamInProgress: {
      const c = call();
      if (typeof c === "string") return { error: c };
      if (!isStreamSid(p.streamSid)) return { error: `params.streamSid must be a Stream SID (MZ…), got ${show(p.streamSid)}` };
      if (typeof p.name !== "string" || p.name === "") return { error: `params.name must be a non-empty string, got ${show(p.name)}` };
      return { name: state, params: { ...c, streamSid: p.streamSid, name: p.name } };
    }
    default:
      return { error: `unknown provider state ${show(state)}; expected one of: ${Object.values(PROVIDER_STATE).join(", ")}` };
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
