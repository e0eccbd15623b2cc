/**
 * The reference provider obeys the contract: credentials, 404s, 400s with Twilio error bodies,
 * create and stop by SID and by name, and the provider-state endpoint.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStreamPath, streamPath } from "../../src/contract/paths.js";
import { isStream, isTwilioError } from "../../src/index.js";
import { PROVIDER_STATE, type ReferenceProvider, startReferenceProvider } from "../../src/provider/index.js";
import { basicAuthorization } from "../../src/http/basic-auth.js";
import { startMockServer } from "../../src/mock/server.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "reference-token-0001";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const FORM = "application/x-www-form-urlencoded";

let provider: ReferenceProvider;

beforeAll(async () => {
  provider = await startReferenceProvider({ accountSid: ACCOUNT, authToken: TOKEN, seed: 7 });
});
afterAll(async () => provider.close());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${provider.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: basic(ACCOUNT, TOKEN), "content-type": FORM, ...headers },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    json: (await response.json()) as Record<string, unknown>,
  };
}

async function state(state: string, params: Record<string, unknown>, action: "setup" | "teardown" = "setup") {
  const response = await fetch(provider.statesUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ state, params, action }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function expectError(answer: { status: number; json: unknown }, status: number, code?: number) {
  expect(answer.status).toBe(status);
  expect(isTwilioError(answer.json)).toBe(true);
  expect((answer.json as { status: number }).status).toBe(status);
  if (code !== undefined) expect((answer.json as { code: number }).code).toBe(code);
}

describe("reference provider", () => {
  beforeAll(async () => {
    expect((await state(PROVIDER_STATE.callInProgress, { accountSid: ACCOUNT, callSid: CALL })).status).toBe(200);
  });

  it("creates a Stream: 200, schema-valid, consistent with the request", async () => {
    const answer = await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com%2Fmedia&Track=both_tracks");
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe("application/json; charset=utf-8");
    expect(isStream(answer.json)).toBe(true);
    const stream = answer.json as { sid: string };
    expect(answer.json).toMatchObject({
      account_sid: ACCOUNT,
      call_sid: CALL,
      name: null,
      status: "in-progress",
      uri: streamPath(ACCOUNT, CALL, stream.sid),
    });
    expect(stream.sid).toMatch(/^MZ[0-9a-f]{32}$/);
  });

  it("gives each Stream a fresh SID", async () => {
    const sids = new Set<string>();
    for (let i = 0; i < 5; i++) sids.add((await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com")).json.sid as string);
    expect(sids.size).toBe(5);
  });

  it("stops a Stream by SID: 200, stopped, same SID; stopping again is idempotent", async () => {
    const created = await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com");
    const sid = created.json.sid as string;
    const stopped = await post(streamPath(ACCOUNT, CALL, sid), "Status=stopped");
    expect(stopped.status).toBe(200);
    expect(isStream(stopped.json)).toBe(true);
    expect(stopped.json).toMatchObject({ sid, status: "stopped", uri: streamPath(ACCOUNT, CALL, sid) });
    const again = await post(streamPath(ACCOUNT, CALL, sid), "Status=stopped");
    expect(again.status).toBe(200);
    expect(again.json).toEqual(stopped.json);
  });

  it("echoes Name and stops a Stream by name; a name is free again once its Stream stopped", async () => {
    const created = await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com&Name=my+stream");
    expect(created.json.name).toBe("my stream");
    const duplicate = await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com&Name=my+stream");
    expectError(duplicate, 400, 20001);
    const stopped = await post(streamPath(ACCOUNT, CALL, "my stream"), "Status=stopped");
    expect(stopped.status).toBe(200);
    expect(stopped.json).toMatchObject({ sid: created.json.sid, name: "my stream", status: "stopped" });
    const reused = await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com&Name=my+stream");
    expect(reused.status).toBe(200);
  });

  it("answers 401 (20003) without credentials, with wrong ones, or for another account's path", async () => {
    expectError(await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx", { authorization: "" }), 401, 20003);
    expectError(
      await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx", { authorization: basic(ACCOUNT, "wrong-token") }),
      401,
      20003,
    );
    expectError(await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx", { authorization: `Bearer ${TOKEN}` }), 401, 20003);
    const other = "ACffffffffffffffffffffffffffffffff";
    expectError(await post(createStreamPath(other, CALL), "Url=wss%3A%2F%2Fx"), 401, 20003);
  });

  it("answers 404 (20404) for unknown calls, Streams, paths and malformed path SIDs", async () => {
    expectError(await post(createStreamPath(ACCOUNT, "CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), "Url=wss%3A%2F%2Fx"), 404, 20404);
    expectError(await post(streamPath(ACCOUNT, CALL, "MZbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), "Status=stopped"), 404, 20404);
    expectError(await post(streamPath(ACCOUNT, CALL, "no-such-name"), "Status=stopped"), 404, 20404);
    expectError(await post(createStreamPath(ACCOUNT, "CA123"), "Url=wss%3A%2F%2Fx"), 404, 20404);
    expectError(await post(`/2010-04-01/Accounts/${ACCOUNT}/Calls/${CALL}/Stream.json`, "Url=wss%3A%2F%2Fx"), 404, 20404);
  });

  it.each([
    ["missing Url", ""],
    ["http Url", "Url=http%3A%2F%2Fexample.com"],
    ["bad Track", "Url=wss%3A%2F%2Fx&Track=both"],
    ["bad StatusCallbackMethod", "Url=wss%3A%2F%2Fx&StatusCallbackMethod=PUT"],
    ["orphan Parameter1.Value", "Url=wss%3A%2F%2Fx&Parameter1.Value=1"],
    ["unknown field", "Url=wss%3A%2F%2Fx&url=wss%3A%2F%2Fx"],
    ["bad percent-encoding", "Url=wss%3A%2F%2Fx%zz"],
  ])("answers 400 (20001) to an invalid create: %s", async (_, body) => {
    expectError(await post(createStreamPath(ACCOUNT, CALL), body), 400, 20001);
  });

  it("answers 400 to a JSON body and to a bad update status", async () => {
    expectError(
      await post(createStreamPath(ACCOUNT, CALL), JSON.stringify({ Url: "wss://x" }), { "content-type": "application/json" }),
      400,
      20001,
    );
    const created = await post(createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com");
    expectError(await post(streamPath(ACCOUNT, CALL, created.json.sid as string), "Status=completed"), 400, 20001);
  });

  it("answers 405 (20004) to other methods, with Allow: POST", async () => {
    for (const method of ["GET", "DELETE", "PUT"]) {
      const response = await fetch(`${provider.baseUrl}${createStreamPath(ACCOUNT, CALL)}`, {
        method,
        headers: { authorization: basic(ACCOUNT, TOKEN) },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(isTwilioError(await response.json())).toBe(true);
    }
  });

  it("answers 413 to a body over 1 MB", async () => {
    const answer = await post(createStreamPath(ACCOUNT, CALL), `Url=wss%3A%2F%2Fx&Name=${"a".repeat(1024 * 1024)}`);
    expectError(answer, 413);
  });

  it("sets up and tears down the three provider states", async () => {
    const call = "CAcccccccccccccccccccccccccccccccc";
    const stream = "MZcccccccccccccccccccccccccccccccc";
    const setup = await state(PROVIDER_STATE.streamInProgress, { accountSid: ACCOUNT, callSid: call, streamSid: stream, name: "named" });
    // The setup answers the params it used and its own credentials, for Pact's provider-state injection.
    expect(setup).toEqual({
      status: 200,
      json: { accountSid: ACCOUNT, callSid: call, streamSid: stream, name: "named", authorization: basicAuthorization(ACCOUNT, TOKEN) },
    });
    expect((await post(streamPath(ACCOUNT, call, "named"), "Status=stopped")).json).toMatchObject({ sid: stream, status: "stopped" });
    expect(
      (await state(PROVIDER_STATE.streamInProgress, { accountSid: ACCOUNT, callSid: call, streamSid: stream, name: "named" }, "teardown"))
        .status,
    ).toBe(200);
    expectError(await post(createStreamPath(ACCOUNT, call), "Url=wss%3A%2F%2Fx"), 404, 20404);

    expect((await state(PROVIDER_STATE.callInProgress, { accountSid: ACCOUNT, callSid: call })).status).toBe(200);
    expect((await post(createStreamPath(ACCOUNT, call), "Url=wss%3A%2F%2Fx")).status).toBe(200);
    expect((await state(PROVIDER_STATE.noCall, { accountSid: ACCOUNT, callSid: call })).status).toBe(200);
    expectError(await post(createStreamPath(ACCOUNT, call), "Url=wss%3A%2F%2Fx"), 404, 20404);
  });

  it("refuses unknown states and malformed state requests with 400", async () => {
    expect((await state("the moon is full", {})).status).toBe(400);
    expect((await state(PROVIDER_STATE.callInProgress, { callSid: "CA1" })).status).toBe(400);
    const notJson = await fetch(provider.statesUrl, { method: "POST", body: "state=x" });
    expect(notJson.status).toBe(400);
  });

  it("answers a state change without a state (an interaction that has none) as a no-op", async () => {
    expect(await state(undefined as unknown as string, {})).toEqual({ status: 200, json: {} });
    expectError(await post(createStreamPath(ACCOUNT, "CAdddddddddddddddddddddddddddddddd"), "Url=wss%3A%2F%2Fx"), 404, 20404);
  });

  it("refuses missing state params", async () => {
    expect(await state(PROVIDER_STATE.callInProgress, {})).toMatchObject({
      status: 400,
      json: { error: expect.stringContaining("accountSid") },
    });
    expect((await state(PROVIDER_STATE.streamInProgress, { accountSid: ACCOUNT, callSid: CALL })).status).toBe(400);
  });

  it("is reproducible: the same seed gives the same SIDs", async () => {
    const sidsOf = async () => {
      const p = await startReferenceProvider({ accountSid: ACCOUNT, authToken: TOKEN, seed: 42 });
      try {
        await fetch(p.statesUrl, {
          method: "POST",
          body: JSON.stringify({ state: PROVIDER_STATE.callInProgress, params: { accountSid: ACCOUNT, callSid: CALL }, action: "setup" }),
        });
        const response = await fetch(`${p.baseUrl}${createStreamPath(ACCOUNT, CALL)}`, {
          method: "POST",
          headers: { authorization: basic(ACCOUNT, TOKEN), "content-type": FORM },
          body: "Url=wss%3A%2F%2Fx",
        });
        return ((await response.json()) as { sid: string }).sid;
      } finally {
        await p.close();
      }
    };
    expect(await sidsOf()).toBe(await sidsOf());
  });
});

describe("reference provider and mock with createStatus 201", () => {
  it("answer a create with 201 when asked to (Twilio's document from 2022-02 to 2025-02)", async () => {
    const old = await startReferenceProvider({ accountSid: ACCOUNT, authToken: TOKEN, createStatus: 201 });
    const mock = await startMockServer({ createStatus: 201 });
    try {
      await fetch(old.statesUrl, {
        method: "POST",
        body: JSON.stringify({ state: PROVIDER_STATE.callInProgress, params: { accountSid: ACCOUNT, callSid: CALL }, action: "setup" }),
      });
      for (const baseUrl of [old.baseUrl, mock.baseUrl]) {
        const answer = await fetch(`${baseUrl}${createStreamPath(ACCOUNT, CALL)}`, {
          method: "POST",
          headers: { Authorization: basicAuthorization(ACCOUNT, TOKEN), "Content-Type": "application/x-www-form-urlencoded" },
          body: "Url=wss%3A%2F%2Fexample.com%2Fmedia",
        });
        expect(answer.status).toBe(201);
        expect(isStream(await answer.json())).toBe(true);
      }
    } finally {
      await old.close();
      await mock.close();
    }
  });
});

describe("the JSDoc example of startReferenceProvider", () => {
  it("runs as written: the state is set up and the create answers 200", async () => {
    const source = readFileSync(new URL("../../src/provider/index.ts", import.meta.url), "utf8");
    const block = /\* @example\n([\s\S]*?)\n \* @public\n \*\/\nexport async function startReferenceProvider/.exec(source)?.[1];
    expect(block).toBeDefined();
    const code = (block ?? "").replaceAll(/^ \* {3}/gm, "");
    const statuses: number[] = [];
    const recordingFetch = async (...args: Parameters<typeof fetch>) => {
      const response = await fetch(...args);
      statuses.push(response.status);
      return response;
    };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...names: string[]
    ) => (...args: unknown[]) => Promise<void>;
    await new AsyncFunction("startReferenceProvider", "fetch", code)(startReferenceProvider, recordingFetch);
    expect(statuses).toEqual([200, 200]);
  });
});
