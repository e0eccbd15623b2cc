/**
 * A call's timeline (src/call/timeline.ts) and its drawing in the HTML report
 * (src/report/timeline.ts): from a CallRecord made by hand, every event at its time — the
 * caller's speech and barge-in, the server's audio as stretches, marks from sent to echoed (or
 * never), clear, keys, the measured latencies where they were measured —, the waveforms' peaks,
 * the audio of four calls embedded, failing calls first; on the page an SVG with its table of
 * events, both sides as playable μ-law WAVs, the server's strings escaped; the JSON without audio.
 * tests/e2e/report-browser.test.ts opens the report of a real run in Chromium.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/call/call.js";
import { callTimeline, callTimelines } from "../../src/call/timeline.js";
import { toneClip } from "../../src/dialer/audio.js";
import { renderHtmlReport } from "../../src/report/html.js";
import { renderJsonReport } from "../../src/report/json.js";
import type { CallTimeline, ReportedCall, RunReport } from "../../src/report/types.js";
import { writeReports } from "../../src/report/write.js";
import { registerSecret } from "../../src/secrets.js";

const HOSTILE_MARK = `<script>alert(1)</script>${"x".repeat(200)}`;
const media = (t: number, bytes: number, from: "twilio" | "server" = "server", timestamp = 0) => ({
  t,
  from,
  message: {
    event: "media",
    media: { timestamp: String(timestamp), payload: Buffer.from(toneClip({ durationMs: bytes / 8 })).toString("base64") },
  },
});

/**
 * Two seconds: the caller asks (205–605 ms), the server answers at 700 ms (ten 20 ms pieces, then
 * 500 ms at 1100 ms), the caller speaks over it at 1205 ms, the server clears at 1300 ms and
 * answers again at 1700 ms; a key at 1800 ms, stop at 1990 ms.
 */
function record(): CallRecord {
  const said = new Uint8Array(100 * 160).fill(0xff);
  said.set(toneClip({ durationMs: 400, amplitude: 0.5 }), 10 * 160);
  said.set(toneClip({ durationMs: 400, amplitude: 0.5 }), 60 * 160);
  const heard = new Uint8Array(2000 * 8).fill(0xff);
  heard.set(toneClip({ durationMs: 200 }), 700 * 8);
  heard.set(toneClip({ durationMs: 200 }), 1100 * 8);
  heard.set(toneClip({ durationMs: 300 }), 1700 * 8);
  return {
    streamSid: "MZ" + "0".repeat(32),
    issues: [],
    received: 16,
    mediaReceived: 12,
    exercised: new Map(),
    durationMs: 2000,
    said,
    heard,
    metrics: {
      turns: [
        { afterBargeIn: false, firstAudioMs: 115, waitedMs: 4000 },
        { afterBargeIn: true, firstAudioMs: 115, waitedMs: 4000 },
      ],
      bargeIn: { duringAudio: true, clearMs: 105, waitedMs: 1000 },
      markRoundTripMs: [190],
      aheadMs: 500,
      gaps: [],
    },
    trace: [
      { t: 3, from: "twilio", message: { event: "start" } },
      media(5, 160, "twilio", 0),
      ...Array.from({ length: 10 }, (_, i) => media(700 + i * 20, 160)),
      { t: 900, from: "server", message: { event: "mark", streamSid: "MZ", mark: { name: HOSTILE_MARK } } },
      { t: 950, from: "server", message: { event: "mark", streamSid: "MZ" } },
      media(1100, 4000),
      { t: 1110, from: "server", message: { event: "mark", mark: { name: "m1" } } },
      { t: 1300, from: "server", message: { event: "clear" } },
      { t: 1300.5, from: "twilio", message: { event: "mark", mark: { name: "m1" } } },
      { t: 1500, from: "server", frame: "binary, 3 bytes: 010203" },
      media(1700, 2400),
      { t: 1800, from: "twilio", message: { event: "dtmf", dtmf: { digit: "5" } } },
      { t: 1990, from: "twilio", message: { event: "stop" } },
    ],
  };
}

