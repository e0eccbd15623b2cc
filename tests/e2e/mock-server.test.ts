/**
 * The contract mock in-process: strict about the client, consistent answers, robust under load
 * and hostile bodies (413 over 1 MB; malformed bodies get a contract error, never a crash).
 */
import { Agent, request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStreamPath, streamPath } from "../../src/contract/paths.js";
import { isStream, isTwilioError } from "../../src/index.js";
import { StreamStore } from "../../src/engine/store.js";
import { type MockServer, startMockServer } from "../../src/mock/server.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:token-0001`).toString("base64")}`;
const FORM = "application/x-www-form-urlencoded";

interface Answer {
  status: number;
  json: unknown;
}

/** One request over node:http; the answer parsed as JSON (a malformed answer throws). */
function send(baseUrl: string, path: string, body: string | Buffer, headers: Record<string, string> = {}, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      { method: "POST", agent, headers: { authorization: AUTH, "content-type": FORM, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ seed: 11 });
});
beforeEach(() => mock.reset());
afterAll(async () => mock.close());

describe("contract mock: answers", () => {
  it("treats any call as in progress and answers consistently with the request", async () => {
    const create = await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fexample.com&Name=a%26b");
    expect(create.status).toBe(200);
    expect(isStream(create.json)).toBe(true);
    const stream = create.json as { sid: string };
    expect(create.json).toMatchObject({
      account_sid: ACCOUNT,
      call_sid: CALL,
      name: "a&b",
      status: "in-progress",
      uri: streamPath(ACCOUNT, CALL, stream.sid),
    });
    const stop = await send(mock.baseUrl, streamPath(ACCOUNT, CALL, "a&b"), "Status=stopped");
    expect(stop).toMatchObject({ status: 200, json: { sid: stream.sid, status: "stopped" } });
    expect(mock.violations()).toEqual([]);
  });

  it("stops a Stream it never saw, by SID or by name", async () => {
    const sid = "MZ0123456789abcdef0123456789abcdef";
    expect(await send(mock.baseUrl, streamPath(ACCOUNT, CALL, sid), "Status=stopped")).toMatchObject({
      status: 200,
      json: { sid, status: "stopped", name: null },
    });
    const byName = await send(mock.baseUrl, streamPath(ACCOUNT, CALL, "unseen"), "Status=stopped");
    expect(byName).toMatchObject({ status: 200, json: { name: "unseen", status: "stopped" } });
    expect(isStream(byName.json)).toBe(true);
  });

  it("is reproducible: the same seed gives the same SIDs", async () => {
    const sidsWith = async (seed: number) => {
      const other = await startMockServer({ seed });
      try {
        const sids = [];
        for (let i = 0; i < 3; i++)
          sids.push(((await send(other.baseUrl, createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx")).json as { sid: string }).sid);
        return sids;
      } finally {
        await other.close();
      }
    };
    const first = await sidsWith(99);
    expect(await sidsWith(99)).toEqual(first);
    expect(await sidsWith(100)).not.toEqual(first);
  });
});

describe("contract mock: violations", () => {
  it.each([
    [
      "a Basic user that is not the path's AccountSid",
      { authorization: `Basic ${Buffer.from("ACffffffffffffffffffffffffffffffff:t").toString("base64")}` },
      "Url=wss%3A%2F%2Fx",
      401,
      "auth",
    ],
    ["an empty password", { authorization: `Basic ${Buffer.from(`${ACCOUNT}:`).toString("base64")}` }, "Url=wss%3A%2F%2Fx", 401, "auth"],
    ["no Content-Type", { "content-type": "" }, "Url=wss%3A%2F%2Fx", 400, "content-type"],
    ["text/plain", { "content-type": "text/plain" }, "Url=wss%3A%2F%2Fx", 400, "content-type"],
    ["a field given twice", {}, "Url=wss%3A%2F%2Fx&Url=wss%3A%2F%2Fy", 400, "body"],
    ["bad percent-encoding", {}, "Url=wss%3A%2F%2Fx%2", 400, "encoding"],
    ["an escape that is not UTF-8", {}, "Url=wss%3A%2F%2Fx%FF", 400, "encoding"],
  ] as const)("records %s", async (_, headers, body, status, kind) => {
    const answer = await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), body, headers);
    expect(answer.status).toBe(status);
    expect(isTwilioError(answer.json)).toBe(true);
    expect(mock.violations().map((v) => v.kind)).toEqual([kind]);
  });

  it("never quotes a credential in a violation, whatever the Authorization header holds", async () => {
    const secret = "s3cr3t-token-value-0123456789";
    for (const authorization of [secret, `Token ${secret}`, `Bearer ${secret}`, `Basic ${Buffer.from(`${secret}:x`).toString("base64")}`]) {
      expect((await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx", { authorization })).status).toBe(401);
    }
    const recorded = JSON.stringify(mock.violations());
    expect(mock.violations()).toHaveLength(4);
    expect(recorded).not.toContain(secret);
    expect(recorded).not.toContain(secret.slice(0, 12));
  });

  it("records malformed path SIDs with 404 and a duplicate in-progress name with 400", async () => {
    expect((await send(mock.baseUrl, createStreamPath(ACCOUNT, "CA-not-a-sid"), "Url=wss%3A%2F%2Fx")).status).toBe(404);
    expect(mock.violations()[0]).toMatchObject({ kind: "path", issues: [{ path: "/path/CallSid" }] });
    await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx&Name=dup");
    expect((await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx&Name=dup")).status).toBe(400);
    expect(mock.violations()[1]).toMatchObject({ kind: "state", issues: [{ path: "/body/Name" }] });
  });

  it("answers 413 to bodies over 1 MB, declared or chunked, and keeps serving", async () => {
    const big = `Url=wss%3A%2F%2Fx&Name=${"n".repeat(1024 * 1024)}`;
    expect((await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), big)).status).toBe(413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${mock.baseUrl}${createStreamPath(ACCOUNT, CALL)}`,
        { method: "POST", headers: { authorization: AUTH, "content-type": FORM, "transfer-encoding": "chunked" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write("n".repeat(64 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(mock.violations().map((v) => v.kind)).toEqual(["too-large", "too-large"]);
    expect((await send(mock.baseUrl, createStreamPath(ACCOUNT, CALL), "Url=wss%3A%2F%2Fx")).status).toBe(200);
  });

  it("answers any body bytes with a contract answer, never a 5xx or a crash", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 256 }),
        fc.constantFrom(createStreamPath(ACCOUNT, CALL), streamPath(ACCOUNT, CALL, "MZ0123456789abcdef0123456789abcdef")),
        async (bytes, path) => {
          const answer = await send(mock.baseUrl, path, Buffer.from(bytes));
          expect(answer.status).toBeLessThan(500);
          expect(answer.status === 200 || answer.status === 201 ? isStream(answer.json) : isTwilioError(answer.json)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("contract mock: memory", () => {
  it("remembers a bounded number of calls, forgetting the oldest", () => {
    const store = new StreamStore(2);
    for (const call of ["CA1", "CA2", "CA3"]) store.addCall(ACCOUNT, call);
    expect([store.hasCall(ACCOUNT, "CA1"), store.hasCall(ACCOUNT, "CA2"), store.hasCall(ACCOUNT, "CA3")]).toEqual([false, true, true]);
  });
});

describe("contract mock: load", () => {
  it("holds 200 concurrent clients × 10,000 requests: none lost or malformed", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 200 });
    const TOTAL = 10_000;
    const CLIENTS = 200;
    let next = 0;
    let good = 0;
    const client = async (id: number) => {
      const call = `CA${id.toString(16).padStart(32, "0")}`;
      while (next < TOTAL) {
        next++;
        const create = await send(
          mock.baseUrl,
          createStreamPath(ACCOUNT, call),
          "Url=wss%3A%2F%2Fexample.com%2Fmedia&Track=both_tracks",
          {},
          agent,
        );
        if (create.status === 200 && isStream(create.json)) good++;
        if (next >= TOTAL) break;
        next++;
        const stop = await send(mock.baseUrl, streamPath(ACCOUNT, call, (create.json as { sid: string }).sid), "Status=stopped", {}, agent);
        if (stop.status === 200 && isStream(stop.json) && (stop.json as { status: string }).status === "stopped") good++;
      }
    };
    try {
      await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
    } finally {
      agent.destroy();
    }
    expect(good).toBe(TOTAL);
    expect(mock.counts()).toEqual({ requests: TOTAL, violations: 0 });
  });
});
