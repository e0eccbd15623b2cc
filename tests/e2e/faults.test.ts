/**
 * Fault injection, through both transports (the mock over HTTP, nock in the process), seen by the
 * real twilio client: every status 400–599 is a RestException with Twilio's code for it, 429 and
 * 503 carry Retry-After, a reset is ECONNRESET, a hang ends with the client's timeout, a slow body
 * still arrives whole; faults apply until cleared or `times` requests, optionally per operation.
 */
import { request as httpRequest } from "node:http";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { twilioErrorCode } from "../../src/contract/errors.js";
import { createStreamPath } from "../../src/contract/paths.js";
import type { FaultInjection } from "../../src/engine/faults.js";
import { isStream, isTwilioError } from "../../src/index.js";
import { type MockServer, startMockServer } from "../../src/mock/server.js";
import { interceptStreams, type StreamInterceptors } from "../../src/nock/index.js";
import { ACCOUNT, CALL, TOKEN, twilioClient } from "./twilio-client.fixtures.js";

const STATUSES = [400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 502, 503, 504, 599];
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64")}`;
const FORM = { authorization: AUTH, "content-type": "application/x-www-form-urlencoded" };

interface Transport {
  readonly name: string;
  /** Where the twilio client sends (undefined: api.twilio.com, for nock). */
  base(): string | undefined;
  /** Where fetch sends. */
  origin(): string;
  inject(fault: FaultInjection): void;
  clear(): void;
  requests(): readonly { status: number }[];
  violations(): readonly unknown[];
  reset(): void;
}

let mock: MockServer;
let streams: StreamInterceptors;
const transports: Transport[] = [
  {
    name: "mock",
    base: () => mock.baseUrl,
    origin: () => mock.baseUrl,
    inject: (fault) => mock.injectFault(fault),
    clear: () => mock.clearFault(),
    requests: () => mock.requests(),
    violations: () => mock.violations(),
    reset: () => mock.reset(),
  },
  {
    name: "nock",
    base: () => undefined,
    origin: () => "https://api.twilio.com",
    inject: (fault) => streams.injectFault(fault),
    clear: () => streams.clearFault(),
    requests: () => streams.requests(),
    violations: () => streams.violations(),
    reset: () => streams.reset(),
  },
];

beforeAll(async () => {
  mock = await startMockServer({ seed: 5 });
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  streams = interceptStreams({ seed: 5 });
});
afterAll(async () => {
  streams.remove();
  nock.enableNetConnect();
  await mock.close();
});

const create = (client: ReturnType<typeof twilioClient>) => client.calls(CALL).streams.create({ url: "wss://example.com/media" });

