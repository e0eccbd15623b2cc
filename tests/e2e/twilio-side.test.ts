/**
 * One Twilio side (src/dialer/leg.ts) under the three players of it: the same recorded
 * sequence of server frames gets the same issues — the same rules, codes and words, in the same
 * order — from the mock's Stream (`mock --stream-media`), a check-media-server session and a
 * check-media-server call. And the engine's slow reader: a correct server still passes under
 * it, and what it does shows where the server looks (its marks come back late).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { playCall } from "../../src/call/call.js";
import { toneClip } from "../../src/dialer/audio.js";
import { codeOf } from "../../src/dialer/leg.js";
import { MediaSession } from "../../src/dialer/session.js";
import { dialTarget } from "../../src/dialer/target.js";
import { CALL_CHECKS } from "../../src/media-check/call-checks.js";
import { playSession } from "../../src/media-check/play.js";
import { mediaCheckExitCode, runMediaServerCheck } from "../../src/media-check/run.js";
import { MediaMessageProducer } from "../../src/media/producer.js";
import { eventually, type MediaTestServer, startMediaTestServer } from "../support/media-server.js";

const TOKEN = "twilio-side-token-0001";
const ACCOUNT = `AC${"0123456789abcdef".repeat(2)}`;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A recorded sequence of server frames, sent as soon as the Stream starts (its streamSid given). */
type Recording = (streamSid: string) => readonly (string | Buffer)[];

const UNIDIRECTIONAL: Recording = (sid) => [
  JSON.stringify({ event: "mark", streamSid: sid }), // nameless, and a message on a unidirectional Stream
  JSON.stringify({ event: "clear", streamSid: `MZ${"0".repeat(32)}` }), // another Stream's
  Buffer.from([0x52, 0x49, 0x46, 0x46]), // binary
  "not JSON",
  JSON.stringify({ event: "media", streamSid: sid, media: { payload: "////" } }),
];

const BIDIRECTIONAL: Recording = (sid) => [
  JSON.stringify({ event: "media", streamSid: sid, media: { payload: Buffer.alloc(800, 0x10).toString("base64") } }),
  JSON.stringify({ event: "mark", streamSid: sid, mark: { name: "a" } }),
  JSON.stringify({ event: "mark", streamSid: sid }), // nameless
  JSON.stringify({ event: "media", streamSid: sid, media: { payload: "UklGRgAAAABXQVZF" } }), // a WAV header, not raw μ-law
  JSON.stringify({ event: "clear", streamSid: sid, extra: 1 }),
  JSON.stringify({ event: "clear", streamSid: sid }),
];

async function replaying(recording: Recording): Promise<MediaTestServer> {
  const server = await startMediaTestServer({
    behave: (socket, message) => {
      const m = message as { event?: string; streamSid?: string };
      if (m.event === "start") for (const frame of recording(m.streamSid ?? "")) socket.send(frame, { binary: Buffer.isBuffer(frame) });
    },
  });
  closers.push(() => server.close());
  return server;
}

function stream(n: number) {
  const hex = n.toString(16).padStart(32, "0");
  return { accountSid: ACCOUNT, callSid: `CA${hex}`, streamSid: `MZ${hex}` };
}

/** An issue as Twilio would log it: its code and words, the Stream's SID written MZ…. */
const logged = (code: number, message: string) => `${code}: ${message.replace(/MZ[0-9a-f]{32}/g, "MZ…")}`;

async function fromMock(server: MediaTestServer): Promise<string[]> {
  const lines: string[] = [];
  const session = new MediaSession({
    target: { connectUrl: `${server.origin}/a`, signedUrl: `wss://127.0.0.1:${server.port}/a` },
    authToken: TOKEN,
    stream: { ...stream(1), tracks: ["inbound"], customParameters: {} },
    clip: toneClip({ durationMs: 200 }),
    pace: "fast",
    onViolation: (v) => lines.push(logged(v.code, v.message)),
  });
  session.open();
  await eventually(() => lines.length >= 4, "the mock's violations");
  await new Promise((resolve) => setTimeout(resolve, 300)); // and anything after them
  session.stop();
  await session.finished;
  return lines;
}

async function fromSession(server: MediaTestServer, bidirectional: boolean): Promise<string[]> {
  const producer = new MediaMessageProducer({ ...stream(2), tracks: ["inbound"] });
  const audio = toneClip({ durationMs: 20 });
  const messages = [
    producer.connected(),
    producer.start(),
    producer.media("inbound", audio),
    producer.media("inbound", audio),
    producer.stop(),
  ];
  const target = dialTarget(`${server.origin}/a`, { allowRemoteHosts: true, plainLoopback: true });
  if ("refused" in target) throw new Error(target.refused);
  const played = await playSession(messages, { target, authToken: TOKEN, bidirectional, settleMs: 100 });
  return played.issues.map((f) => logged(codeOf(f.rule as Parameters<typeof codeOf>[0]), f.message));
}

