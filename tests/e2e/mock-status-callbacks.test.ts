/**
 * The contract mock calls back: stream-started on create, stream-stopped on stop (by SID, by name,
 * when the call ends), stream-error then stream-stopped when a Stream fails; the method asked for,
 * signed so that twilio-node's own validateRequest accepts it; the receiver's answers recorded.
 */
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { startMockServer, type MockServer } from "../../src/mock/index.js";
import { isStreamStatusCallback } from "../../src/index.js";
import { type CallbackReceiver, startCallbackReceiver } from "../support/callback-receiver.js";

const require = createRequire(import.meta.url);
const twilio = require("twilio/lib/webhooks/webhooks.js") as {
  validateRequest(token: string, signature: string, url: string, params: object): boolean;
};

const ACCOUNT = `AC${"a".repeat(32)}`;
const CALL = `CA${"b".repeat(32)}`;
const TOKEN = "client-token-1234";
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function create(mock: MockServer, fields: Record<string, string>, token = TOKEN): Promise<{ sid: string }> {
  const res = await fetch(`${mock.baseUrl}/2010-04-01/Accounts/${ACCOUNT}/Calls/${CALL}/Streams.json`, {
    method: "POST",
    headers: { Authorization: basic(ACCOUNT, token), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ Url: "wss://example.com/media", ...fields }).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { sid: string };
}

async function stop(mock: MockServer, sidOrName: string): Promise<void> {
  const res = await fetch(`${mock.baseUrl}/2010-04-01/Accounts/${ACCOUNT}/Calls/${CALL}/Streams/${encodeURIComponent(sidOrName)}.json`, {
    method: "POST",
    headers: { Authorization: basic(ACCOUNT, TOKEN), "Content-Type": "application/x-www-form-urlencoded" },
    body: "Status=stopped",
  });
  expect(res.status).toBe(200);
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of open.splice(0).reverse()) await server.close();
});
async function setUp(answer?: Parameters<typeof startCallbackReceiver>[0], mockOptions: Parameters<typeof startMockServer>[0] = {}) {
  const receiver = await startCallbackReceiver(answer);
  const mock = await startMockServer(mockOptions);
  open.push(receiver, mock);
  return { receiver, mock };
}

function signedByTwilio(receiver: CallbackReceiver, token: string): boolean[] {
  return receiver.received.map((r) =>
    twilio.validateRequest(token, String(r.headers["x-twilio-signature"]), r.url, r.method === "POST" ? r.params : {}),
  );
}

