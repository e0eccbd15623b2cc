/**
 * check-media-server against Media Streams servers nobody here wrote, run as published
 * (tests/third-party/README.md): Twilio's two Node samples — `basic`, which listens to a
 * unidirectional Stream, and `connect-basic`, which plays back each second of the caller's audio
 * with a mark — and Twilio's voice-agent sample, which relays the call to the OpenAI Realtime API,
 * here to a stub model on 127.0.0.1 (tests/support/realtime-model.ts). Each gets a default run as
 * a user types it: no false alarm, and what the calls measure is what the server does in time.
 * The three run at once, each a CLI process of its own.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startRealtimeModel } from "../support/realtime-model.js";
import { startThirdPartyServer, type ThirdPartyServerOptions } from "../support/third-party-server.js";

const TOKEN = "third-party-token-0123456789";
const CLI = new URL("../../dist/cli/main.js", import.meta.url).pathname;
const closing: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const each of closing.splice(0)) await each.close();
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly report: {
    readonly coverage: { readonly parts: readonly { readonly id: string; readonly count: number }[] };
    readonly calls: readonly {
      readonly name: string;
      readonly failed: boolean;
      readonly metrics: {
        readonly turns: readonly { readonly firstAudioMs: number | null }[];
        readonly bargeIn?: { readonly duringAudio: boolean; readonly clearMs: number | null };
        readonly markRoundTripMs: readonly number[];
      };
    }[];
  };
  /** What the server printed. */
  readonly server: string;
}

/** Starts the server, runs `check-media-server --url <server><path> …args` as a user does, and stops the server. */
async function check(server: ThirdPartyServerOptions, path: string, args: readonly string[]): Promise<Run> {
  const started = await startThirdPartyServer(server);
  closing.push(started);
  const dir = await mkdtemp(join(tmpdir(), "third-party-"));
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) =>
    execFile(
      process.execPath,
      [CLI, "check-media-server", "--url", `${started.origin}${path}`, ...args, "--report", `json:${dir}/report.json`],
      { env: { ...process.env, TWILIO_AUTH_TOKEN: TOKEN }, maxBuffer: 16 * 1024 * 1024 },
      (error, out) => resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : null, stdout: out }),
    ),
  );
  const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as Run["report"];
  await started.close();
  return { code, stdout, report, server: started.output() };
}

describe.concurrent("check-media-server against servers nobody here wrote", { timeout: 240_000 }, () => {
  it("Twilio's `basic` sample (a unidirectional Stream's listener, on the `websocket` package) is conformant", async () => {
    const run = await check({ entry: "twilio-media-streams/basic/server.js" }, "/", []);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^CONFORMANT: \d+ passed, 0 failed, \d+ skipped; \d+ session\(s\) and upgrade\(s\), 4 real-time call\(s\)/m);
    expect(run.report.calls.map((call) => call.failed)).toEqual([false, false, false, false]);
    // It did hear the Streams: its own log says so.
    expect(run.server).toContain("Media WS: Start event received");
    expect(run.server).toContain("Media WS: Media event received");
  });

  it("Twilio's `connect-basic` sample (plays each second of audio back, with a mark) is conformant; its marks come back once played", async () => {
    const run = await check({ entry: "twilio-media-streams/connect-basic/server.js" }, "/", ["--bidirectional"]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^CONFORMANT: /m);
    expect(run.server).toContain("From Twilio: Mark event received");
    for (const call of run.report.calls) {
      expect(call.failed, call.name).toBe(false);
      // Each mark follows a second of audio: echoed when that second has played, not before.
      expect(call.metrics.markRoundTripMs.length, call.name).toBeGreaterThan(0);
      for (const ms of call.metrics.markRoundTripMs) expect(ms, call.name).toBeGreaterThanOrEqual(900);
      // An echo server has no idea of barge-in: measured, not failed.
      expect(call.metrics.bargeIn?.clearMs ?? null, call.name).toBeNull();
    }
    expect(run.stdout).toMatch(/barge-in → no clear in \d+ ms/);
  });

  it("Twilio's voice-agent sample (relaying to a speech model, here a stub answering after 200 ms) is conformant: it answers, and clears when the caller speaks over it", async () => {
    const model = await startRealtimeModel({ latencyMs: 200 });
    closing.push(model);
    const run = await check(
      {
        entry: "speech-assistant-openai-realtime-api-node/index.js",
        env: { OPENAI_API_KEY: "stub-model-needs-no-key", STUB_MODEL_URL: model.url },
        execArgv: ["--import", new URL("../third-party/support/model-redirect.mjs", import.meta.url).href],
      },
      "/media-stream",
      ["--bidirectional"],
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^CONFORMANT: /m);
    for (const call of run.report.calls) {
      expect(call.failed, call.name).toBe(false);
      // Two answers a call, each after the model's voice detection (500 ms of quiet) and its latency.
      expect(
        call.metrics.turns.map((turn) => turn.firstAudioMs === null),
        call.name,
      ).toEqual([false, false]);
      for (const turn of call.metrics.turns) expect(turn.firstAudioMs!, call.name).toBeGreaterThanOrEqual(600);
      // The caller spoke over the answer: the sample sent clear.
      expect(call.metrics.bargeIn?.duringAudio, call.name).toBe(true);
      expect(call.metrics.bargeIn?.clearMs, call.name).toEqual(expect.any(Number));
      expect(call.metrics.markRoundTripMs.length, call.name).toBeGreaterThan(0);
    }
    // Each call reached the model, which heard two utterances and was interrupted once.
    const calls = model.sessions.filter((session) => session.utterances > 0);
    expect(calls.map((session) => [session.utterances, session.interrupted])).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    // The protocol's paths it took are counted, from the calls: it speaks only after the model's latency.
    const exercised = run.report.coverage.parts.filter((part) => part.count > 0).map((part) => part.id);
    expect(exercised).toEqual(expect.arrayContaining(["received:media", "received:mark", "received:clear", "sent:mark", "call-barge-in"]));
    // …and the sample truncated the interrupted answer at what the caller had heard.
    for (const session of calls) expect(session.events).toContain("conversation.item.truncate");
  });
});