async function fromCall(server: MediaTestServer, bidirectional: boolean): Promise<string[]> {
  const target = dialTarget(`${server.origin}/a`, { allowRemoteHosts: true, plainLoopback: true });
  if ("refused" in target) throw new Error(target.refused);
  const call = await playCall({
    target,
    authToken: TOKEN,
    timeoutMs: 5000,
    bidirectional,
    stream: stream(3),
    script: [{ kind: "silence", ms: 400 }],
  });
  for (const issue of call.issues) expect(issue.atMs).toBeGreaterThanOrEqual(0); // each with its time
  return call.issues.map((f) => logged(codeOf(f.rule), f.message));
}

describe("one Twilio side: the same frames, the same issues from the mock, a session and a call", () => {
  it("a unidirectional Stream's server that sends a nameless mark, another Stream's clear, a binary frame, text that is not JSON", async () => {
    const server = await replaying(UNIDIRECTIONAL);
    const [mock, session, call] = [await fromMock(server), await fromSession(server, false), await fromCall(server, false)];
    expect(mock).toEqual([
      expect.stringMatching(/^31951: the server sent an invalid "mark"/),
      expect.stringMatching(/^31951: the server sent a message on a unidirectional Stream/),
      expect.stringMatching(/^31951: the server sent "clear" with streamSid "MZ…", not this Stream's MZ…$/),
      expect.stringMatching(/^31950: the server sent a binary frame of 4 bytes/),
    ]);
    expect(session).toEqual(mock);
    expect(call).toEqual(mock);
  });

  it("a bidirectional Stream's server: the same issues from a session and a call (the mock's Streams are unidirectional)", async () => {
    const server = await replaying(BIDIRECTIONAL);
    const session = await fromSession(server, true);
    const call = await fromCall(server, true);
    expect(session).toEqual([
      expect.stringMatching(/^31951: the server sent an invalid "mark"/),
      expect.stringMatching(/^31951: the server's media payload is not raw μ-law in base64/),
    ]);
    expect(call).toEqual(session);
  });
});

describe("the slow reader (--slow-reader-ms)", () => {
  /** A correct bidirectional server that sends a named mark every 25 ms (nothing queued: echoed at once) and times each echo. */
  async function markTimer(): Promise<MediaTestServer & { readonly roundTrips: number[] }> {
    const roundTrips: number[] = [];
    const sent = new Map<string, number>();
    const timers = new Set<NodeJS.Timeout>();
    const server = await startMediaTestServer({
      behave: (socket: WebSocket, message) => {
        const m = message as { event?: string; streamSid?: string; mark?: { name: string } };
        if (m.event === "start") {
          let n = 0;
          const timer = setInterval(() => {
            const name = `m${n++}`;
            sent.set(name, performance.now());
            socket.send(JSON.stringify({ event: "mark", streamSid: m.streamSid, mark: { name } }));
          }, 25);
          timers.add(timer);
          socket.once("close", () => clearInterval(timer));
        } else if (m.event === "mark" && m.mark !== undefined) {
          const at = sent.get(m.mark.name);
          if (at !== undefined) roundTrips.push(performance.now() - at);
        }
      },
    });
    closers.push(async () => {
      for (const timer of timers) clearInterval(timer);
      await server.close();
    });
    return Object.assign(server, { roundTrips });
  }

  const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  it("a correct server passes every call check under it; its marks come back up to a read period late", async () => {
    const quick = await markTimer();
    const slow = await markTimer();
    const options = {
      authToken: TOKEN,
      bidirectional: true,
      only: "calls",
      calls: 1,
      scenario: { parameters: {}, steps: [{ kind: "silence" as const, ms: 1500 }] },
    };
    const plain = await runMediaServerCheck({ ...options, url: `${quick.origin}/media` });
    const impaired = await runMediaServerCheck({ ...options, url: `${slow.origin}/media`, slowReaderMs: 300 });
    for (const report of [plain, impaired]) {
      expect(report.outcomes.filter((o) => o.status === "failed")).toEqual([]);
      expect(report.outcomes.find((o) => o.name === CALL_CHECKS.rules)?.status).toBe("passed");
      expect(mediaCheckExitCode(report)).toBe(0);
    }
    expect(impaired.notices).toContain("calls impaired: Twilio's side reads the server's frames every 300 ms (a slow reader)");
    // Read every 300 ms: a mark waits until the next read — half a period on average, nearly all of
    // it for one sent just after a read. (Lower bounds only: a busy machine makes waits longer.)
    expect(slow.roundTrips.length).toBeGreaterThan(20);
    expect(Math.max(...slow.roundTrips)).toBeGreaterThanOrEqual(200);
    expect(median(slow.roundTrips)).toBeGreaterThanOrEqual(75);
    expect(median(slow.roundTrips)).toBeGreaterThan(median(quick.roundTrips));
  }, 60_000);
});
