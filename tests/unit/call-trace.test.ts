/**
 * The engine's wire trace (src/dialer/trace.ts): Twilio's media frames kept as counters and a
 * reference to their shared audio, other frames as their text; read back as the messages that
 * went over the wire.
 */
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { Leg } from "../../src/dialer/leg.js";
import { dialTarget } from "../../src/dialer/target.js";
import { Trace } from "../../src/dialer/trace.js";
import { encodeAudio, MediaFrame, MediaMessageProducer } from "../../src/media/producer.js";
import { eventually } from "../support/media-server.js";

const IDS = { accountSid: "AC" + "1".repeat(32), callSid: "CA" + "2".repeat(32), streamSid: "MZ" + "3".repeat(32) };

describe("Trace: a Stream's frames kept compactly, read back as the messages that went over the wire", () => {
  it("Twilio's media frames come back as the messages sent; other frames as JSON, or as text when they are not JSON", () => {
    const producer = new MediaMessageProducer(IDS);
    const trace = new Trace(IDS.streamSid, 100);
    const sent: unknown[] = [];
    const start = JSON.stringify(producer.start());
    trace.sent(0, start);
    sent.push({ t: 0, from: "twilio", message: JSON.parse(start) });
    const frames = [encodeAudio(new Uint8Array(160).fill(0xff)), encodeAudio(Uint8Array.from({ length: 160 }, (_, i) => i))];
    for (let i = 0; i < 6; i++) {
      if (i === 5) {
        // A message between two media frames takes a sequenceNumber: the next frame does not continue its track.
        const dtmf = JSON.stringify(producer.dtmf("1"));
        trace.sent(99, dtmf);
        sent.push({ t: 99, from: "twilio", message: JSON.parse(dtmf) });
      }
      const frame = producer.mediaFrame("inbound", frames[i % 2]!, i === 3 ? 80 : i > 3 ? 20 * (i + 1) : undefined); // a lost frame: timestamp jumps
      trace.media(20 * i + 0.5, frame);
      sent.push({ t: 20 * i + 0.5, from: "twilio", message: JSON.parse(frame.text) });
      if (i === 1) {
        trace.received(30, Buffer.from('{"event":"clear","streamSid":"MZ1"}'), false);
        trace.received(31, Buffer.from("not json {"), false);
        trace.received(32, Buffer.from([1, 2]), true);
        sent.push(
          { t: 30, from: "server", message: { event: "clear", streamSid: "MZ1" } },
          { t: 31, from: "server", frame: "not json {" },
          { t: 32, from: "server", frame: "binary, 2 bytes: 0102" },
        );
      }
    }
    expect([...trace]).toEqual(sent);
    expect([...trace]).toEqual(sent); // read again: the same
  });

  it("keeps each media frame's track: both tracks of a Stream come back as sent", () => {
    const producer = new MediaMessageProducer({ ...IDS, tracks: ["inbound", "outbound"] });
    const trace = new Trace(IDS.streamSid);
    const audio = encodeAudio(new Uint8Array(160).fill(0x7f));
    const texts: string[] = [];
    for (const track of ["inbound", "outbound", "inbound", "outbound"] as const) {
      const frame = producer.mediaFrame(track, audio);
      trace.media(texts.length, frame);
      texts.push(frame.text);
    }
    expect([...trace].map((entry) => entry.message)).toEqual(texts.map((text) => JSON.parse(text) as unknown));
  });

  it("keeps at most its limit of entries", () => {
    const trace = new Trace(IDS.streamSid, 2);
    const audio = encodeAudio(new Uint8Array(160));
    for (let i = 0; i < 5; i++) trace.media(i, new MediaFrame("{}", "inbound", audio, i + 2, i + 1, 20 * i));
    trace.received(9, Buffer.from("{}"), false);
    expect(trace.length).toBe(2);
    expect([...trace].map((line) => line.t)).toEqual([0, 1]);
  });
});

describe("Leg: media frames sent as pre-serialized text", () => {
  it("go out as their text, are counted as media, traced, and move a Stream's own playback time (its marks come due)", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    const got: string[] = [];
    const audio = encodeAudio(new Uint8Array(160).fill(0x10));
    server.on("connection", (socket) => {
      socket.on("message", (data) => got.push(String(data)));
      // The server plays 20 ms of audio, then a mark: due once 20 ms of the caller's audio went out.
      socket.send(JSON.stringify({ event: "media", streamSid: IDS.streamSid, media: { payload: audio.payload } }));
      socket.send(JSON.stringify({ event: "mark", streamSid: IDS.streamSid, mark: { name: "m1" } }));
    });
    const { port } = server.address() as AddressInfo;
    const target = dialTarget(`ws://127.0.0.1:${port}/`, { plainLoopback: true });
    if ("refused" in target) throw new Error(target.refused);
    const producer = new MediaMessageProducer(IDS);
    const leg = new Leg({
      target,
      authToken: "trace-token",
      upgradeTimeoutMs: 5000,
      closeGraceMs: 1000,
      streamSid: IDS.streamSid,
      bidirectional: true,
      messages: producer,
      playbackTime: "stream",
      record: true,
    });
    expect((await leg.dial()).kind).toBe("open");
    await eventually(() => leg.accepted.get("mark") === 1, "the server's mark taken");
    expect(leg.echoed).toEqual([]); // its audio has not played: no caller audio went out yet
    const frame = producer.mediaFrame("inbound", audio, 0);
    expect(await leg.sendWritten(frame)).toBe(true);
    expect(leg.echoed).toEqual(["m1"]); // the Stream's time moved to 20 ms: the mark came due
    await leg.hangUp();
    server.close();
    expect(leg.sent.get("media")).toBe(1);
    expect(got[0]).toBe(frame.text);
    const traced = [...leg.trace!].filter((entry) => entry.from === "twilio").map((entry) => entry.message);
    expect(traced.map((message) => (message as { event: string }).event)).toEqual(["media", "mark", "stop"]);
    expect(traced[0]).toEqual(JSON.parse(frame.text));
  });
});
