/**
 * One judge for both dialers: the mock (`mock --stream-media`) and check-media-server give the
 * same verdict — the same Twilio code and words — for the same hostile frame, and neither dies of
 * one. Also the dialers' limits: an absolute upgrade deadline against a server that trickles its
 * answer, and a real-time Stream stopped when the server stops reading.
 */
import { mkdtemp } from "node:fs/promises";
import { createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import { afterEach, describe, expect, it } from "vitest";
import { createStreamPath } from "../../src/contract/paths.js";
import { toneClip } from "../../src/dialer/audio.js";
import { MediaSession } from "../../src/dialer/session.js";
import { runMediaServerCheck } from "../../src/media-check/run.js";
import { type MockServer, type MockServerOptions, startMockServer } from "../../src/mock/server.js";
import { HOSTILE_FRAMES, type HostileFrame, startTricklingServer } from "../support/media-server-hostile.js";
import { eventually, type MediaTestServer, startMediaTestServer } from "../support/media-server.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN = "token-verdicts-0001";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function create(mock: MockServer, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const auth = `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64")}`;
    const req = request(
      `${mock.baseUrl}${createStreamPath(ACCOUNT, CALL)}`,
      { method: "POST", headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(`Url=${encodeURIComponent(url)}`);
  });
}

async function hostileServer(frame: HostileFrame): Promise<MediaTestServer> {
  const server = await startMediaTestServer({
    behave: (socket, message) => {
      const m = message as { event?: string; streamSid?: string };
      if (m.event === "start") frame(socket, m.streamSid ?? "");
    },
  });
  closers.push(() => server.close());
  return server;
}

async function startMock(media: MockServerOptions["media"]): Promise<MockServer> {
  const mock = await startMockServer({ seed: 3, media });
  closers.push(() => mock.close());
  return mock;
}

/** A verdict as a sorted list of "code: message", each Stream's own SID written MZ…. */
function verdict(lines: readonly string[]): string[] {
  return [...new Set(lines.map((line) => line.replace(/MZ[0-9a-fA-F]{32}/g, "MZ…")))].sort();
}

describe("the mock and check-media-server judge a frame alike", () => {
  for (const [what, frame] of HOSTILE_FRAMES) {
    it(`${what}: the same verdict from both; the mock stays up`, async () => {
      const server = await hostileServer(frame);
      const mock = await startMock({ plainLoopback: true, pace: "fast" });
      expect(await create(mock, `wss://127.0.0.1:${server.port}/a`)).toBe(200);
      await eventually(() => mock.mediaViolations().length > 0, "a violation");
      const fromMock = verdict(mock.mediaViolations().map((v) => `${v.code}: ${v.message}`));
      expect(await create(mock, `wss://127.0.0.1:${server.port}/b`)).toBe(200); // still up, still dialling

      const report = await runMediaServerCheck({ url: `ws://127.0.0.1:${server.port}/a`, authToken: TOKEN, runs: 1, seed: 7, calls: 0 });
      const fromCheck = verdict(report.outcomes.filter((o) => o.status === "failed").flatMap((o) => o.failures.map((f) => f.message)));
      expect(fromMock.length).toBeGreaterThan(0);
      expect(fromCheck).toEqual(fromMock);
      expect(report.runError).toBeUndefined();
      for (const line of fromMock) expect(line).not.toContain("    at ");
    });
  }

  it("names a wrong streamSid once, as JSON (not encoded twice)", async () => {
    const [, frame] = HOSTILE_FRAMES.find(([what]) => what === "a wrong streamSid")!;
    const server = await hostileServer(frame);
    const mock = await startMock({ plainLoopback: true, pace: "fast" });
    await create(mock, `wss://127.0.0.1:${server.port}/a`);
    await eventually(() => mock.mediaViolations().length > 0, "a violation");
    const message = mock.mediaViolations().find((v) => v.message.includes("streamSid"))!.message;
    expect(message).toContain('"clear" with streamSid "MZ00000000000000000000000000000000", not this Stream\'s MZ');
    expect(message).not.toContain('\\"');
  });

  it("a frame RFC 6455 forbids is named for what it is (31924), not a closed socket", async () => {
    const [, frame] = HOSTILE_FRAMES.find(([what]) => what === "invalid UTF-8")!;
    const server = await hostileServer(frame);
    const mock = await startMock({ plainLoopback: true, pace: "fast" });
    await create(mock, `wss://127.0.0.1:${server.port}/a`);
    await eventually(() => mock.mediaSessions()[0]?.state === "failed", "the Stream to fail");
    expect(mock.mediaViolations()).toEqual([expect.objectContaining({ code: 31924, title: "Protocol Error" })]);
    expect(mock.mediaViolations()[0]!.message).toMatch(/UTF-8/);
  });
});

describe("the dialers' limits", () => {
  it("an upgrade answered one byte every 400 ms: the mock's Stream fails with 31901 at its deadline", async () => {
    const slow = await startTricklingServer(400);
    closers.push(() => slow.close());
    const mock = await startMock({ plainLoopback: true, pace: "fast", handshakeTimeoutMs: 1500 });
    await create(mock, `wss://127.0.0.1:${slow.port}/a`);
    await eventually(() => mock.mediaSessions()[0]?.state === "failed", "the Stream to fail", 30_000);
    expect(mock.mediaViolations()).toEqual([expect.objectContaining({ code: 31901, message: expect.stringContaining("within 1500 ms") })]);
  });

  it("a server that stops reading a real-time Stream: stopped with 31930, the send buffer capped", async () => {
    // Over a Unix socket, whose kernel buffers are small: on TCP loopback they hold megabytes, and
    // at real-time pace (about 30 KB of messages a second) filling them takes minutes.
    const path = join(await mkdtemp(join(tmpdir(), "media-buffer-")), "server.sock");
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    wss.on("connection", (socket) => (socket as unknown as { _socket: { pause(): void } })._socket.pause());
    await new Promise<void>((resolve) => http.listen(path, resolve));
    closers.push(async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => http.close(() => resolve())));
    });
    let failed = "";
    const session = new MediaSession({
      target: { connectUrl: `ws+unix:${path}:/a`, signedUrl: "wss://localhost/a" },
      authToken: TOKEN,
      stream: {
        accountSid: ACCOUNT,
        callSid: CALL,
        streamSid: `MZ${"1".repeat(32)}`,
        tracks: ["inbound", "outbound"],
        customParameters: {},
      },
      clip: toneClip(),
      pace: "realtime",
      maxBufferedBytes: 16 * 1024,
      onFailed: (error) => (failed = error),
    });
    closers.push(async () => {
      session.stop();
      await session.finished;
    });
    session.open();
    await eventually(() => failed !== "", "the Stream to stop", 120_000);
    expect(failed).toMatch(/^31930 Media Buffer Overflow: the server stopped reading/);
    expect(session.record()).toMatchObject({ state: "failed" });
  }, 150_000);
});
