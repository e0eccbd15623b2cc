/**
 * The server face of the contract: a provider that treats requests as Twilio does (ignores
 * unknown, misspelt and lower-case fields, takes enum values in any case …) passes verify on
 * every seed, and fails with --strict, which applies the client-side rules to the server.
 */
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { exitCodeOf, runVerify } from "../../src/verify/index.js";
import type { BrokenProvider } from "./broken-providers/proxy.js";
import { startTwilioFaithfulProvider } from "./broken-providers/twilio-faithful.js";

let running: BrokenProvider | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function verifyFaithful(seed: number, strict: boolean) {
  running ??= await startTwilioFaithfulProvider();
  return runVerify({
    baseUrl: running.baseUrl,
    statesUrl: running.statesUrl,
    accountSid: running.accountSid,
    authToken: running.authToken,
    runs: 50,
    seed,
    skipPact: true,
    strict,
  });
}

// Whole verify runs: a loaded machine may make them slow (tens of seconds), never change their verdict.
describe("a Twilio-faithful provider", { timeout: 300_000 }, () => {
  const base = fc.readConfigureGlobal().seed ?? 0;
  test.each([0, 1, 2, 3, 4, 5].map((k) => [base + k * 7919]))("passes verify (seed %i)", async (seed) => {
    const report = await verifyFaithful(seed, false);
    const failed = report.outcomes.filter((o) => o.status === "failed");
    expect(failed.map((o) => `${o.name}: ${o.message}`)).toEqual([]);
    expect(exitCodeOf(report)).toBe(0);
  });

  test("fails with --strict, saying the rule is the client-side one", async () => {
    const report = await verifyFaithful(base, true);
    expect(exitCodeOf(report)).toBe(1);
    const negative = report.outcomes.find((o) => o.name === "conformance › negative data rejection: create");
    expect(negative?.status).toBe("failed");
    expect(negative?.message).toContain("--strict applies the client-side rule");
    expect(negative?.message).toMatch(/was not refused with 4xx/);
  });
});
