/**
 * check-media-server's real-time calls against servers modeled on real ones: a voice-agent-like
 * server (a stub model answering after 200 ms, named marks, clear when the caller speaks) passes
 * every call check, the requirements too; each broken one is caught by the check named after its
 * bug, and by no other. Timing is judged with generous thresholds only (a loaded CI runner must
 * not trip them), and no measured latency is asserted below a bound.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readScenario } from "../../src/call/scenario.js";
import { CALL_CHECKS } from "../../src/media-check/call-checks.js";
import { type MediaServerCheckOptions, mediaCheckExitCode, runMediaServerCheck } from "../../src/media-check/run.js";
import { startTestMediaServer } from "../support/media-servers.js";
import { startVoiceAgent, type VoiceAgentBug } from "../support/voice-agent.js";

const TOKEN = "calls-token-0123456789";
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function agent(bug?: VoiceAgentBug, answerMs?: number) {
  const server = await startVoiceAgent({
    token: TOKEN,
    ...(bug === undefined ? {} : { bug }),
    ...(answerMs === undefined ? {} : { answerMs }),
  });
  servers.push(server);
  return server;
}

/** The calls only (`only: "calls"`), one call a round unless said otherwise. */
async function calls(origin: string, options: Partial<MediaServerCheckOptions> = {}) {
  const report = await runMediaServerCheck({
    url: `${origin}/media`,
    authToken: TOKEN,
    bidirectional: true,
    only: "calls",
    calls: 1,
    ...options,
  });
  const failed = report.outcomes.filter((o) => o.status === "failed").map((o) => o.name);
  return { report, failed, code: mediaCheckExitCode(report) };
}

/** Requirements a responsive server meets with room to spare, even on a loaded machine. */
const GENEROUS = { maxFirstAudioMs: 3000, maxClearMs: 1000, maxAheadMs: 1500 } as const;

