/**
 * verify when the run, not the server's contract, is the problem: a server that hangs or drops
 * connections (a timeout or connection failure within --timeout, exit 2, never a hang), wrong
 * credentials and a wrong states URL (one hint instead of a screen of identical failures), no
 * states URL (checks that need one are skipped with a notice).
 */
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { startReferenceProvider, type ReferenceProvider } from "../../src/provider/index.js";
import { exitCodeOf, renderSummary, runVerify } from "../../src/verify/index.js";
import { createHttpClient } from "../../src/verify/http.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function reference(): Promise<ReferenceProvider> {
  const provider = await startReferenceProvider();
  cleanups.push(() => provider.close());
  return provider;
}

/** A TCP server that does something unhelpful with every connection. */
async function misbehaving(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server: TcpServer = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const credentials = { accountSid: "AC0123456789abcdef0123456789abcdef", authToken: "hunter2-but-longer-token" };
const seed = () => fc.readConfigureGlobal().seed;

describe("verify never hangs on a bad server", () => {
  test("a server that accepts connections and never answers: timeout within --timeout, exit 2", async () => {
    let connections = 0;
    const baseUrl = await misbehaving(() => {
      connections += 1;
    });
    const report = await runVerify({ baseUrl, ...credentials, timeoutMs: 500, runs: 5, seed: seed() });
    // It gives up at the first unanswered request rather than trying every check in turn.
    expect(connections).toBeLessThanOrEqual(15);
    expect(exitCodeOf(report)).toBe(2);
    expect(report.runError).toMatch(/no complete answer .* within 500 ms/);
  });

  test("a server that drops every connection: a connection failure, exit 2", async () => {
    const baseUrl = await misbehaving((socket) => socket.destroy());
    const report = await runVerify({ baseUrl, ...credentials, timeoutMs: 2_000, runs: 5, seed: seed() });
    expect(exitCodeOf(report)).toBe(2);
    expect(report.runError).toMatch(/closed the connection/);
  });

  test("a server that cuts its answer short: a connection failure, exit 2", async () => {
    const baseUrl = await misbehaving((socket) => {
      socket.once("data", () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"sid":');
        setTimeout(() => socket.destroy(), 20);
      });
    });
    const report = await runVerify({ baseUrl, ...credentials, timeoutMs: 2_000, runs: 5, seed: seed() });
    expect(exitCodeOf(report)).toBe(2);
    expect(report.runError).toMatch(/closed the connection without a complete HTTP response/);
  });

  test("nothing listening: connection refused, exit 2", async () => {
    // A port that was free a moment ago: nothing listens on it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const report = await runVerify({ baseUrl: `http://127.0.0.1:${port}`, ...credentials, runs: 5, seed: seed() });
    expect(exitCodeOf(report)).toBe(2);
    expect(report.runError).toMatch(/connection refused/);
  });

  test("a server that answers the first request, then hangs mid-run: timeout reported, exit 2", async () => {
    const provider = await reference();
    let answered = 0;
    const upstream = new URL(provider.baseUrl);
    const proxy: Server = createServer((req, res) => {
      answered += 1;
      if (answered > 30) return; // hang from now on
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const answer = await fetch(new URL(req.url ?? "/", upstream), {
          method: req.method,
          headers: req.headers as Record<string, string>,
          body: req.method === "GET" ? undefined : Buffer.concat(chunks),
        });
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "" });
        res.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          proxy.closeAllConnections();
          proxy.close(() => resolve());
        }),
    );
    const report = await runVerify({
      baseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      statesUrl: provider.statesUrl,
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      timeoutMs: 400,
      runs: 20,
      seed: seed(),
    });
    // It stops at the first unanswered request instead of sending the rest of the run (20 runs of
    // every check would be hundreds of requests): only those already under way reach the server.
    expect(answered).toBeLessThanOrEqual(30 + 15);
    expect(exitCodeOf(report)).toBe(2);
    expect(report.runError).toMatch(/within 400 ms/);
  });
});

describe("a loaded machine", () => {
  test("kept-alive sockets the server closed while idle: the retry goes out on a new connection, not another stale one", async () => {
    // Every socket answers its first request; a second request on it finds it closed, as a socket
    // the server closed while idle does when the client reuses it before noticing.
    const answered = new WeakMap<object, number>();
    const server: Server = createServer((req, res) => {
      const count = (answered.get(req.socket) ?? 0) + 1;
      answered.set(req.socket, count);
      if (count > 1) return req.socket.destroy();
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const http = createHttpClient(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), 10_000);
    cleanups.push(async () => http.close());
    const get = () => http.send({ method: "GET", path: "/", headers: {} });
    // Two sockets in the pool, then requests that reuse them.
    await Promise.all([get(), get()]);
    for (let i = 0; i < 4; i++) expect((await get()).status).toBe(200);
  });
});

describe("misconfiguration: one hint instead of many identical failures", () => {
  test("a wrong auth token: nearly everything is 401, the hint names the credentials", async () => {
    const provider = await reference();
    const report = await runVerify({
      baseUrl: provider.baseUrl,
      statesUrl: provider.statesUrl,
      accountSid: provider.accountSid,
      authToken: "not-the-token-at-all",
      runs: 5,
      seed: seed(),
    });
    expect(exitCodeOf(report)).toBe(1);
    const hint = report.diagnoses.find((d) => /401/.test(d.seen));
    expect(hint?.hint).toMatch(/credentials are probably wrong/);
    expect(hint?.explains.length).toBeGreaterThanOrEqual(5);
    const text = renderSummary(report);
    expect(text).toContain("Probably misconfigured");
    // The explained failures are named, not detailed.
    expect(text).not.toMatch(/\d+\) conformance › positive data acceptance/);
    // Checks that never got past the refused create are not reported as passed.
    expect(report.outcomes.find((o) => o.name === "conformance › stream matches request")?.status).toBe("skipped");
  });

  test("a states URL that is not a state endpoint: the hint names --states-url", async () => {
    const provider = await reference();
    const report = await runVerify({
      baseUrl: provider.baseUrl,
      statesUrl: `${provider.baseUrl}/no/such/states`,
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      runs: 5,
      seed: seed(),
    });
    expect(exitCodeOf(report)).toBe(1);
    expect(report.diagnoses.some((d) => /states URL/.test(d.hint))).toBe(true);
  });

  test("no states URL: the checks that need one are skipped with a notice, the others pass", async () => {
    const provider = await reference();
    const report = await runVerify({
      baseUrl: provider.baseUrl,
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      runs: 10,
      seed: seed(),
      skipPact: true,
    });
    expect(report.notices.join("\n")).toMatch(/no --states-url/);
    const skipped = report.outcomes.filter((o) => o.status === "skipped").map((o) => o.name);
    expect(skipped).toContain("conformance › positive data acceptance");
    expect(skipped).toContain("conformance › unknown call");
    expect(report.outcomes.find((o) => o.name === "conformance › ignored auth")?.status).toBe("passed");
    expect(exitCodeOf(report)).toBe(0);
  });
});
