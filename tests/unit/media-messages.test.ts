import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  audioFileHeaderOf,
  isMulawBase64,
  isServerStreamMessage,
  isTwilioStreamMessage,
  validateMediaMessage,
  validateServerMediaMessage,
  validateServerStreamMessage,
  validateTwilioDtmfMessage,
  validateTwilioStartMessage,
  validateTwilioStreamMessage,
} from "../../src/index.js";

const schema = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../schemas/${file}`, import.meta.url), "utf8")) as {
    $defs: Record<string, { examples?: unknown[] }>;
  };

const STREAM = "MZ" + "a".repeat(32);
const ACCOUNT = "AC" + "b".repeat(32);
const CALL = "CA" + "c".repeat(32);
const PAYLOAD = Buffer.from([0xff, 0x7f, 0x00, 0x80, 0x12]).toString("base64");
const WAV = Buffer.concat([Buffer.from("RIFF\x24\x00\x00\x00WAVEfmt ", "latin1"), Buffer.alloc(8, 0xff)]).toString("base64");

const media = (patch: Record<string, unknown> = {}) => ({
  event: "media",
  sequenceNumber: "3",
  streamSid: STREAM,
  media: { track: "inbound", chunk: "1", timestamp: "0", payload: PAYLOAD, ...patch },
});
const start = {
  event: "start",
  sequenceNumber: "1",
  streamSid: STREAM,
  start: {
    streamSid: STREAM,
    accountSid: ACCOUNT,
    callSid: CALL,
    tracks: ["inbound", "outbound"],
    customParameters: { FirstName: "Jane" },
    mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 },
  },
};

const issuesOf = (result: { valid: boolean; issues?: readonly { path: string; rule: string }[] }) =>
  result.valid ? [] : result.issues!.map((e) => `${e.path} ${e.rule}`);

describe("the schemas' own examples", () => {
  for (const [file, from] of [
    ["twilio-media-message.schema.json", "twilio"],
    ["server-media-message.schema.json", "server"],
  ] as const) {
    for (const [name, def] of Object.entries(schema(file).$defs)) {
      for (const example of def.examples ?? []) {
        if (typeof example !== "object") continue;
        it(`${file} ${name} example is valid`, () => expect(issuesOf(validateMediaMessage(example, { from }))).toEqual([]));
      }
    }
  }
});

describe("validateTwilioStreamMessage", () => {
  it("accepts Twilio's messages", () => {
    expect(issuesOf(validateTwilioStreamMessage({ event: "connected", protocol: "Call", version: "1.0.0" }))).toEqual([]);
    expect(issuesOf(validateTwilioStreamMessage(start))).toEqual([]);
    expect(issuesOf(validateTwilioStreamMessage(media()))).toEqual([]);
    expect(
      issuesOf(
        validateTwilioStreamMessage({
          event: "stop",
          sequenceNumber: "9",
          streamSid: STREAM,
          stop: { accountSid: ACCOUNT, callSid: CALL },
        }),
      ),
    ).toEqual([]);
  });

  it("allows fields Twilio may add later", () => {
    expect(isTwilioStreamMessage({ ...media(), extra: 1 })).toBe(true);
  });

  it("wants counters as decimal strings", () => {
    expect(issuesOf(validateTwilioStreamMessage({ ...media(), sequenceNumber: 3 }))).toEqual(["/sequenceNumber type"]);
    expect(issuesOf(validateTwilioStreamMessage(media({ chunk: "01" })))).toEqual(["/media/chunk pattern"]);
    expect(issuesOf(validateTwilioStreamMessage(media({ timestamp: "-5" })))).toEqual(["/media/timestamp pattern"]);
    expect(issuesOf(validateTwilioStreamMessage(media({ chunk: "0" })))).toEqual(["/media/chunk pattern"]);
    expect(issuesOf(validateTwilioStreamMessage(media({ timestamp: "0" })))).toEqual([]);
  });

  it("wants inbound_track on dtmf, inbound on media", () => {
    const dtmf = { event: "dtmf", sequenceNumber: "5", streamSid: STREAM, dtmf: { track: "inbound", digit: "1" } };
    expect(issuesOf(validateTwilioDtmfMessage(dtmf))).toEqual(["/dtmf/track const"]);
    expect(issuesOf(validateTwilioStreamMessage(media({ track: "inbound_track" })))).toEqual(["/media/track enum"]);
  });

  it("wants μ-law 8000 Hz mono and a Stream SID", () => {
    const bad = {
      ...start,
      streamSid: "MZ123",
      start: { ...start.start, mediaFormat: { encoding: "audio/l16", sampleRate: 16000, channels: 1 } },
    };
    expect(issuesOf(validateTwilioStartMessage(bad)).sort()).toEqual([
      "/start/mediaFormat/encoding const",
      "/start/mediaFormat/sampleRate const",
      "/streamSid pattern",
    ]);
  });

  it("refuses a payload with a WAV header, not base64, or empty", () => {
    const result = validateTwilioStreamMessage(media({ payload: WAV }));
    expect(issuesOf(result)).toEqual(["/media/payload format"]);
    expect(result.valid ? "" : result.issues[0]!.message).toContain("no WAV or other file header");
    expect(issuesOf(validateTwilioStreamMessage(media({ payload: "not base64!" })))).toEqual(["/media/payload format"]);
    expect(issuesOf(validateTwilioStreamMessage(media({ payload: "" })))).toEqual(["/media/payload format"]);
  });

  it("names an unknown or missing event", () => {
    expect(validateTwilioStreamMessage({ event: "clear", streamSid: STREAM })).toMatchObject({
      valid: false,
      issues: [{ path: "/event", rule: "enum" }],
    });
    expect(validateTwilioStreamMessage({ streamSid: STREAM })).toMatchObject({
      valid: false,
      issues: [{ path: "/event", rule: "required", received: "nothing" }],
    });
    expect(validateTwilioStreamMessage({ event: "toString" })).toMatchObject({ valid: false, issues: [{ path: "/event", rule: "enum" }] });
    for (const value of [null, "media", 3, [media()], undefined]) {
      expect(validateTwilioStreamMessage(value)).toMatchObject({ valid: false, issues: [{ path: "", rule: "type" }] });
    }
  });
});

describe("validateServerStreamMessage", () => {
  it("accepts media, mark and clear", () => {
    expect(isServerStreamMessage({ event: "media", streamSid: STREAM, media: { payload: PAYLOAD } })).toBe(true);
    expect(isServerStreamMessage({ event: "mark", streamSid: STREAM, mark: { name: "" } })).toBe(true);
    expect(isServerStreamMessage({ event: "clear", streamSid: STREAM })).toBe(true);
  });

  it("refuses extra fields (Twilio error 31951), Twilio-only events and WAV files", () => {
    expect(issuesOf(validateServerStreamMessage({ event: "clear", streamSid: STREAM, sequenceNumber: "1" }))).toEqual([
      "/sequenceNumber additionalProperties",
    ]);
    expect(
      issuesOf(validateServerMediaMessage({ event: "media", streamSid: STREAM, media: { payload: PAYLOAD, track: "outbound" } })),
    ).toEqual(["/media/track additionalProperties"]);
    expect(issuesOf(validateServerStreamMessage({ event: "dtmf", streamSid: STREAM }))).toEqual(["/event enum"]);
    expect(issuesOf(validateMediaMessage({ event: "media", streamSid: STREAM, media: { payload: WAV } }, { from: "server" }))).toEqual([
      "/media/payload format",
    ]);
  });
});

describe("hostile values get issues, never exceptions", () => {
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error("trap");
      },
      ownKeys() {
        throw new Error("trap");
      },
    },
  );
  const getter = {
    event: "media",
    get streamSid(): string {
      throw new Error("getter");
    },
  };
  const cycle: Record<string, unknown> = { event: "media", sequenceNumber: "1", streamSid: STREAM };
  cycle.media = cycle;
  const bigint = { ...media(), sequenceNumber: 10n };
  for (const [name, value] of Object.entries({ throwing, getter, cycle, bigint })) {
    it(`${name}`, () => {
      for (const from of ["twilio", "server"] as const) {
        const result = validateMediaMessage(value, { from });
        expect(result.valid).toBe(false);
        if (!result.valid) expect(result.issues.length).toBeGreaterThan(0);
      }
    });
  }
});

describe("mulaw-base64", () => {
  it("is padded base64 of raw audio", () => {
    expect(isMulawBase64("/w==")).toBe(true);
    expect(isMulawBase64("/w")).toBe(false);
    expect(isMulawBase64("/w=a")).toBe(false);
    expect(isMulawBase64("ab c")).toBe(false);
    expect(isMulawBase64("YWJj\u0100")).toBe(false);
  });

  it("names the audio file header a payload starts with", () => {
    expect(audioFileHeaderOf(WAV)).toBe("RIFF (WAV)");
    expect(audioFileHeaderOf(Buffer.from(".snd\0\0\0\x18", "latin1").toString("base64"))).toBe(".snd (Sun/NeXT .au)");
    expect(audioFileHeaderOf(PAYLOAD)).toBeUndefined();
  });
});
