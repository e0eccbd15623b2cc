/**
 * Each deliberately broken provider (one bug each, tests/e2e/broken-providers) is caught by
 * verify, by the check made for that bug; the checks it has nothing to do with still pass.
 */
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { exitCodeOf, runVerify } from "../../src/verify/index.js";
import { BROKEN_PROVIDERS } from "./broken-providers/bugs.js";
import { type BrokenProvider, startBrokenProvider } from "./broken-providers/proxy.js";

let running: BrokenProvider | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("verify catches each broken provider by the right check", () => {
  test.each(BROKEN_PROVIDERS.map((c) => [c.bug, c] as const))("%s", async (_bug, { caughtBy, inject }) => {
    running = await startBrokenProvider(inject);
    const report = await runVerify({
      baseUrl: running.baseUrl,
      statesUrl: running.statesUrl,
      accountSid: running.accountSid,
      authToken: running.authToken,
      runs: 15,
      seed: fc.readConfigureGlobal().seed,
      skipPact: true,
    });
    expect(exitCodeOf(report)).toBe(1);
    const outcome = report.outcomes.find((o) => o.name === `conformance › ${caughtBy}`);
    expect(outcome?.status, `${caughtBy} must fail; failed: ${report.outcomes.filter((o) => o.status === "failed").map((o) => o.name).join(", ")}`).toBe("failed");
    const failure = outcome?.failures[0];
    expect(failure?.curl).toMatch(/^curl /);
    expect(failure?.seed).toBeTypeOf("number");
    expect(failure?.counterexample).toBeDefined();
    expect(failure?.expected).toBeTypeOf("string");
    expect(failure?.actual).toBeTypeOf("string");
    // The token is never in the report.
    expect(JSON.stringify(report)).not.toContain(running.authToken);
  });

  test("answers slower than --max-response-time: caught by max response time (and only with the option)", async () => {
    running = await startBrokenProvider({ delayMs: 40 });
    const options = { baseUrl: running.baseUrl, statesUrl: running.statesUrl, accountSid: running.accountSid, authToken: running.authToken, runs: 3, seed: fc.readConfigureGlobal().seed, skipPact: true, only: "response" };
    const slow = await runVerify({ ...options, maxResponseTimeMs: 20 });
    expect(slow.outcomes.find((o) => o.name === "conformance › max response time")?.status).toBe("failed");
    expect(slow.outcomes.find((o) => o.name === "conformance › max response time")?.failures[0]?.expected).toBe("at most 20 ms");
    const unbounded = await runVerify(options);
    expect(unbounded.outcomes.map((o) => o.name)).not.toContain("conformance › max response time");
    expect(exitCodeOf(unbounded)).toBe(0);
  });
});
