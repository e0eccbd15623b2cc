/**
 * The real `twilio` npm client passes through the contract mock and through the nock
 * interceptors with zero violations; broken clients each produce the right violation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../src/mock/server.js";
import { interceptStreams, type StreamInterceptors } from "../../src/nock/index.js";
import { BROKEN_CLIENTS, CALL, createAndStop, twilioClient } from "./twilio-client.fixtures.js";

function expectConsistent(result: Awaited<ReturnType<typeof createAndStop>>) {
  expect(result.named).toMatchObject({ name: "support", status: "in-progress", callSid: CALL });
  expect(result.named.sid).toMatch(/^MZ[0-9a-f]{32}$/);
  expect(result.plain.name).toBeNull();
  expect(result.stoppedByName).toMatchObject({ sid: result.named.sid, status: "stopped" });
  expect(result.stoppedBySid).toMatchObject({ sid: result.plain.sid, status: "stopped" });
  expect(result.named.dateUpdated).toBeInstanceOf(Date);
}

describe("twilio client through the contract mock", () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ seed: 3 });
  });
  afterEach(() => mock.reset());
  afterAll(async () => mock.close());

  it("creates and stops Streams with zero violations", async () => {
    expectConsistent(await createAndStop(twilioClient(mock.baseUrl)));
    expect(mock.violations()).toEqual([]);
    expect(mock.requests().map((r) => `${r.operation} ${r.status}`)).toEqual([
      "CreateStream 200",
      "CreateStream 200",
      "UpdateStream 200",
      "UpdateStream 200",
    ]);
  });

  it.each(BROKEN_CLIENTS)("catches a broken client: $name → $kind", async ({ breakage, kind, issuePath }) => {
    await expect(createAndStop(twilioClient(mock.baseUrl, breakage))).rejects.toThrow();
    const [first] = mock.violations();
    expect(first?.kind).toBe(kind);
    expect(first?.issues.map((i) => i.path)).toContain(issuePath);
    expect(first?.status).toBeGreaterThanOrEqual(400);
  });

  it("serves the violations over HTTP while it runs", async () => {
    const broken = BROKEN_CLIENTS[0];
    await expect(createAndStop(twilioClient(mock.baseUrl, broken?.breakage))).rejects.toThrow();
    const response = await fetch(`${mock.baseUrl}/__contract/violations`);
    const json = (await response.json()) as { count: number; violations: { kind: string }[] };
    expect(json.count).toBe(1);
    expect(json.violations[0]?.kind).toBe("content-type");
  });
});

describe("twilio client through nock", () => {
  let streams: StreamInterceptors;
  beforeAll(() => {
    streams = interceptStreams({ seed: 3 });
  });
  afterEach(() => {
    streams.reset();
    streams.clearFault();
    streams.setLatency(0);
  });
  afterAll(() => streams.remove());

  it("creates and stops Streams with zero violations", async () => {
    expectConsistent(await createAndStop(twilioClient(undefined)));
    expect(streams.violations()).toEqual([]);
    expect(streams.requests()).toHaveLength(4);
  });

  it.each(BROKEN_CLIENTS)("catches a broken client: $name → $kind", async ({ breakage, kind, issuePath }) => {
    await expect(createAndStop(twilioClient(undefined, breakage))).rejects.toThrow();
    const [first] = streams.violations();
    expect(first?.kind).toBe(kind);
    expect(first?.issues.map((i) => i.path)).toContain(issuePath);
  });

  it.each([400, 401, 404, 429, 500] as const)("injects a %i fault with a Twilio error body", async (status) => {
    streams.injectFault({ status, times: 1 });
    const client = twilioClient(undefined);
    await expect(client.calls(CALL).streams.create({ url: "wss://example.com/media" })).rejects.toMatchObject({ status });
    // the fault was used up: the next request gets the real answer
    await expect(client.calls(CALL).streams.create({ url: "wss://example.com/media" })).resolves.toMatchObject({ status: "in-progress" });
    expect(streams.violations()).toEqual([]);
  });

  it("injects a fault for one operation only", async () => {
    streams.injectFault({ status: 500, operation: "UpdateStream" });
    const call = twilioClient(undefined).calls(CALL);
    const created = await call.streams.create({ url: "wss://example.com/media" });
    await expect(call.streams(created.sid).update({ status: "stopped" })).rejects.toMatchObject({ status: 500 });
  });

  it("delays answers by the given latency", async () => {
    streams.setLatency(150);
    const started = performance.now();
    await twilioClient(undefined).calls(CALL).streams.create({ url: "wss://example.com/media" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("removes its interceptors", async () => {
    const own = interceptStreams();
    own.remove();
    await twilioClient(undefined).calls(CALL).streams.create({ url: "wss://example.com/media" });
    expect(own.requests()).toHaveLength(0);
    expect(streams.requests()).toHaveLength(1);
  });
});
