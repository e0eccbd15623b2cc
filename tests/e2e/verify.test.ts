/**
 * verify against the bundled reference provider (the README's first command) passes, and its
 * Pact verification really replays the contracts with the run's credentials.
 */
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { exitCodeOf, renderSummary, runVerify } from "../../src/verify/index.js";
import { BROKEN_PROVIDERS } from "./broken-providers/bugs.js";
import { type BrokenProvider, startBrokenProvider } from "./broken-providers/proxy.js";

const seed = () => fc.readConfigureGlobal().seed;

let broken: BrokenProvider | undefined;
afterEach(async () => {
  await broken?.close();
  broken = undefined;
});

// Whole verify runs: a loaded machine may make them slow (tens of seconds), never change their verdict.
describe("verify against the reference provider", { timeout: 300_000 }, () => {
  test("passes: every Pact interaction and every conformance check, none skipped", async () => {
    const report = await runVerify({ runs: 20, seed: seed() });
    expect(exitCodeOf(report), renderSummary(report)).toBe(0);
    const pact = report.outcomes.filter((o) => o.group === "pact");
    expect(pact.length).toBeGreaterThanOrEqual(7);
    expect(report.outcomes.filter((o) => o.status !== "passed")).toEqual([]);
    expect(report.checkedRequests).toBeGreaterThan(15 * 20);
    expect(renderSummary(report)).toMatch(/^CONFORMANT: \d+ passed, 0 failed, 0 skipped/m);
  });

  test("Pact requests carry the run's credentials (a token of our choosing), the 401 interaction its own", async () => {
    const report = await runVerify({ runs: 1, seed: seed(), authToken: "a-token-the-pacts-cannot-know-42", only: "positive" });
    const pact = report.outcomes.filter((o) => o.group === "pact");
    // The reference provider refuses any other token with 401: passing means the verifier sent ours.
    expect(pact.map((o) => [o.name, o.status])).toContainEqual([
      "pact › twilio-stream-contract › a request to create a stream with only a Url",
      "passed",
    ]);
    expect(pact.map((o) => [o.name, o.status])).toContainEqual([
      "pact › twilio-stream-contract › a request to create a stream with invalid credentials",
      "passed",
    ]);
    expect(pact.every((o) => o.status === "passed")).toBe(true);
  });

  test("Pact verification catches a broken provider too, with the mismatch and a curl command", async () => {
    broken = await startBrokenProvider(BROKEN_PROVIDERS.find((c) => c.bug.startsWith("date_updated in ISO 8601"))!.inject);
    const report = await runVerify({
      baseUrl: broken.baseUrl,
      statesUrl: broken.statesUrl,
      accountSid: broken.accountSid,
      authToken: broken.authToken,
      runs: 1,
      seed: seed(),
      only: "unsupported",
    });
    const failed = report.outcomes.find((o) => o.name === "pact › twilio-stream-contract › a request to create a stream with only a Url");
    expect(failed?.status).toBe("failed");
    expect(failed?.failures.map((f) => f.message).join("\n")).toMatch(/\$\.date_updated/);
    expect(failed?.failures[0]?.curl).toMatch(/^curl .*-u "AC[0-9a-f]{32}:\$TWILIO_AUTH_TOKEN"/);
    expect(JSON.stringify(report)).not.toContain(broken.authToken);
  });

  test("the no-auth-check provider fails the Pact interaction about invalid credentials", async () => {
    broken = await startBrokenProvider(BROKEN_PROVIDERS.find((c) => c.caughtBy === "ignored auth")!.inject);
    const report = await runVerify({
      baseUrl: broken.baseUrl,
      statesUrl: broken.statesUrl,
      accountSid: broken.accountSid,
      authToken: broken.authToken,
      runs: 1,
      seed: seed(),
      only: "unsupported",
    });
    const outcome = report.outcomes.find(
      (o) => o.name === "pact › twilio-stream-contract › a request to create a stream with invalid credentials",
    );
    expect(outcome?.status).toBe("failed");
    // The verifier lists the mismatches in no fixed order.
    expect(outcome?.failures.map((f) => f.message).join("\n")).toMatch(/StatusMismatch/);
  });
});