describe.each(transports)("faults through $name", (transport) => {
  afterEach(() => {
    transport.clear();
    transport.reset();
  });

  it.each(STATUSES)("%i: twilio-node gets a RestException with Twilio's code for it", async (status) => {
    transport.inject({ status, times: 1 });
    const error = (await create(twilioClient(transport.base())).catch((e: unknown) => e)) as {
      status: number;
      code: number;
      moreInfo: string;
      constructor: { name: string };
    };
    expect(error.constructor.name).toBe("RestException");
    expect(error).toMatchObject({
      status,
      code: twilioErrorCode(status),
      moreInfo: `https://www.twilio.com/docs/errors/${twilioErrorCode(status)}`,
    });
    expect(transport.violations()).toEqual([]);
  });

  it.each(STATUSES)("%i: the body is a valid Twilio error; Retry-After only on 429 and 503", async (status) => {
    transport.inject({ status, times: 1, ...(status === 429 ? { retryAfter: 7 } : {}) });
    const response = await fetch(`${transport.origin()}${createStreamPath(ACCOUNT, CALL)}`, {
      method: "POST",
      headers: FORM,
      body: "Url=wss%3A%2F%2Fexample.com",
    });
    const body = (await response.json()) as unknown;
    expect(response.status).toBe(status);
    expect(isTwilioError(body), JSON.stringify(body)).toBe(true);
    expect(response.headers.get("retry-after")).toBe(status === 429 ? "7" : status === 503 ? "1" : null);
  });

  it("a fault applies `times` requests, then the real answers come back", async () => {
    transport.inject({ status: 503, times: 2 });
    const client = twilioClient(transport.base());
    await expect(create(client)).rejects.toMatchObject({ status: 503, code: 20503 });
    await expect(create(client)).rejects.toMatchObject({ status: 503 });
    await expect(create(client)).resolves.toMatchObject({ status: "in-progress" });
  });

  it("without `times`, a fault applies to every request until cleared", async () => {
    transport.inject({ status: 500 });
    const client = twilioClient(transport.base());
    for (let i = 0; i < 3; i++) await expect(create(client)).rejects.toMatchObject({ status: 500, code: 20500 });
    transport.clear();
    await expect(create(client)).resolves.toMatchObject({ status: "in-progress" });
  });

  it("a fault for one operation leaves the other alone (and is not used up by it)", async () => {
    transport.inject({ status: 429, operation: "UpdateStream", times: 1 });
    const call = twilioClient(transport.base()).calls(CALL);
    const created = await call.streams.create({ url: "wss://example.com/media" });
    await expect(call.streams(created.sid).update({ status: "stopped" })).rejects.toMatchObject({ status: 429, code: 20429 });
    await expect(call.streams(created.sid).update({ status: "stopped" })).resolves.toMatchObject({ status: "stopped" });
  });

  it("a faulted request that breaks the contract is still a violation", async () => {
    transport.inject({ status: 503, times: 1 });
    const broken = twilioClient(transport.base(), (o) => ({ ...o, data: { url: "wss://example.com/media" } }));
    await expect(create(broken)).rejects.toMatchObject({ status: 503 });
    expect(transport.violations()).toHaveLength(1);
  });

  it("reset: the client sees ECONNRESET, no answer", async () => {
    transport.inject({ connection: "reset", times: 1 });
    const client = twilioClient(transport.base());
    await expect(create(client)).rejects.toMatchObject({ code: "ECONNRESET" });
    await expect(create(client)).resolves.toMatchObject({ status: "in-progress" });
    expect(transport.requests().map((r) => r.status)).toEqual([0, expect.any(Number)]);
  });

  it("hang: no answer, so the client's own timeout ends the request", async () => {
    transport.inject({ connection: "hang", times: 1 });
    await expect(create(twilioClient(transport.base(), undefined, 300))).rejects.toMatchObject({ code: "ECONNABORTED" });
    await expect(create(twilioClient(transport.base(), undefined, 5000))).resolves.toMatchObject({ status: "in-progress" });
  });

  it("slow body: the real answer arrives whole, in pieces, no sooner than asked", async () => {
    transport.inject({ slowBodyMs: 400, times: 1 });
    const started = performance.now();
    const stream = await create(twilioClient(transport.base()));
    expect(performance.now() - started).toBeGreaterThanOrEqual(360);
    expect(stream.sid).toMatch(/^MZ/);
  });

  it("refuses a malformed fault with a TypeError that says why", () => {
    expect(() => transport.inject({ status: 302 })).toThrow(/status must be an integer from 400 to 599/);
    expect(() => transport.inject({ status: 400, retryAfter: 3 })).toThrow(/retryAfter goes with status 429 or 503/);
    expect(() => transport.inject({ connection: "reset", status: 500 })).toThrow(/not both/);
    expect(() => transport.inject({})).toThrow(/say what to inject/);
  });
});

describe("the mock's fault endpoint (any language's client)", () => {
  afterEach(() => mock.clearFault());
  const endpoint = () => `${mock.baseUrl}/__contract/fault`;

  it("POST injects, GET shows what is left, DELETE clears", async () => {
    const posted = await fetch(endpoint(), { method: "POST", body: JSON.stringify({ status: 429, retryAfter: 2, times: 2 }) });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({ fault: { status: 429, retryAfter: 2, times: 2 }, left: 2 });
    const answer = await fetch(`${mock.baseUrl}${createStreamPath(ACCOUNT, CALL)}`, {
      method: "POST",
      headers: FORM,
      body: "Url=wss%3A%2F%2Fexample.com",
    });
    expect(answer.status).toBe(429);
    expect(answer.headers.get("retry-after")).toBe("2");
    expect(await (await fetch(endpoint())).json()).toMatchObject({ left: 1 });
    expect(await (await fetch(endpoint(), { method: "DELETE" })).json()).toEqual({ fault: null });
    expect(
      (
        await fetch(`${mock.baseUrl}${createStreamPath(ACCOUNT, CALL)}`, {
          method: "POST",
          headers: FORM,
          body: "Url=wss%3A%2F%2Fexample.com",
        })
      ).status,
    ).toBeLessThan(300);
  });

  it("answers 400 with the reason for a malformed fault, and injects nothing", async () => {
    for (const body of ["not json", "[]", '{"status": 200}', '{"connection": "slam"}', '{"status": 503, "tims": 1}']) {
      const response = await fetch(endpoint(), { method: "POST", body });
      expect(response.status, body).toBe(400);
      expect(((await response.json()) as { error: string }).error.length).toBeGreaterThan(10);
    }
    expect(await (await fetch(endpoint())).json()).toEqual({ fault: null });
  });

  it("slow body over HTTP: the headers come first, then the body in several pieces", async () => {
    mock.injectFault({ slowBodyMs: 300, times: 1 });
    const pieces: Buffer[] = [];
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${mock.baseUrl}${createStreamPath(ACCOUNT, CALL)}`, { method: "POST", headers: FORM }, (res) => {
        res.on("data", (chunk: Buffer) => pieces.push(chunk));
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end("Url=wss%3A%2F%2Fexample.com");
    });
    expect(status).toBeLessThan(300);
    expect(pieces.length).toBeGreaterThan(1);
    expect(isStream(JSON.parse(Buffer.concat(pieces).toString("utf8")))).toBe(true);
  });
});
