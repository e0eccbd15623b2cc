import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { encodeAudio, MediaMessageProducer } from "../../src/media/producer.js";

const IDS = { accountSid: "AC" + "1".repeat(32), callSid: "CA" + "2".repeat(32), streamSid: "MZ" + "3".repeat(32) };

describe("MediaMessageProducer.mediaFrame: a media message's JSON from a template", () => {
  test.prop([
    fc.constantFrom("per-stream" as const, "per-track" as const),
    fc.array(
      fc.record({
        track: fc.constantFrom("inbound" as const, "outbound" as const),
        audio: fc.uint8Array({ minLength: 1, maxLength: 400 }),
        timestamp: fc.option(fc.nat(10_000_000), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 20 },
    ),
    fc.string(),
  ])("is the text JSON.stringify gives of media(), counters and all, message after message", (chunkCounter, frames, streamSid) => {
    const options = { ...IDS, streamSid, tracks: ["inbound", "outbound"] as const, chunkCounter, firstTimestamp: 7 };
    const objects = new MediaMessageProducer(options);
    const texts = new MediaMessageProducer(options);
    for (const { track, audio, timestamp } of frames) {
      expect(texts.mediaFrame(track, encodeAudio(audio), timestamp).text).toBe(JSON.stringify(objects.media(track, audio, timestamp)));
    }
    // The counters stay in step with the other messages.
    expect(JSON.stringify(texts.stop())).toBe(JSON.stringify(objects.stop()));
  });

  it("encodes an audio frame once, to send it as often as needed; an empty one is refused", () => {
    const silence = encodeAudio(new Uint8Array(160).fill(0xff));
    expect(silence.payload).toBe(Buffer.alloc(160, 0xff).toString("base64"));
    const p = new MediaMessageProducer(IDS);
    const first = JSON.parse(p.mediaFrame("inbound", silence).text) as { media: Record<string, string> };
    const second = JSON.parse(p.mediaFrame("inbound", silence).text) as { sequenceNumber: string; media: Record<string, string> };
    expect(second.sequenceNumber).toBe("2");
    expect([first.media.timestamp, second.media.timestamp, second.media.chunk]).toEqual(["0", "20", "2"]);
    expect(() => encodeAudio(new Uint8Array(0))).toThrow(RangeError);
  });
});