describe("the mock's status callbacks", () => {
  it("POST: stream-started, then stream-stopped by SID, signed with the create's password", async () => {
    const { receiver, mock } = await setUp();
    await create(mock, { StatusCallback: "http://127.0.0.1:1/x" });
    await mock.drainCallbacks();
    // That one went nowhere (port 1): refused, after the retry.
    expect(mock.callbacks().map((d) => [d.event, d.outcome, d.attempts])).toEqual([["stream-started", "refused", 2]]);
    mock.reset();

    const { sid } = await create(mock, { StatusCallback: `${receiver.baseUrl}/status?tenant=1` });
    await stop(mock, sid);
    await mock.drainCallbacks();
    const got = receiver.received;
    expect(got.map((r) => [r.method, r.params.StreamEvent])).toEqual([
      ["POST", "stream-started"],
      ["POST", "stream-stopped"],
    ]);
    expect(got[0]!.path).toBe("/status?tenant=1");
    expect(got[0]!.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    for (const r of got) {
      expect(isStreamStatusCallback(r.params)).toBe(true);
      expect(r.params).toMatchObject({ AccountSid: ACCOUNT, CallSid: CALL, StreamSid: sid, StreamName: sid });
      expect(r.params.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(signedByTwilio(receiver, TOKEN)).toEqual([true, true]);
    expect(signedByTwilio(receiver, "another-token")).toEqual([false, false]);
    expect(mock.callbacks().map((d) => d.outcome)).toEqual(["delivered", "delivered"]);
    expect(JSON.stringify(mock.callbacks())).not.toContain(TOKEN);
  });

  it("GET: the parameters in the query string; stop by name", async () => {
    const { receiver, mock } = await setUp();
    await create(mock, { StatusCallback: `${receiver.baseUrl}/status`, StatusCallbackMethod: "GET", Name: "support line" });
    await stop(mock, "support line");
    await mock.drainCallbacks();
    expect(receiver.received.map((r) => [r.method, r.params.StreamEvent, r.params.StreamName, r.body])).toEqual([
      ["GET", "stream-started", "support line", ""],
      ["GET", "stream-stopped", "support line", ""],
    ]);
    expect(signedByTwilio(receiver, TOKEN)).toEqual([true, true]);
  });

  it("the hook: a failed Stream sends stream-error, then stream-stopped; the call's end stops the others", async () => {
    const { receiver, mock } = await setUp(undefined, { statusCallbacks: { authToken: "mock-token" } });
    const failing = await create(mock, { StatusCallback: `${receiver.baseUrl}/a` });
    const other = await create(mock, { StatusCallback: `${receiver.baseUrl}/b`, Name: "b" });
    expect(mock.failStream(ACCOUNT, CALL, failing.sid, "31920 Stream - WebSocket - Handshake Error")).toBe(true);
    expect(mock.failStream(ACCOUNT, CALL, failing.sid, "again")).toBe(false);
    mock.endCall(ACCOUNT, CALL);
    await mock.drainCallbacks();
    const of = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => [r.params.StreamEvent, r.params.StreamError]);
    expect(of("/a")).toEqual([
      ["stream-started", undefined],
      ["stream-error", "31920 Stream - WebSocket - Handshake Error"],
      ["stream-stopped", undefined],
    ]);
    expect(of("/b")).toEqual([
      ["stream-started", undefined],
      ["stream-stopped", undefined],
    ]);
    expect(receiver.received.every((r) => r.params.StreamSid === (r.path === "/a" ? failing.sid : other.sid))).toBe(true);
    // --auth-token given: signed with it, not with the create's password.
    expect(signedByTwilio(receiver, "mock-token").every(Boolean)).toBe(true);
  });

  it("the same through the control endpoints", async () => {
    const { receiver, mock } = await setUp();
    const { sid } = await create(mock, { StatusCallback: `${receiver.baseUrl}/c` });
    const post = (path: string, body: unknown) =>
      fetch(`${mock.baseUrl}/__contract/${path}`, { method: "POST", body: JSON.stringify(body) });
    expect(await (await post("fail-stream", { accountSid: ACCOUNT, callSid: CALL, sid, error: "boom" })).json()).toEqual({ failed: true });
    expect((await post("fail-stream", { accountSid: ACCOUNT })).status).toBe(400);
    const listed = (await (await fetch(`${mock.baseUrl}/__contract/callbacks`)).json()) as { callbacks: { event: string }[] };
    await mock.drainCallbacks();
    expect(receiver.received.map((r) => r.params.StreamEvent)).toEqual(["stream-started", "stream-error", "stream-stopped"]);
    expect(Array.isArray(listed.callbacks)).toBe(true);
  });

  it("records what the receiver answered: non-2xx, slow, timeout; remote hosts are not called", async () => {
    const { receiver, mock } = await setUp(
      async (r, res) => {
        if (r.path === "/500") return void res.writeHead(500).end();
        if (r.path === "/slow") await new Promise((resolve) => setTimeout(resolve, 150));
        if (r.path === "/hang") await new Promise((resolve) => setTimeout(resolve, 3000));
        res.writeHead(200).end("ok");
      },
      { statusCallbacks: { slowMs: 50, timeoutMs: 1000, retries: 0 } },
    );
    await create(mock, { StatusCallback: `${receiver.baseUrl}/500` });
    await create(mock, { StatusCallback: `${receiver.baseUrl}/slow` });
    await create(mock, { StatusCallback: `${receiver.baseUrl}/hang` });
    await create(mock, { StatusCallback: "https://example.com/status" });
    await mock.drainCallbacks();
    const outcome = (url: string) => mock.callbacks().find((d) => d.url === url);
    expect(outcome(`${receiver.baseUrl}/500`)).toMatchObject({ outcome: "non-2xx", status: 500 });
    expect(outcome(`${receiver.baseUrl}/slow`)).toMatchObject({ outcome: "slow", status: 200 });
    expect(outcome(`${receiver.baseUrl}/hang`)).toMatchObject({ outcome: "timeout", attempts: 1 });
    expect(outcome("https://example.com/status")).toMatchObject({ outcome: "blocked", attempts: 0 });
    expect(receiver.received.some((r) => r.path === "/status")).toBe(false);
  });
});
