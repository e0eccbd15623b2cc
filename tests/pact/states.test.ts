import { describe, expect, it } from "vitest";
import { EXAMPLE, INTERACTIONS } from "../../src/contract/interactions.js";
import { PROVIDER_STATE, readProviderState } from "../../src/contract/states.js";

const call = { accountSid: EXAMPLE.accountSid, callSid: EXAMPLE.callSid };

describe("readProviderState", () => {
  it("reads each state of the contract with its params", () => {
    for (const { state } of INTERACTIONS) expect(readProviderState(state.name, state.params)).toEqual(state);
  });

  it("keeps only the params of the state", () => {
    expect(readProviderState(PROVIDER_STATE.noCall, { ...call, extra: 1 })).toEqual({ name: "no call exists", params: call });
  });

  it("says which param is missing or malformed", () => {
    expect(readProviderState(PROVIDER_STATE.callInProgress, { callSid: EXAMPLE.callSid })).toEqual({
      error: "params.accountSid must be an Account SID (AC…), got undefined",
    });
    expect(readProviderState(PROVIDER_STATE.streamInProgress, { ...call, streamSid: EXAMPLE.callSid, name: "x" })).toMatchObject({
      error: expect.stringContaining("params.streamSid must be a Stream SID"),
    });
    expect(readProviderState(PROVIDER_STATE.streamInProgress, { ...call, streamSid: EXAMPLE.streamSid, name: "" })).toMatchObject({
      error: expect.stringContaining("params.name"),
    });
    expect(readProviderState(PROVIDER_STATE.noCall, null)).toMatchObject({ error: expect.stringContaining("params.accountSid") });
  });

  it("names the known states when given another", () => {
    expect(readProviderState("a call exists", call)).toEqual({
      error: 'unknown provider state "a call exists"; expected one of: a call is in progress, a stream is in progress, no call exists',
    });
  });

  it("uses exactly the three state names of the contract", () => {
    expect(new Set(INTERACTIONS.map((i) => i.state.name))).toEqual(new Set(Object.values(PROVIDER_STATE)));
  });
});