const kinds = (timeline: CallTimeline, kind: string) => timeline.events.filter((e) => e.kind === kind);

describe("a call's timeline", () => {
  const timeline = callTimeline(record());

  it("has the caller's speech, a barge-in where it was said over the server's audio (Twilio's playback model)", () => {
    expect(kinds(timeline, "speech")).toEqual([{ kind: "speech", atMs: 205, toMs: 605, label: "the caller speaks, 400 ms" }]);
    expect(kinds(timeline, "barge-in")).toMatchObject([{ atMs: 1205, toMs: 1605 }]);
  });

  it("has the server's audio as stretches, marks from sent to echo (or never), clear, other frames, and Twilio's messages", () => {
    expect(kinds(timeline, "media").map((e) => [e.atMs, e.toMs, e.label])).toEqual([
      [700, 1100, "the server's audio: 11 media message(s), 700 ms of audio"],
      [1700, 1700, "the server's audio: 1 media message(s), 300 ms of audio"],
    ]);
    const marks = kinds(timeline, "mark");
    expect(marks.map((e) => [e.atMs, e.toMs])).toEqual([
      [900, undefined],
      [950, undefined],
      [1110, 1300.5],
    ]);
    expect(marks[0]!.label.length).toBeLessThanOrEqual(80);
    expect(marks[0]!.label).toMatch(/^mark "<script>alert\(1\)<\/script>x+…$/);
    expect(marks[1]!.label).toBe("a mark with no name: never echoed");
    expect(marks[2]!.label).toBe('mark "m1": echoed after 191 ms');
    expect(kinds(timeline, "clear").map((e) => e.atMs)).toEqual([1300]);
    expect(kinds(timeline, "message")).toEqual([{ kind: "message", atMs: 1500, label: "the server: binary, 3 bytes: 010203" }]);
    expect(timeline.events.filter((e) => ["start", "dtmf", "stop"].includes(e.kind)).map((e) => [e.kind, e.atMs, e.label])).toEqual([
      ["start", 3, "Twilio: start"],
      ["dtmf", 1800, "the caller presses 5"],
      ["stop", 1990, "Twilio: stop (the caller hangs up)"],
    ]);
    expect(timeline.events.map((e) => e.atMs)).toEqual(timeline.events.map((e) => e.atMs).sort((a, b) => a - b));
  });

  it("places the measured latencies: each turn's first audio from its speech's last frame, the barge-in to its clear", () => {
    expect(kinds(timeline, "first-audio")).toEqual([
      { kind: "first-audio", atMs: 585, toMs: 700, label: "first audio after 115 ms" },
      { kind: "first-audio", atMs: 1585, toMs: 1700, label: "first audio after 115 ms" },
    ]);
    expect(kinds(timeline, "clear-latency")).toEqual([{ kind: "clear-latency", atMs: 1195, toMs: 1300, label: "barge-in → clear 105 ms" }]);
    const unanswered = callTimeline({
      ...record(),
      metrics: {
        ...record().metrics,
        turns: [{ afterBargeIn: false, firstAudioMs: null, waitedMs: 4000.4 }],
        bargeIn: { duringAudio: true, clearMs: null, waitedMs: 1000.7 },
      },
    });
    expect(kinds(unanswered, "first-audio").map((e) => e.label)).toEqual(["no answer within 4000 ms"]);
    expect(kinds(unanswered, "clear-latency")).toMatchObject([{ atMs: 1205, label: "barge-in → no clear within 1001 ms" }]);
  });

  it("draws both sides as peaks, one character a 20 ms bucket, the caller's from its first frame", () => {
    expect(timeline.bucketMs).toBe(20);
    expect(timeline.said).toHaveLength(100);
    expect(timeline.said.slice(0, 10)).toBe("A".repeat(10)); // 5 ms to the first frame, then 200 ms of silence
    expect(timeline.said.slice(11, 30)).toMatch(/^[^A]+$/);
    expect(timeline.said[11]).toBe("h"); // half of full scale, as μ-law carries it: 33 of 63
    expect(timeline.heard.slice(35, 45)).toMatch(/^[^A]+$/);
    expect(timeline.heard.slice(46, 54)).toBe("A".repeat(8));
    const long = callTimeline({ ...record(), durationMs: 600_000, said: new Uint8Array(0), heard: new Uint8Array(0) });
    expect(long.said.length).toBeLessThanOrEqual(400);
    expect(long.bucketMs % 20).toBe(0);
  });

  it("embeds both sides' audio from 0 ms (the caller's padded to its first frame)", () => {
    const audio = timeline.audio as { said: string; heard: string };
    expect(Buffer.from(audio.said, "base64")).toHaveLength(5 * 8 + 16_000);
    expect(Buffer.from(audio.heard, "base64")).toEqual(Buffer.from(record().heard));
    const long = new Uint8Array(70_000 * 8).fill(0x10);
    const cut = callTimeline({ ...record(), durationMs: 70_000, said: long, heard: long }).audio as { heard: string; cutAtMs?: number };
    expect([Buffer.from(cut.heard, "base64").length, cut.cutAtMs]).toEqual([60_000 * 8, 60_000]);
  });

  it("keeps a few hundred events and counts the rest; a server's long strings are cut", () => {
    const flood = record();
    const marks = Array.from({ length: 1000 }, (_, i) => ({ t: 10 + i, from: "server" as const, message: { event: "mark" } }));
    const crowded = callTimeline({ ...flood, trace: [...flood.trace, ...marks] });
    expect(crowded.events).toHaveLength(300);
    expect(crowded.events.length + crowded.eventsLeftOut).toBeGreaterThan(1000);
  });

  it("embeds the audio of four calls of a run, the failing ones first; the others say why theirs is not", () => {
    const failed = [false, false, true, false, false, true, false];
    const timelines = callTimelines(failed.map((f) => ({ call: record(), failed: f })));
    expect(timelines.map((t) => t.audio !== undefined && "said" in t.audio)).toEqual([true, true, true, false, false, true, false]);
    expect(timelines[6]!.audio).toEqual({ leftOut: expect.stringContaining("4 calls at most, failing calls first (this run played 7)") });
  });
});

function reportWith(calls: ReportedCall[]): RunReport {
  return {
    tool: "check-media-server",
    target: "ws://127.0.0.1:1/media",
    startedAt: "2026-11-25T14:00:00.000Z",
    durationMs: 9000,
    outcomes: [],
    calls,
  };
}

describe("the timeline in the HTML report", () => {
  const timeline = callTimeline(record());
  const call: ReportedCall = {
    name: "call 1.1",
    durationMs: 2000,
    failed: true,
    measured: "first audio 115 ms, 115 ms; barge-in → clear 105 ms",
    issues: [{ rule: "mark-name", message: `a mark with no name ${HOSTILE_MARK}`, atMs: 950 }],
    evidence: { trace: "/tmp/a/call-1.1.jsonl", recording: "/tmp/a/call-1.1.wav" },
    timeline,
  };
  const html = renderHtmlReport(
    reportWith([
      call,
      {
        ...call,
        name: "call 1.2",
        failed: false,
        issues: [],
        timeline: callTimelines([
          { call: record(), failed: false },
          { call: record(), failed: false },
          { call: record(), failed: false },
          { call: record(), failed: false },
          { call: record(), failed: false },
        ])[4]!,
      },
    ]),
  );

  it("draws an SVG per call, with a text alternative: its title and the table of every event and issue", () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('role="img" aria-labelledby="call-1-1-svg"><title id="call-1-1-svg">Timeline of call 1.1');
    const table = html.slice(html.indexOf('<details class="events">'), html.indexOf("</table>"));
    expect(table.match(/<tr/g)).toHaveLength(1 + timeline.events.length + 1);
    expect(table).toContain("<td>1.300 s</td><td></td><td>server</td><td>the server: clear</td>");
    expect(table).toContain('<tr class="issue"><td>0.950 s</td><td></td><td>issue</td><td>mark-name: a mark with no name &lt;script&gt;');
    expect(html).toContain('<details class="call failed" id="call-1-1" open>');
    expect(html).toContain('<details class="call passed" id="call-1-2">');
    expect(html).toContain("Evidence: the wire trace <code>/tmp/a/call-1.1.jsonl</code>");
  });

  it("plays both sides: μ-law WAVs in data: URIs, allowed by the page's policy and nothing else", () => {
    const sources = [...html.matchAll(/src="([^"]*)"/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(2);
    for (const source of sources) expect(source).toMatch(/^data:audio\/wav;base64,UklGR[A-Za-z0-9+/]+=*$/);
    const wav = Buffer.from(sources[1]!.slice("data:audio/wav;base64,".length), "base64");
    expect([wav.toString("ascii", 8, 16), wav.readUInt16LE(20), wav.readUInt32LE(24), wav.readUInt32LE(40)]).toEqual([
      "WAVEfmt ",
      7,
      8000,
      16_000,
    ]);
    expect(wav.subarray(44)).toEqual(Buffer.from(record().heard));
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; media-src data:;`);
    expect(html).toContain('<audio controls preload="metadata" aria-label="call 1.1: what the caller heard"');
    expect(html).toContain("Audio not embedded: the page embeds the audio of 4 calls at most");
    expect(html).toContain("Audio embedded for 1 of 2 call(s), failing calls first.");
  });

  it("escapes what the server said: a mark's name is text in the tooltip and the table", () => {
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("is written with secrets masked: a mark named after the auth token", async () => {
    const secret = "timeline-s3cr3t-token-value";
    registerSecret(secret);
    const leaky = record();
    const trace = [...leaky.trace, { t: 1400, from: "server" as const, message: { event: "mark", mark: { name: `token ${secret}` } } }];
    const dir = await mkdtemp(join(tmpdir(), "report-timeline-"));
    const report = reportWith([{ ...call, timeline: callTimeline({ ...leaky, trace }) }]);
    await writeReports(report, [
      { format: "html", path: join(dir, "r.html") },
      { format: "json", path: join(dir, "r.json") },
    ]);
    for (const file of ["r.html", "r.json"]) {
      const written = await readFile(join(dir, file), "utf8");
      expect(written).toContain("token ****");
      expect(written).not.toContain("s3cr3t");
    }
  });

  it("draws 50 timelines at most, the failing calls' first; the others say why theirs is not drawn", () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ ...call, name: `call ${i + 1}.1`, failed: i >= 55, issues: [] }));
    const page = renderHtmlReport(reportWith(many));
    expect(page.match(/<svg /g)).toHaveLength(50);
    expect(page.match(/Timeline not drawn: the page draws 50 timelines at most, failing calls first/g)).toHaveLength(10);
    for (const name of ["call-56-1", "call-60-1", "call-1-1", "call-45-1"]) expect(page).toContain(`aria-labelledby="${name}-svg"`);
    expect(page).not.toContain('aria-labelledby="call-46-1-svg"');
  });

  it("has no calls section without calls; the JSON report keeps the timeline but not its audio", () => {
    expect(renderHtmlReport(reportWith([]))).not.toContain('class="calls"');
    const json = JSON.parse(renderJsonReport(reportWith([call]))) as { calls: ReportedCall[] };
    expect(json.calls[0]!.timeline!.events).toHaveLength(timeline.events.length);
    expect(json.calls[0]!.timeline!.said).toBe(timeline.said);
    expect(json.calls[0]!.timeline).not.toHaveProperty("audio");
  });
});
