/**
 * The calls' checks as a catalogue judged by the runner's judgeChecks, on call records made up
 * here (the e2e tests play real calls): a check that saw nothing is skipped with why, a failure
 * seen is a failure even when little was seen, requirements apply only when asked, and --only
 * picks among the calls' checks as among the sessions'.
 */
import { describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/call/call.js";
import type { CallMetrics } from "../../src/call/metrics.js";
import { CALL_CHECKS, judgeCalls, type NamedCall } from "../../src/media-check/call-checks.js";
import type { CallsOptions } from "../../src/media-check/calls.js";
import { exitCodeOf } from "../../src/runner/outcome.js";

const SILENT: CallMetrics = { turns: [], markRoundTripMs: [], aheadMs: 0, gaps: [] };

/** A call that answered both turns after 300 ms and cleared 150 ms after the barge-in. */
const ANSWERED: CallMetrics = {
  turns: [
    { afterBargeIn: false, firstAudioMs: 300, waitedMs: 300 },
    { afterBargeIn: true, firstAudioMs: 300, waitedMs: 300 },
  ],
  bargeIn: { duringAudio: true, clearMs: 150, waitedMs: 150 },
  markRoundTripMs: [400, 500],
  aheadMs: 600,
  gaps: [],
};

function record(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    streamSid: `MZ${"0".repeat(32)}`,
    issues: [],
    received: 0,
    mediaReceived: 0,
    metrics: SILENT,
    durationMs: 6000,
    trace: [],
    said: new Uint8Array(),
    heard: new Uint8Array(),
    exercised: new Map(),
    ...overrides,
  };
}

/** Two rounds of one call each. */
function rounds(first: CallRecord, second: CallRecord = first): NamedCall[] {
  return [
    { name: "call 1.1", round: 1, call: first },
    { name: "call 2.1", round: 2, call: second },
  ];
}

function judge(calls: NamedCall[], options: Partial<CallsOptions> = {}) {
  const lines: string[] = [];
  const judged = judgeCalls(calls, { atOnce: 1, bidirectional: true, ...options }, 12_000, (line) => lines.push(line));
  const status = Object.fromEntries(judged.outcomes.map((o) => [o.name, o.status]));
  return { ...judged, status, lines, code: exitCodeOf({ outcomes: judged.outcomes }, { nothingTested: 2 }) };
}

const speaking = record({ received: 40, mediaReceived: 30, metrics: ANSWERED });
const REQUIRED = { maxFirstAudioMs: 1000, maxClearMs: 500, maxAheadMs: 2000 } as const;

describe("the calls' checks, judged by the runner", () => {
  it("a server that answered: every check passes, each with what it judged; requirements only when asked", () => {
    const lenient = judge(rounds(speaking));
    expect(lenient.status).toEqual({ [CALL_CHECKS.rules]: "passed", [CALL_CHECKS["second-call"]]: "passed" });
    expect(lenient.outcomes[0]!.message).toMatch(/^1 first call\(s\) judged; over all 2 calls: first audio median 300 ms/);
    expect(lenient.code).toBe(0);
    const strict = judge(rounds(speaking), REQUIRED);
    expect(Object.keys(strict.status)).toEqual(Object.values(CALL_CHECKS).filter((name) => name !== CALL_CHECKS.baseline));
    expect(Object.values(strict.status)).toEqual(Object.values(strict.status).map(() => "passed"));
    expect(strict.outcomes.find((o) => o.name === CALL_CHECKS.clear)?.message).toBe("2 barge-in(s), the slowest clear 150 ms");
    expect(strict.lines).toContain(`check-media-server: ok   ${CALL_CHECKS.pace}`);
    expect(strict.failedCalls.size).toBe(0);
  });

  it("a silent bidirectional server: every check that applies is skipped with why, and the run is not conformant", () => {
    const { outcomes, code, lines } = judge(rounds(record()), REQUIRED);
    expect(outcomes.map((o) => [o.name, o.status, o.message])).toEqual([
      [CALL_CHECKS.rules, "skipped", "the server sent nothing in any of 1 call(s)"],
      [CALL_CHECKS["second-call"], "skipped", "the server sent nothing in any of 1 later call(s)"],
      [CALL_CHECKS.answer, "skipped", "no call had a turn to answer"],
      [CALL_CHECKS.clear, "skipped", "the server's audio was not playing when the caller spoke over it in any of 2 call(s)"],
      [CALL_CHECKS["answer-after-clear"], "skipped", "no call had a clear after a barge-in, then waited for an answer"],
      [CALL_CHECKS.pace, "skipped", "the server sent no audio in any of 2 call(s)"],
    ]);
    expect(code).toBe(2);
    expect(lines[0]).toBe(`check-media-server: skip ${CALL_CHECKS.rules} (the server sent nothing in any of 1 call(s))`);
  });

  it("a failure seen is a failure, though the server sent nothing: a refused upgrade fails the rules check, names the call", () => {
    const refused = record({ issues: [{ rule: "upgrade", message: "HTTP 403", atMs: 3, expected: "101", actual: "403" }] });
    const { status, outcomes, failedCalls } = judge(rounds(refused, record()));
    expect(status[CALL_CHECKS.rules]).toBe("failed");
    expect(outcomes[0]!.failures[0]!.message).toBe("call 1.1: 31920 (upgrade) at 3 ms: HTTP 403");
    expect(status[CALL_CHECKS["second-call"]]).toBe("skipped");
    expect([...failedCalls]).toEqual(["call 1.1"]);
  });

  it("a rule broken only by the later call fails the second-call check, not the rules check", () => {
    const leaked = record({
      received: 40,
      mediaReceived: 30,
      metrics: ANSWERED,
      issues: [{ rule: "stream-sid", message: "old streamSid", atMs: 9, expected: "this Stream's streamSid", actual: "the first call's" }],
    });
    const { status } = judge(rounds(speaking, leaked));
    expect(status).toEqual({ [CALL_CHECKS.rules]: "passed", [CALL_CHECKS["second-call"]]: "failed" });
  });

  it("--baseline: compared when both runs measured a metric, skipped with why when none was", () => {
    const slower: CallMetrics = { ...ANSWERED, turns: ANSWERED.turns.map((t) => ({ ...t, firstAudioMs: 900 })) };
    const baseline = { file: "before.json", calls: [{ metrics: ANSWERED }] };
    const regressed = judge(rounds(record({ received: 40, mediaReceived: 30, metrics: slower })), { baseline });
    expect(regressed.status[CALL_CHECKS.baseline]).toBe("failed");
    expect(regressed.outcomes.at(-1)!.failures[0]).toMatchObject({
      message: "first audio: median 900 ms, the baseline's 300 ms (before.json)",
    });
    const empty = judge(rounds(speaking), { baseline: { file: "empty.json", calls: [{ metrics: SILENT }] } });
    expect(empty.outcomes.at(-1)).toMatchObject({
      status: "skipped",
      message: "no metric was measured both in this run and in empty.json",
    });
  });

  it("--only picks among the calls' checks", () => {
    expect(Object.keys(judge(rounds(speaking), { ...REQUIRED, only: "barge-in" }).status)).toEqual([
      CALL_CHECKS.clear,
      CALL_CHECKS["answer-after-clear"],
    ]);
  });
});
