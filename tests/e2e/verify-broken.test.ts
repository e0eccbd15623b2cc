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
  // 40 samples: every bug below shows on at least a quarter of its check's samples, so a run
  // misses it with a probability under 10⁻⁵ (the rarer ones say how many they need).
  test.each(BROKEN_PROVIDERS.map((c) => [c.bug, c] as const))("%s", async (_bug, { caughtBy, inject, runs = 40 }) => {
    running = await startBrokenProvider(inject);
    const report = await runVerify({
      baseUrl: running.baseUrl,
      statesUrl: running.statesUrl,
      accountSid: running.accountSid,
      authToken: running.authToken,
      runs,
      seed: fc.readConfigureGlobal().seed,
      skipPact: true,
      // A bug that needs many samples is looked for by its own check only (time, not strength).
      ...(runs > 40 ? { only: caughtBy } : {}),
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
    running = await startBrokenProvider({ delayMs: 15 });
    const options = { baseUrl: running.baseUrl, statesUrl: running.statesUrl, accountSid: running.accountSid, authToken: running.authToken, runs: 2, seed: fc.readConfigureGlobal().seed, skipPact: true };
    const slow = await runVerify({ ...options, maxResponseTimeMs: 5, only: "max response time" });
    const outcome = slow.outcomes.find((o) => o.name === "conformance › max response time");
    expect(outcome?.status).toBe("failed");
    expect(outcome?.failures[0]?.expected).toBe("at most 5 ms");
    const unbounded = await runVerify({ ...options, only: "time" });
    expect(unbounded.outcomes).toEqual([]); // no --max-response-time: the check does not apply
  });
});
