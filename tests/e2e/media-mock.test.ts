/**
 * The mock really streams: each created Stream is dialled with a signed upgrade and played as
 * Twilio does (connected, start, media, stop), over TLS or, when allowed, plain ws:// to
 * loopback; what the WebSocket server does wrong is recorded under Twilio's code.
 */
import { request } from "node:http";
import twilio from "twilio";
import { afterEach, describe, expect, it } from "vitest";
import { createStreamPath, streamPath } from "../../src/contract/paths.js";
import { FRAME_BYTES } from "../../src/dialer/audio.js";
import { checkMediaSession } from "../../src/validators/media-session.js";
import { type MockServer, startMockServer, type MockServerOptions } from "../../src/mock/server.js";
import { startCallbackReceiver } from "../support/callback-receiver.js";
import { eventually, makeCertificate, type MediaTestServer, type MediaTestServerOptions, startMediaTestServer } from "../support/media-server.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN = "token-0001-secret";

let mock: MockServer | undefined;
let server: MediaTestServer | undefined;
afterEach(async () => {
  await mock?.close();
  await server?.close();
  mock = undefined;
  server = undefined;
});

function post(baseUrl: string, path: string, body: string, password = TOKEN): Promise<{ status: number; json: { sid?: string } }> {
  return new Promise((resolve, reject) => {
    const auth = `Basic ${Buffer.from(`${ACCOUNT}:${password}`).toString("base64")}`;
    const req = request(`${baseUrl}${path}`, { method: "POST", headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString("utf8")) as { sid?: string } }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function setUp(serverOptions: MediaTestServerOptions, media: MockServerOptions["media"]) {
  server = await startMediaTestServer(serverOptions);
  mock = await startMockServer({ seed: 3, media });
  return { server, mock };
}

function create(url: string, extra = ""): Promise<{ status: number; json: { sid?: string } }> {
  return post(mock!.baseUrl, createStreamPath(ACCOUNT, CALL), `Url=${encodeURIComponent(url)}${extra}`);
}

type Message = { event: string; sequenceNumber?: string; streamSid?: string; start?: Record<string, unknown>; media?: { track: string; chunk: string; timestamp: string; payload: string } };

describe("the mock dials and plays each created Stream", () => {
  it("signs the upgrade as Twilio does, then sends connected, start, media and — on stop by name — stop", async () => {
    const { server } = await setUp({}, { plainLoopback: true, pace: "fast" });
    const url = `wss://127.0.0.1:${server.port}/media?token=dropped`;
    const created = await create(url, "&Name=greeting&Track=both_tracks&Parameter1.Name=FirstName&Parameter1.Value=Jane&Parameter2.Name=Empty");
    expect(created.status).toBe(201);
    const connection = await server.nextConnection();
    // The signature is over the wss:// URL without the query string, checked by Twilio's own library.
    const signature = connection.headers["x-twilio-signature"] as string;
    expect(twilio.validateRequest(TOKEN, signature, `wss://127.0.0.1:${server.port}/media`, {})).toBe(true);
    expect(connection.path).toBe("/media");
    expect(connection.headers["user-agent"]).toBe("Twilio.TmeWs/1.0");
    expect(connection.headers["sec-websocket-protocol"]).toBeUndefined();
    expect(connection.headers["sec-websocket-extensions"]).toBeUndefined();
    expect(connection.headers.origin).toBeUndefined();

    await eventually(() => connection.messages.length >= 12, "media frames");
    const stop = await post(mock!.baseUrl, streamPath(ACCOUNT, CALL, "greeting"), "Status=stopped");
    expect(stop.status).toBe(200);
    expect(await connection.closed).toBe(1000);

    const messages = connection.messages as Message[];
    expect(messages[0]).toEqual({ event: "connected", protocol: "Call", version: "1.0.0" });
    expect(messages[1]).toMatchObject({
      event: "start",
      sequenceNumber: "1",
      streamSid: created.json.sid,
      start: { accountSid: ACCOUNT, callSid: CALL, streamSid: created.json.sid, tracks: ["inbound", "outbound"], customParameters: { FirstName: "Jane", Empty: "" }, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } },
    });
    const media = messages.filter((m) => m.event === "media");
    expect(media.length).toBeGreaterThanOrEqual(10);
    expect(new Set(media.map((m) => m.media!.track))).toEqual(new Set(["inbound", "outbound"]));
    for (const m of media) expect(Buffer.from(m.media!.payload, "base64")).toHaveLength(FRAME_BYTES);
    expect(messages.at(-1)).toMatchObject({ event: "stop", streamSid: created.json.sid, stop: { accountSid: ACCOUNT, callSid: CALL } });
    messages.slice(1).forEach((m, index) => expect(m.sequenceNumber).toBe(String(index + 1)));
    // The whole session keeps Twilio's rules, for the very request that created it.
    const body = { Url: url, Name: "greeting", Track: "both_tracks" as const, "Parameter1.Name": "FirstName", "Parameter1.Value": "Jane", "Parameter2.Name": "Empty" };
    expect(checkMediaSession(messages, { request: { body, path: { AccountSid: ACCOUNT, CallSid: CALL } } })).toEqual({ valid: true });
    expect(mock!.mediaViolations()).toEqual([]);
    await eventually(() => mock!.mediaSessions()[0]?.state === "stopped", "the session to be recorded as stopped");
  });

  it("signs with the mock's --auth-token when given, else with the create's password", async () => {
    const { server } = await setUp({}, { plainLoopback: true, pace: "fast", authToken: "the-account-token" });
    await create(`wss://127.0.0.1:${server.port}/a`);
    const connection = await server.nextConnection();
    expect(twilio.validateRequest("the-account-token", connection.headers["x-twilio-signature"] as string, `wss://127.0.0.1:${server.port}/a`, {})).toBe(true);
    expect(twilio.validateRequest(TOKEN, connection.headers["x-twilio-signature"] as string, `wss://127.0.0.1:${server.port}/a`, {})).toBe(false);
  });

  it("sends stop when the call ends", async () => {
    const { server, mock } = await setUp({}, { plainLoopback: true, pace: "fast" });
    await create(`wss://127.0.0.1:${server.port}/a`);
    const connection = await server.nextConnection();
    await eventually(() => connection.messages.length >= 3, "media");
    const ended = await fetch(`${mock.baseUrl}/__contract/end-call`, { method: "POST", body: JSON.stringify({ accountSid: ACCOUNT, callSid: CALL }) });
    expect(ended.status).toBe(200);
    expect(await connection.closed).toBe(1000);
    expect((connection.messages.at(-1) as Message).event).toBe("stop");
  });

  it("at real-time pace, keeps sending 20 ms frames (looping the clip) until stopped", async () => {
    const { server } = await setUp({}, { plainLoopback: true });
    await create(`wss://127.0.0.1:${server.port}/a`);
    const connection = await server.nextConnection();
    // The default clip is 1 s (50 frames): more than 50 media messages means it loops.
    await eventually(() => connection.messages.length > 2 + 55, "more than one clip of audio", 20_000);
    const media = (connection.messages as Message[]).filter((m) => m.event === "media");
    media.forEach((m, index) => expect(m.media).toMatchObject({ chunk: String(index + 1), timestamp: String(index * 20) }));
    expect(checkMediaSession(connection.messages, { complete: false })).toEqual({ valid: true });
  });

  it("dials wss:// over TLS, trusting the CA it is given; an untrusted certificate is 31910", async () => {
    const tls = await makeCertificate();
    const { server } = await setUp({ tls }, { pace: "fast", ca: tls.cert });
    await create(`wss://localhost:${server.port}/secure`);
    const connection = await server.nextConnection();
    expect(twilio.validateRequest(TOKEN, connection.headers["x-twilio-signature"] as string, `wss://localhost:${server.port}/secure`, {})).toBe(true);
    await eventually(() => connection.messages.length >= 3, "media over TLS");
    await mock!.close();
    mock = await startMockServer({ media: { pace: "fast" } }); // no CA: the self-signed certificate is not trusted
    await create(`wss://localhost:${server.port}/secure`);
    await eventually(() => mock!.mediaViolations().length > 0, "a violation");
    expect(mock!.mediaViolations()[0]).toMatchObject({ code: 31910, title: "SSL Protocol Error" });
  });

  it("dials no host but loopback ones unless allowed, and plain ws:// only when allowed: recorded, not a violation", async () => {
    const { server, mock } = await setUp({}, { pace: "fast" });
    expect((await create("wss://example.com/media")).status).toBe(201);
    await eventually(() => mock.mediaSessions().length === 1, "the record");
    expect(mock.mediaSessions()[0]).toMatchObject({ state: "not-dialled", reason: expect.stringContaining("not a loopback host") });
    // Without plainLoopback, a loopback wss:// Url is dialled with TLS: the plain server cannot answer it.
    await create(`wss://127.0.0.1:${server.port}/a`);
    await eventually(() => mock.mediaViolations().length > 0, "a violation");
    expect(server.connections).toHaveLength(0);
  });

  it("streams nothing when media is not asked for", async () => {
    server = await startMediaTestServer({});
    mock = await startMockServer({});
    expect((await create(`wss://127.0.0.1:${server.port}/a`)).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.connections).toHaveLength(0);
    expect(mock.mediaSessions()).toEqual([]);
  });
});

describe("a failed socket fails its Stream", () => {
  it("a refused handshake sends stream-error, then stream-stopped, to the Stream's StatusCallback", async () => {
    const receiver = await startCallbackReceiver();
    try {
      const { server, mock } = await setUp({ refuseWith: 403 }, { plainLoopback: true, pace: "fast" });
      await create(`wss://127.0.0.1:${server.port}/a`, `&StatusCallback=${encodeURIComponent(`${receiver.baseUrl}/status`)}`);
      await eventually(() => receiver.received.length >= 3, "three status callbacks");
      expect(receiver.received.map((r) => r.params.StreamEvent)).toEqual(["stream-started", "stream-error", "stream-stopped"]);
      expect(receiver.received[1]!.params.StreamError).toContain("31920");
      expect(mock.mediaSessions()[0]).toMatchObject({ state: "failed" });
    } finally {
      await receiver.close();
    }
  });
});

describe("what the WebSocket server does wrong is recorded under Twilio's code", () => {
  const cases: [string, MediaTestServerOptions, number, string][] = [
    ["a refused handshake", { refuseWith: 403 }, 31920, "HTTP 403"],
    ["a binary frame", { onOpen: (socket) => socket.send(Buffer.from([1, 2, 3])) }, 31950, "binary"],
    ["text that is not JSON", { onOpen: (socket) => socket.send("hello") }, 31951, "not JSON"],
    ["an unknown event", { onOpen: (socket) => socket.send(JSON.stringify({ event: "play" })) }, 31951, "unknown event"],
    ["a wrong streamSid", { onOpen: (socket) => socket.send(JSON.stringify({ event: "clear", streamSid: "MZ00000000000000000000000000000000" })) }, 31951, "streamSid"],
    ["a message on a unidirectional Stream", { behave: (socket, message) => (message as Message).event === "start" && socket.send(JSON.stringify({ event: "clear", streamSid: (message as Message).streamSid })) }, 31951, "unidirectional"],
    ["closing before stop", { behave: (socket, message) => (message as Message).event === "start" && socket.close(1000) }, 31921, "closed the WebSocket"],
  ];
  for (const [what, behaviour, code, words] of cases) {
    it(`${what}: ${code}`, async () => {
      const { server, mock } = await setUp(behaviour, { plainLoopback: true, pace: "fast" });
      await create(`wss://127.0.0.1:${server.port}/a`);
      await eventually(() => mock.mediaViolations().length > 0, "a violation");
      const [violation] = mock.mediaViolations();
      expect(violation).toMatchObject({ code, url: `wss://127.0.0.1:${server.port}/a` });
      expect(violation!.message).toContain(words);
      expect(JSON.stringify(mock.mediaSessions())).not.toContain(TOKEN);
    });
  }
});
