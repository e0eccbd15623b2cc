import { describe, expect, test } from "vitest";
import { exitCodeOf, renderSummary, runVerify } from "../../src/verify/index.js";

describe("verify against the reference provider", () => {
  test("passes: every Pact interaction and every conformance check", async () => {
    const report = await runVerify({ runs: 20, seed: 42 });
    const text = renderSummary(report);
    if (exitCodeOf(report) !== 0) console.log(text);
    expect(exitCodeOf(report)).toBe(0);
    expect(report.outcomes.filter((o) => o.group === "pact").length).toBeGreaterThanOrEqual(7);
    expect(report.outcomes.filter((o) => o.status === "skipped")).toEqual([]);
    console.log(text);
  });
});
