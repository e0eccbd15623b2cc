/**
 * The contract mock's limits, in-process: explicit timeouts (a slow client loses its socket),
 * lists served in chunks and pages, issues per request bounded, a bounded exit summary, and
 * `__proto__` treated as the unknown field it is.
 */
import { connect } from "node:net";
import { once } from "node:events";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStreamPath } from "../../src/contract/paths.js";
import { MAX_ISSUES_PER_REQUEST, StreamEngine } from "../../src/engine/engine.js";
import { createEngineServer, SERVER_TIMEOUTS } from "../../src/engine/http.js";
import { StreamStore } from "../../src/engine/store.js";
import { type MockServer, startMockServer } from "../../src/mock/server.js";
import { renderClientSummary } from "../../src/mock/summary.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:token-0001`).toString("base64")}`;
const FORM = "application/x-www-form-urlencoded";
const CREATE = createStreamPath(ACCOUNT, CALL);

let mock: MockServer;
/** A mock with short timeouts, for the slow clients alone: a loaded machine sends the other tests' big bodies slowly too. */
let impatient: MockServer;
beforeAll(async () => {
  mock = await startMockServer({ seed: 3 });
  impatient = await startMockServer({ seed: 3, timeouts: { headersMs: 300, requestMs: 600, keepAliveMs: 300 } });
});
beforeEach(() => mock.reset());
afterAll(async () => {
  await mock.close();
  await impatient.close();
});

function post(path: string, body: string): Promise<Response> {
  return fetch(`${mock.baseUrl}${path}`, { method: "POST", headers: { authorization: AUTH, "content-type": FORM }, body });
}

/** Opens a raw connection, sends `first`, then one more byte of `dribble` every 100 ms; resolves when the server closes it. */
async function slowClient(first: string, dribble: string): Promise<{ received: string; sentBytes: number }> {
  const { port } = new URL(impatient.baseUrl);
  const socket = connect(Number(port), "127.0.0.1");
  await once(socket, "connect");
  socket.write(first);
  let received = "";
  let sent = 0;
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => undefined);
  const timer = setInterval(() => {
    if (!socket.writable) return;
    socket.write(dribble[sent % dribble.length] as string);
    sent++;
  }, 100);
  await once(socket, "close");
  clearInterval(timer);
  return { received, sentBytes: sent };
}

