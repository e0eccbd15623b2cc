import { describe, expect, it } from "vitest";
import { MediaMessageProducer } from "../../src/media/producer.js";
import { checkMediaSession, customParametersOf, type MediaSessionOptions, startTracksOf } from "../../src/index.js";

const IDS = { accountSid: "AC" + "1".repeat(32), callSid: "CA" + "2".repeat(32), streamSid: "MZ" + "3".repeat(32) };
const FRAME = new Uint8Array(160).fill(0xff);
const URL = "wss://example.com/media";

/** connected, start, inbound and outbound media interleaved, stop. */
function bothTracks(chunkCounter?: "per-stream" | "per-track") {
  const p = new MediaMessageProducer({ ...IDS, tracks: ["inbound", "outbound"], customParameters: { a: "1" }, chunkCounter });
  return [
    p.connected(),
    p.start(),
    p.media("inbound", FRAME),
    p.media("outbound", FRAME),
    p.media("inbound", FRAME),
    p.media("outbound", FRAME),
    p.stop(),
  ] as unknown as Record<string, unknown>[];
}
const request = {
  body: { Url: URL, Track: "both_tracks", "Parameter1.Name": "a", "Parameter1.Value": "1" },
  path: { AccountSid: IDS.accountSid, CallSid: IDS.callSid },
} as const;

function broken(messages: unknown[], options?: MediaSessionOptions) {
  const result = checkMediaSession(messages, options);
  return result.valid ? "valid" : `${result.violation.index} ${result.violation.rule}`;
}

describe("checkMediaSession", () => {
  it("accepts a session the producer builds, counting chunks either way", () => {
    expect(broken(bothTracks(), { request })).toBe("valid");
    expect(broken(bothTracks("per-track"), { request })).toBe("valid");
    expect(broken(bothTracks("per-track"), { chunkCounter: "per-track" })).toBe("valid");
    expect(broken(bothTracks("per-track"), { chunkCounter: "per-stream" })).toBe("3 chunk");
    expect(broken(bothTracks(), { chunkCounter: "per-track" })).toBe("3 chunk");
  });

  it("accepts a bidirectional session with dtmf and marks", () => {
    const p = new MediaMessageProducer(IDS);
    const session = [
      p.connected(),
      p.start(),
      p.media("inbound", FRAME),
      p.dtmf("5"),
      p.mark("greeting"),
      p.media("inbound", FRAME),
      p.stop(),
    ];
    expect(broken(session, { bidirectional: true })).toBe("valid");
    expect(broken(session, { request: { body: { Url: URL } } })).toBe("3 bidirectional-only");
  });

  it("finds each broken rule at its index", () => {
    const s = bothTracks();
    expect(broken([], {})).toBe("0 connected-first");
    expect(broken([s[1], s[0]])).toBe("0 connected-first");
    expect(broken([{ ...s[0], sequenceNumber: "0" }, ...s.slice(1)])).toBe("0 sequence-number");
    expect(broken([s[0], s[2]])).toBe("1 start-once");
    expect(broken([s[0], s[1], s[0]])).toBe("2 connected-first");
    expect(broken([s[0], { ...s[1], sequenceNumber: "2" }])).toBe("1 sequence-number");
    expect(broken([s[0], s[1], { ...s[1], sequenceNumber: "2" }])).toBe("2 start-once");
    expect(broken([s[0], s[1], s[3], s[2]])).toBe("2 sequence-number");
    expect(broken([s[0], s[1], { ...s[2], streamSid: "MZ" + "4".repeat(32) }])).toBe("2 stream-sid");
    expect(broken([...s, s[6]])).toBe("7 stop-last");
    expect(broken(s.slice(0, 6))).toBe("6 stop-last");
    expect(broken(s.slice(0, 6), { complete: false })).toBe("valid");
    expect(
      broken([s[0], s[1], { ...s[6], sequenceNumber: "2", stop: { ...(s[6]!.stop as object), callSid: "CA" + "9".repeat(32) } }]),
    ).toBe("2 call-identity");
    expect(broken([s[0], s[1], { event: "media" }])).toBe("2 message");
  });

  it("checks timestamps per track and chunks", () => {
    const p = new MediaMessageProducer({ ...IDS, tracks: ["inbound", "outbound"] });
    const session = [
      p.connected(),
      p.start(),
      p.media("inbound", FRAME, 40),
      p.media("outbound", FRAME, 0),
      p.media("inbound", FRAME, 20),
      p.stop(),
    ];
    expect(broken(session)).toBe("4 timestamp");
    const q = new MediaMessageProducer(IDS);
    const skipped = [q.connected(), q.start(), q.media("inbound", FRAME), q.media("inbound", FRAME), q.stop()] as unknown as Record<
      string,
      Record<string, unknown>
    >[];
    skipped[3] = { ...skipped[3]!, media: { ...skipped[3]!.media, chunk: "3" } };
    expect(broken(skipped)).toBe("3 chunk");
  });

  it("checks start against the CreateStream request", () => {
    const s = bothTracks();
    expect(broken(s, { request: { ...request, body: { ...request.body, Track: "inbound_track" } } })).toBe("1 tracks");
    expect(broken(s, { request: { ...request, body: { Url: URL, Track: "both_tracks" } } })).toBe("1 custom-parameters");
    expect(broken(s, { request: { ...request, path: { AccountSid: "AC" + "f".repeat(32) } } })).toBe("1 call-identity");
    expect(broken(s, { bidirectional: true })).toBe("1 tracks");
    expect(broken([s[0], s[1], { ...s[2], media: { ...(s[2]!.media as object), track: "outbound" } }], { complete: false })).toBe("valid");
    const inboundOnly = new MediaMessageProducer(IDS);
    expect(broken([inboundOnly.connected(), inboundOnly.start(), { ...s[3], sequenceNumber: "2" }])).toBe("2 media-track");
  });

  it("never throws on hostile input", () => {
    const trap = new Proxy([], {
      get() {
        throw new Error("trap");
      },
    });
    expect(broken(trap as unknown[])).toBe("0 message");
    expect(broken("not an array" as unknown as unknown[])).toBe("0 message");
    expect(broken([{ event: "connected", protocol: "Call", version: 1n }])).toBe("0 message");
  });
});

describe("what CreateStream fixes in start", () => {
  it("maps Track to start.tracks", () => {
    expect(startTracksOf(undefined)).toEqual(["inbound"]);
    expect(startTracksOf("outbound_track")).toEqual(["outbound"]);
    expect(startTracksOf("both_tracks")).toEqual(["inbound", "outbound"]);
  });

  it("pairs ParameterN.Name with ParameterN.Value in order of N", () => {
    expect(
      customParametersOf({
        Url: URL,
        "Parameter10.Name": "x",
        "Parameter10.Value": "10",
        "Parameter2.Name": "x",
        "Parameter2.Value": "2",
        "Parameter3.Name": "y",
      }),
    ).toEqual({ x: "10", y: "" });
    const proto = customParametersOf({ "Parameter1.Name": "__proto__", "Parameter1.Value": "v" });
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(Object.keys(proto)).toEqual(["__proto__"]);
  });

  it("a revoked Proxy for the session gets a verdict, not a throw", () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    const result = checkMediaSession(proxy);
    expect(result.valid).toBe(false);
    expect(result.valid ? "" : result.violation.message).toContain("the session must be an array of messages");
  });
});