// Real time is the point: each test takes the calls' own seconds, whatever the load, so the limit is generous.
describe.concurrent("real-time calls", { timeout: 120_000 }, () => {
  it("a voice-agent-like server passes every call check, the requirements too; its marks come back in order, after their audio", async () => {
    const server = await agent();
    const { report, failed, code } = await calls(server.origin, { calls: 2, ...GENEROUS });
    expect(failed).toEqual([]);
    expect(code).toBe(0);
    expect(report.outcomes.map((o) => [o.name, o.status])).toEqual(
      Object.values(CALL_CHECKS)
        .filter((name) => name !== CALL_CHECKS.baseline) // only with --baseline
        .map((name) => [name, "passed"]),
    );
    expect(report.calls).toHaveLength(4); // two at once, then two more
    for (const call of report.calls!) {
      expect(call.issues).toEqual([]);
      // Both turns answered, never before the model's latency; the barge-in interrupted audio and was cleared.
      expect(call.metrics.turns.map((t) => t.afterBargeIn)).toEqual([false, true]);
      for (const turn of call.metrics.turns) expect(turn.firstAudioMs).toBeGreaterThanOrEqual(200);
      expect(call.metrics.bargeIn?.duringAudio).toBe(true);
      expect(call.metrics.bargeIn?.clearMs).not.toBeNull();
      expect(call.metrics.markRoundTripMs.length).toBeGreaterThan(0);
    }
    // Every mark the agent sent was echoed, in the order sent (the clear echoed the pending ones at once).
    expect(server.calls).toHaveLength(4);
    for (const call of server.calls) {
      expect(call.clears).toBe(1);
      expect(call.marksEchoed).toEqual(call.marksSent);
    }
  });

  it("no clear on barge-in: measured, not failed by default (Twilio does not require barge-in); caught by --max-clear-ms", async () => {
    const server = await agent("ignores-barge-in");
    const lenient = await calls(server.origin);
    expect(lenient.failed).toEqual([]);
    expect(lenient.code).toBe(0);
    expect(lenient.report.calls!.map((c) => c.metrics.bargeIn)).toEqual(
      lenient.report.calls!.map(() => expect.objectContaining({ duringAudio: true, clearMs: null })),
    );
    expect(lenient.report.calls![0]!.measured).toMatch(/barge-in → no clear in \d+ ms/);
    const strict = await calls(server.origin, { maxClearMs: 1000 });
    expect(strict.failed).toEqual([CALL_CHECKS.clear]);
    expect(strict.code).toBe(1);
    const skipped = strict.report.outcomes.find((o) => o.name === CALL_CHECKS["answer-after-clear"]);
    expect(skipped).toMatchObject({ status: "skipped", message: "no call had a clear after a barge-in, then waited for an answer" });
  });

  it("clear without emptying its mark bookkeeping: it never answers again, caught by the answer-after-clear check", async () => {
    const server = await agent("stale-marks");
    const { failed, report } = await calls(server.origin, { maxClearMs: 1000 });
    expect(failed).toEqual([CALL_CHECKS["answer-after-clear"]]);
    expect(report.outcomes.find((o) => o.name === CALL_CHECKS["answer-after-clear"])?.failures[0]?.message).toMatch(
      /^call 1\.1: the server cleared its audio when the caller spoke, then did not answer/,
    );
  });

  it("audio ten times faster than real time with no marks: passes Twilio's rules, caught by the opt-in --max-ahead-ms gate", async () => {
    const server = await agent("floods-audio", 4000);
    const lenient = await calls(server.origin);
    expect(lenient.failed).toEqual([]);
    const strict = await calls(server.origin, { maxAheadMs: 1000 });
    expect(strict.failed).toEqual([CALL_CHECKS.pace]);
    expect(strict.report.calls![0]!.metrics.markRoundTripMs).toEqual([]);
  });

  it("a second call that inherits the first call's state (its streamSid): caught by the second-call check only", async () => {
    const server = await agent("inherits-state");
    const { failed, report } = await calls(server.origin);
    expect(failed).toEqual([CALL_CHECKS["second-call"]]);
    expect(report.outcomes.find((o) => o.name === CALL_CHECKS["second-call"])?.failures[0]?.message).toMatch(
      /^call 2\.1: 31951 \(stream-sid\)/,
    );
    expect(report.outcomes.find((o) => o.name === CALL_CHECKS.rules)?.status).toBe("passed");
  });

  it("marks without a name: Twilio's 31951, caught by the rules check", async () => {
    const server = await agent("nameless-marks");
    const { failed, report } = await calls(server.origin);
    expect(failed).toEqual([CALL_CHECKS.rules]);
    expect(report.outcomes.find((o) => o.name === CALL_CHECKS.rules)?.failures[0]?.message).toMatch(/^call 1\.1: 31951 \(messages\)/);
  });

  it("unidirectional: a silent server passes; one that speaks is caught by the rules check (31951)", async () => {
    const quiet = await startTestMediaServer({ token: TOKEN, bidirectional: false });
    const talkative = await startTestMediaServer({ token: TOKEN, bidirectional: false, bug: "sends-on-unidirectional" });
    servers.push(quiet, talkative);
    const good = await calls(quiet.origin, { bidirectional: false });
    expect(good.failed).toEqual([]);
    expect(good.report.outcomes.map((o) => o.status)).toEqual(["passed", "passed"]);
    expect(good.report.calls!.every((c) => c.received === 0)).toBe(true);
    const bad = await calls(talkative.origin, { bidirectional: false });
    expect(bad.failed).toEqual([CALL_CHECKS.rules]);
    expect(bad.report.outcomes[0]!.failures[0]!.message).toMatch(/31951 \(unidirectional\)/);
  });

  it("a scenario's expect lines are requirements: the voice agent meets them, one that ignores barge-in fails the clear check", async () => {
    const dir = await mkdtemp(join(tmpdir(), "scenario-"));
    const file = join(dir, "call.yaml");
    await writeFile(
      file,
      [
        "name: interrupted answer",
        "parameters: { FirstName: Jane }",
        "steps:",
        `  - say: ${resolve("audio/caller-question.wav")}`,
        "  - expect answer within: 3000",
        "  - barge-in",
        "  - expect clear within: 1000",
        "  - expect answer within: 3000",
        "  - hangup",
      ].join("\n"),
    );
    const read = await readScenario(file);
    if (!("scenario" in read)) throw new Error(read.error);
    const good = await agent();
    const passed = await calls(good.origin, { scenario: read.scenario });
    expect(passed.failed).toEqual([]);
    expect(passed.report.outcomes.find((o) => o.name === CALL_CHECKS.answer)?.status).toBe("passed");
    expect(passed.report.outcomes.find((o) => o.name === CALL_CHECKS.clear)?.status).toBe("passed");
    expect(good.connections.at(-1)?.messages[1]).toMatchObject({ start: { customParameters: { FirstName: "Jane" } } });
    const deaf = await agent("ignores-barge-in");
    const failed = await calls(deaf.origin, { scenario: read.scenario });
    expect(failed.failed).toEqual([CALL_CHECKS.clear]);
  });

  it("seeded impairments: lost frames show as timestamp gaps (sequenceNumber and chunk run on), jitter keeps the order; the same seed loses the same frames", async () => {
    const lostTimestamps = async () => {
      const server = await agent();
      const { failed, report } = await calls(server.origin, { lossPercent: 10, jitterMs: 30, seed: 5 });
      expect(failed).toEqual([]);
      expect(report.notices).toContain(
        "calls impaired, seeded with 5: 10 % of the caller's frames lost (a timestamp gap), up to 30 ms of jitter",
      );
      const call = server.connections.find((c) => c.messages.some((m) => (m as { event?: string }).event === "start"))!;
      const messages = call.messages as { event: string; sequenceNumber?: string; media?: { chunk: string; timestamp: string } }[];
      const numbered = messages.filter((m) => m.sequenceNumber !== undefined).map((m) => Number(m.sequenceNumber));
      expect(numbered).toEqual(numbered.map((_, i) => i + 1));
      const media = messages.filter((m) => m.event === "media").map((m) => m.media!);
      expect(media.map((m) => Number(m.chunk))).toEqual(media.map((_, i) => i + 1));
      const stamps = media.map((m) => Number(m.timestamp));
      const missing: number[] = [];
      for (let i = 1; i < stamps.length; i++) for (let t = stamps[i - 1]! + 20; t < stamps[i]!; t += 20) missing.push(t);
      expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
      return missing;
    };
    const [first, again] = await Promise.all([lostTimestamps(), lostTimestamps()]);
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual(first);
  });

  it("a bidirectional server that never speaks: the calls' checks are skipped, with why, and the run is not conformant", async () => {
    const server = await startTestMediaServer({ token: TOKEN, bidirectional: true, bug: "silent" });
    servers.push(server);
    const { report, code } = await calls(server.origin);
    expect(report.outcomes.find((o) => o.name === CALL_CHECKS.rules)).toMatchObject({
      status: "skipped",
      message: "the server sent nothing in any of 1 call(s)",
    });
    expect(report.outcomes.find((o) => o.name === CALL_CHECKS["second-call"])).toMatchObject({
      status: "skipped",
      message: "the server sent nothing in any of 1 later call(s)",
    });
    expect(code).toBe(2); // every check skipped: not checked, never conformant
  });
});
