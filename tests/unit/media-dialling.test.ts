/**
 * The rules behind dialling a Stream: where (loopback unless allowed, plain ws:// only to
 * loopback and only when allowed, the URL signed as wss:// without its query string) and
 * Twilio's playback of a bidirectional Stream (marks echoed in order after the audio before
 * them, at once when nothing is buffered; clear echoes every pending mark).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { MediaDialer } from "../../src/dialer/dialer.js";
import { dialTarget } from "../../src/dialer/target.js";
import { eventually } from "../support/media-server.js";
import { Playback } from "../../src/dialer/playback.js";

/**
 * Twilio's playback model at the Stream's own time, as the engine runs it for the fast sessions
 * (src/dialer/leg.ts, `playbackTime: "stream"`): time moves with the caller's audio sent
 * (`advance`), and `drain` moves it to the end of what is queued. (It replaced the sessions'
 * byte-counting PlaybackBuffer; these are that buffer's tests, unchanged.)
 */
class PlaybackBuffer {
  private now = 0;
  private readonly playback = new Playback();
  get playing(): boolean {
    return this.playback.playing(this.now);
  }
  media(bytes: number): void {
    this.playback.media(this.now, bytes);
  }
  mark(name: string): string[] {
    return this.playback.mark(this.now, name);
  }
  clear(): string[] {
    return this.playback.clear(this.now);
  }
  advance(ms: number): string[] {
    this.now += Math.max(0, ms);
    return this.playback.advance(this.now);
  }
  drain(): string[] {
    this.now += this.playback.queuedMs(this.now);
    return this.playback.advance(this.now);
  }
}

describe("dialTarget", () => {
  it("dials loopback wss:// with TLS, signing the URL without its query string", () => {
    expect(dialTarget("wss://127.0.0.1:8443/media?token=x", {})).toEqual({
      connectUrl: "wss://127.0.0.1:8443/media",
      signedUrl: "wss://127.0.0.1:8443/media",
    });
    // A loopback name is dialled only where it resolves to loopback addresses (loopbackLookup).
    expect(dialTarget("wss://localhost/m", {})).toEqual({
      connectUrl: "wss://localhost:443/m",
      signedUrl: "wss://localhost/m",
      loopbackOnly: true,
    });
    expect(dialTarget("wss://app.localhost/m", { allowRemoteHosts: true })).toEqual({
      connectUrl: "wss://app.localhost:443/m",
      signedUrl: "wss://app.localhost/m",
      loopbackOnly: true,
    });
  });

  it("drops TLS to a loopback host only when allowed, keeping the wss:// URL as the signed one", () => {
    expect(dialTarget("wss://[::1]:9000/a", { plainLoopback: true })).toEqual({
      connectUrl: "ws://[::1]:9000/a",
      signedUrl: "wss://[::1]:9000/a",
    });
    expect(dialTarget("ws://127.0.0.1:9000/a", { plainLoopback: true })).toEqual({
      connectUrl: "ws://127.0.0.1:9000/a",
      signedUrl: "wss://127.0.0.1:9000/a",
    });
    expect(dialTarget("ws://127.0.0.1:9000/a", {})).toEqual({ refused: expect.stringContaining("explicitly") });
    expect(dialTarget("ws://example.com/a", { plainLoopback: true, allowRemoteHosts: true })).toEqual({
      refused: expect.stringContaining("loopback"),
    });
  });

  it("dials no other host unless allowed", () => {
    expect(dialTarget("wss://example.com/media", {})).toEqual({ refused: expect.stringContaining("not a loopback host") });
    expect(dialTarget("wss://127.0.0.1.example.com/media", {})).toEqual({ refused: expect.stringContaining("not a loopback host") });
    expect(dialTarget("wss://example.com/media", { allowRemoteHosts: true })).toEqual({
      connectUrl: "wss://example.com:443/media",
      signedUrl: "wss://example.com/media",
    });
  });

  it("refuses what is not a WebSocket URL, or carries credentials; never throws", () => {
    expect(dialTarget("https://127.0.0.1/a", {})).toHaveProperty("refused");
    expect(dialTarget("wss://u:p@127.0.0.1/a", {})).toHaveProperty("refused");
    fc.assert(fc.property(fc.string(), (text) => typeof dialTarget(text, { allowRemoteHosts: true }) === "object"));
  });
});

describe("PlaybackBuffer: Twilio's side of a bidirectional Stream's audio", () => {
  it("echoes a mark when the audio before it has played, in order", () => {
    const buffer = new PlaybackBuffer();
    buffer.media(320); // 40 ms
    expect(buffer.mark("a")).toEqual([]);
    buffer.media(160);
    expect(buffer.mark("b")).toEqual([]);
    expect(buffer.advance(20)).toEqual([]);
    expect(buffer.advance(20)).toEqual(["a"]);
    expect(buffer.advance(20)).toEqual(["b"]);
    expect(buffer.playing).toBe(false);
    expect(buffer.mark("now")).toEqual(["now"]); // nothing buffered: at once
  });

  it("clear drops the audio and echoes every pending mark", () => {
    const buffer = new PlaybackBuffer();
    buffer.media(1600);
    buffer.mark("x");
    buffer.media(1600);
    buffer.mark("y");
    expect(buffer.clear()).toEqual(["x", "y"]);
    expect(buffer.playing).toBe(false);
    expect(buffer.advance(1000)).toEqual([]);
  });

  it("every mark is echoed exactly once, in the order sent, whatever the audio, clears and time", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("media" as const), bytes: fc.integer({ min: 1, max: 800 }) }),
      fc.record({ kind: fc.constant("mark" as const) }),
      fc.record({ kind: fc.constant("clear" as const) }),
      fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 100 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const buffer = new PlaybackBuffer();
        const sent: string[] = [];
        const echoed: string[] = [];
        for (const o of ops) {
          if (o.kind === "media") buffer.media(o.bytes);
          else if (o.kind === "mark") {
            sent.push(`m${sent.length}`);
            echoed.push(...buffer.mark(sent.at(-1)!));
          } else if (o.kind === "clear") echoed.push(...buffer.clear());
          else echoed.push(...buffer.advance(o.ms));
        }
        echoed.push(...buffer.drain());
        expect(echoed).toEqual(sent);
      }),
    );
  });
});

describe("MediaDialer: Streams created at once are dialled a few a tick", () => {
  it("a Stream stopped before its turn to dial is never dialled; the others are", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    const dialled: string[] = [];
    server.on("connection", (socket, request) => dialled.push(request.url ?? ""));
    const { port } = server.address() as AddressInfo;
    const dialer = new MediaDialer({ plainLoopback: true, authToken: "dialling-token" });
    const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, "0");
    for (let i = 1; i <= 3; i++)
      dialer.streamCreated({
        accountSid: sid("AC", 1),
        callSid: sid("CA", i),
        streamSid: sid("MZ", i),
        body: { Url: `wss://127.0.0.1:${port}/s${i}` },
        password: "dialling-token",
      });
    dialer.streamStopped(sid("MZ", 2)); // before any tick: not dialled yet
    await eventually(() => dialer.sessions().filter((s) => s.state === "streaming").length === 2, "two Streams streaming");
    expect(dialled.sort()).toEqual(["/s1", "/s3"]);
    await dialer.close();
    const states = Object.fromEntries(dialer.sessions().map((s) => [s.streamSid.slice(-1), s.state]));
    expect(states).toEqual({ "1": "stopped", "2": "stopped", "3": "stopped" });
    expect(dialled).toHaveLength(2);
    server.close();
  });
});