describe("contract mock: timeouts", () => {
  it("sets explicit header, request and keep-alive timeouts by default", () => {
    const server = createEngineServer({
      engine: new StreamEngine({ policy: { kind: "mock" } }),
      control: () => ({ status: 404, body: {} }),
    });
    expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersMs);
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestMs);
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveMs);
    expect(SERVER_TIMEOUTS.headersMs).toBeLessThan(60_000); // Node's default, which let a slowloris client hold a socket
    server.close();
  });

  it("closes a connection whose headers never end (slowloris)", async () => {
    const { received } = await slowClient(`POST ${CREATE} HTTP/1.1\r\nHost: x\r\n`, "X-Slow: y\r\n");
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a connection whose body never ends", async () => {
    const { received } = await slowClient(
      `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Type: ${FORM}\r\nContent-Length: 100000\r\n\r\n`,
      "Url=wss",
    );
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe("contract mock: bounded records", () => {
  it("keeps MAX_ISSUES_PER_REQUEST issues of a request and counts the rest", async () => {
    const body = ["Url=wss%3A%2F%2Fexample.com", ...Array.from({ length: 50 }, (_, i) => `unknown${i}=1`)].join("&");
    const answer = await post(CREATE, body);
    expect(answer.status).toBe(400);
    const [violation] = mock.violations();
    expect(violation?.issues).toHaveLength(MAX_ISSUES_PER_REQUEST);
    expect(violation?.omittedIssues).toBe(50 - MAX_ISSUES_PER_REQUEST);
    expect(violation?.message).toContain(`and ${50 - MAX_ISSUES_PER_REQUEST} more issues`);
    const twilio = (await answer.json()) as { message: string };
    expect(twilio.message.length).toBeLessThan(5_000);
  });

  it("answers a form of more fields than any request has with one issue", async () => {
    const answer = await post(CREATE, Array.from({ length: 5_000 }, (_, i) => `f${i}=1`).join("&"));
    expect(answer.status).toBe(400);
    expect(mock.violations()[0]).toMatchObject({ kind: "body", omittedIssues: 0, issues: [{ path: "/body", rule: "form" }] });
  });

  it("cuts long issue paths and long recorded paths", async () => {
    await post(CREATE, `Url=wss%3A%2F%2Fexample.com&${"k".repeat(5_000)}=1`);
    await post(`/${"p".repeat(5_000)}`, "");
    const [field, route] = mock.violations();
    expect(field?.issues[0]?.path.length).toBeLessThanOrEqual(200);
    expect(route?.path.length).toBeLessThanOrEqual(2048);
  });

  it("refuses a __proto__ field as unknown (it used to vanish from the check)", async () => {
    for (const body of ["__proto__=x&Url=wss%3A%2F%2Fexample.com", "Url=wss%3A%2F%2Fexample.com&__proto__=x&Name=a&Name=b"]) {
      const answer = await post(CREATE, body);
      expect(answer.status, body).toBe(400);
    }
    expect(mock.violations().flatMap((v) => v.issues.map((i) => i.path))).toContain("/body/__proto__");
  });

  it("forgets the oldest Streams past its byte budget", () => {
    const store = new StreamStore(10, 1_000, 10_000);
    const stream = (i: number) => ({
      sid: `MZ${i}`,
      account_sid: ACCOUNT,
      call_sid: CALL,
      name: `${i}`.padEnd(2_000, "n"),
      status: "in-progress" as const,
      date_updated: "",
      uri: "",
    });
    for (let i = 0; i < 10; i++) store.addStream(stream(i));
    // Each is about 4 KB (a 2,000-character name): the newest two fit in 10,000 bytes.
    expect(["MZ0", "MZ7", "MZ8", "MZ9"].map((sid) => store.findStream(ACCOUNT, CALL, sid) !== undefined)).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});

describe("contract mock: lists", () => {
  it("streams its lists in chunks and pages them with offset and limit", async () => {
    for (let i = 0; i < 600; i++) await fetch(`${mock.baseUrl}/nowhere/${i}`);
    const all = await fetch(`${mock.baseUrl}/__contract/requests`);
    expect(all.headers.get("transfer-encoding")).toBe("chunked");
    const list = (await all.json()) as { count: number; kept: number; requests: { path: string }[] };
    expect(list).toMatchObject({ count: 600, kept: 600 });
    expect(list.requests.map((r) => r.path)).toEqual(Array.from({ length: 600 }, (_, i) => `/nowhere/${i}`));
    const page = (await (await fetch(`${mock.baseUrl}/__contract/violations?offset=598&limit=5`)).json()) as {
      count: number;
      offset: number;
      violations: { path: string }[];
    };
    expect(page).toMatchObject({ count: 600, offset: 598 });
    expect(page.violations.map((v) => v.path)).toEqual(["/nowhere/598", "/nowhere/599"]);
    expect((await fetch(`${mock.baseUrl}/__contract/violations?offset=-1`)).status).toBe(400);
  });

  it("never crashes on a reporting endpoint that fails: a 500", async () => {
    const server = createEngineServer({
      engine: new StreamEngine({ policy: { kind: "mock" } }),
      control: () => {
        throw new RangeError("Invalid string length");
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const answer = await fetch(`http://127.0.0.1:${port}/__contract/violations`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ error: "the endpoint failed: Invalid string length" });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe("contract mock: exit summary", () => {
  it("stays short however many violations and issues were recorded", async () => {
    const body = ["Url=wss%3A%2F%2Fexample.com", ...Array.from({ length: 900 }, (_, i) => `${"u".repeat(900)}${i}=1`)].join("&");
    for (let i = 0; i < 40; i++) expect((await post(CREATE, body)).status).toBe(400);
    const counts = mock.counts();
    const summary = renderClientSummary({
      requests: mock.requests(),
      violations: mock.violations(),
      totalRequests: counts.requests,
      totalViolations: counts.violations,
    });
    expect(summary.length).toBeLessThan(20_000);
    expect(summary).toContain("more issues");
    expect(summary).toContain("… and 20 more");
  });
});
