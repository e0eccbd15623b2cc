/**
 * The mock's record of its status callbacks in the summary and the report: receivers that did not
 * answer 2xx fail the outcome; blocked callbacks (never sent) do not.
 */
import { describe, expect, it } from "vitest";
import { callbackOutcome, clientOutcomes } from "../../src/mock/report.js";
import { renderClientSummary } from "../../src/mock/summary.js";
import type { CallbackDelivery } from "../../src/status-callbacks/sender.js";

const delivery = (outcome: CallbackDelivery["outcome"], status?: number): CallbackDelivery => ({
  event: "stream-started",
  streamSid: `MZ${"a".repeat(32)}`,
  method: "POST",
  url: "http://127.0.0.1:3000/status",
  outcome,
  ...(status === undefined ? {} : { status }),
  attempts: 1,
  durationMs: 3,
  message: status === undefined ? outcome : `answered ${status}`,
});

describe("the mock's callback outcome", () => {
  it("passes when every callback sent got 2xx (slow ones included); blocked ones are noted, not failed", () => {
    const outcome = callbackOutcome([delivery("delivered", 204), delivery("slow", 200), delivery("blocked")]);
    expect(outcome).toMatchObject({
      status: "passed",
      message: "2 callback(s) sent, 0 not answered with 2xx, 1 slow; 1 not sent (not a loopback host)",
    });
    expect(callbackOutcome([delivery("blocked")]).status).toBe("skipped");
  });

  it("fails on non-2xx, refused, timeout, each listed", () => {
    const outcome = callbackOutcome([delivery("non-2xx", 500), delivery("refused"), delivery("timeout"), delivery("delivered", 200)]);
    expect(outcome.status).toBe("failed");
    expect(outcome.failures.map((f) => f.actual)).toEqual(["HTTP 500", "refused", "timeout"]);
  });

  it("is one of the client outcomes only when callbacks were sent, and the summary counts them", () => {
    const record = { requests: [], violations: [] };
    expect(clientOutcomes(record).some((o) => o.name.includes("callback"))).toBe(false);
    expect(clientOutcomes({ ...record, callbacks: [delivery("non-2xx", 500)] }).at(-1)?.status).toBe("failed");
    const summary = renderClientSummary({
      ...record,
      callbacks: [delivery("delivered", 204), delivery("non-2xx", 500)],
      totalRequests: 0,
      totalViolations: 0,
    });
    expect(summary).toContain("Status callbacks: 2 (delivered×1, non-2xx×1)");
    expect(summary).toContain("stream-started POST http://127.0.0.1:3000/status → non-2xx: answered 500");
  });

  it("counts from the exact counts: callbacks dropped early are in the summary and the outcome though the kept list lost them", () => {
    // The kept list holds the latest 10,000: 5 drops recorded first were pushed out by later deliveries.
    const kept = [delivery("delivered", 204), delivery("non-2xx", 500)];
    const callbackCounts = { delivered: 9_999, "non-2xx": 1, dropped: 5 };
    const summary = renderClientSummary({
      requests: [],
      violations: [],
      callbacks: kept,
      callbackCounts,
      totalRequests: 0,
      totalViolations: 0,
    });
    expect(summary).toContain("Status callbacks: 10005 (delivered×9999, non-2xx×1, dropped×5)");
    expect(summary).toContain("  … and 5 more (--report json:<path> lists them)");
    const outcome = callbackOutcome(kept, callbackCounts);
    expect(outcome).toMatchObject({
      status: "failed",
      message: "10000 callback(s) sent, 1 not answered with 2xx; 5 dropped (too many waiting)",
    });
    expect(clientOutcomes({ requests: [], violations: [], callbacks: [], callbackCounts: { dropped: 3 } }).at(-1)).toMatchObject({
      status: "skipped",
      message: "no status callback was sent; 3 dropped (too many waiting)",
    });
  });
});
