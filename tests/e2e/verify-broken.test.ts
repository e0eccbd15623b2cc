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

/** The seeds each bug is looked for with: the file's own (printed by the setup file) and two fixed ones. */
const SEEDS = [fc.readConfigureGlobal().seed ?? 0, 1, 2_000_000_000];

describe("verify catches each broken provider by the right check, on every seed, with one random sample", () => {
  // --runs 1: the coverage phase (src/verify/coverage.ts) alone must find every bug, whatever the
  // seed. Every check runs on the first seed; the others look with the bug's own check only (its
  // coverage examples are the same either way; the time is not).
  test.each(BROKEN_PROVIDERS.map((c) => [c.bug, c] as const))(
    "%s",
    async (_bug, { caughtBy, inject }) => {
      running = await startBrokenProvider(inject);
      for (const seed of SEEDS) {
        const report = await runVerify({
          ...(seed === SEEDS[0] ? {} : { only: caughtBy }),
          baseUrl: running.baseUrl,
          statesUrl: running.statesUrl,
          accountSid: running.accountSid,
          authToken: running.authToken,
          runs: 1,
          seed,
          skipPact: true,
        });
        expect(exitCodeOf(report), `seed ${seed}`).toBe(1);
        expect(report.coverageExamples).toBeGreaterThan(0);
        const outcome = report.outcomes.find((o) => o.name === `conformance › ${caughtBy}`);
        expect(
          outcome?.status,
          `seed ${seed}: ${caughtBy} must fail; failed: ${report.outcomes
            .filter((o) => o.status === "failed")
            .map((o) => o.name)
            .join(", ")}`,
        ).toBe("failed");
        const failure = outcome?.failures[0];
        expect(failure?.curl).toMatch(/^curl /);
        expect(failure?.seed).toBe(seed);
        expect(failure?.counterexample).toBeDefined();
        expect(failure?.expected).toBeTypeOf("string");
        expect(failure?.actual).toBeTypeOf("string");
        // The token is never in the report.
        expect(JSON.stringify(report)).not.toContain(running.authToken);
      }
    },
    600_000,
  ); // three runs of verify: a loaded machine may make them slow, never wrong

  test("the same proxy without a bug passes on every seed, with one random sample", async () => {
    running = await startBrokenProvider({});
    for (const seed of SEEDS) {
      const report = await runVerify({
        baseUrl: running.baseUrl,
        statesUrl: running.statesUrl,
        accountSid: running.accountSid,
        authToken: running.authToken,
        runs: 1,
        seed,
        skipPact: true,
      });
      expect(
        report.outcomes.filter((o) => o.status !== "passed").map((o) => `${o.name}: ${o.message}`),
        `seed ${seed}`,
      ).toEqual([]);
      expect(exitCodeOf(report)).toBe(0);
      expect(report.coverageExamples).toBeGreaterThan(200);
    }
  }, 600_000); // three runs of verify: a loaded machine may make them slow, never wrong

  test("answers slower than --max-response-time: caught by max response time (and only with the option)", async () => {
    running = await startBrokenProvider({ delayMs: 15 });
    const options = {
      baseUrl: running.baseUrl,
      statesUrl: running.statesUrl,
      accountSid: running.accountSid,
      authToken: running.authToken,
      runs: 2,
      seed: fc.readConfigureGlobal().seed,
      skipPact: true,
    };
    const slow = await runVerify({ ...options, maxResponseTimeMs: 5, only: "max response time" });
    const outcome = slow.outcomes.find((o) => o.name === "conformance › max response time");
    expect(outcome?.status).toBe("failed");
    expect(outcome?.failures[0]?.expected).toBe("at most 5 ms");
    const unbounded = await runVerify({ ...options, only: "time" });
    expect(unbounded.outcomes).toEqual([]); // no --max-response-time: the check does not apply
  });
});
