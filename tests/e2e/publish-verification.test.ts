/**
 * The round trip through a Pact Broker (tests/support/broker-server.ts): `publish` the
 * contracts, `verify --broker-base-url` fetches them by consumer version selectors, verifies
 * them against the reference provider, and `--publish-verification-results` sends each pact's
 * result back with the provider version and branch.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Command } from "../../src/cli/command.js";
import { runCommand } from "../support/run-command.js";
import { publishCommand } from "../../src/cli/publish.js";
import { verifyCommand } from "../../src/cli/verify.js";
import { startBrokerServer, type BrokerServer } from "../support/broker-server.js";

const TOKEN = "verify-broker-token-0123456789";
/** The repository's pact for provider twilio-api (contracts/, written by tests/pact). */
const CONTRACT = join(
  "contracts",
  readdirSync("contracts").find(
    (name) => name.endsWith(".json") && JSON.parse(readFileSync(join("contracts", name), "utf8")).provider?.name === "twilio-api",
  ) ?? "missing.json",
);

async function run(command: Command, args: string[], env: Record<string, string> = {}) {
  const cleared = [
    "PACT_BROKER_TOKEN",
    "PACT_BROKER_USERNAME",
    "PACT_BROKER_PASSWORD",
    "PACT_BROKER_BASE_URL",
    "GITHUB_SHA",
    "GITHUB_REF_NAME",
    "GITHUB_HEAD_REF",
  ];
  return runCommand(command, args, Object.fromEntries(cleared.map((name) => [name, env[name]])));
}

let broker: BrokerServer;
beforeEach(async () => {
  broker = await startBrokerServer({ token: TOKEN });
});
afterEach(async () => {
  await broker.close();
});

const brokerEnv = () => ({ PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: TOKEN });

describe("verify with a Pact Broker", () => {
  it("fetches the published pacts by selectors, verifies them and publishes the results with version and branch", async () => {
    const published = await run(publishCommand, [CONTRACT, "--consumer-app-version", "c1", "--branch", "main"], brokerEnv());
    expect(published.code).toBe(0);
    // A second consumer whose pact the reference provider cannot satisfy (a header it never sends).
    const broken = JSON.parse(await readFile(CONTRACT, "utf8"));
    broken.consumer.name = "broken-consumer";
    const created = broken.interactions.find((i: { response: { status: number } }) => i.response.status === 200);
    created.response.headers["X-Never-Sent"] = ["yes"];
    const file = join(await mkdtemp(join(tmpdir(), "broken-pact-")), "broken.json");
    await writeFile(file, JSON.stringify(broken));
    expect((await run(publishCommand, [file, "--consumer-app-version", "b7", "--branch", "main"], brokerEnv())).code).toBe(0);

    const verified = await run(
      verifyCommand,
      [
        "--broker-base-url",
        broker.url,
        "--publish-verification-results",
        "--provider-app-version",
        "p1",
        "--provider-branch",
        "main",
        "--runs",
        "2",
        "--seed",
        "7",
      ],
      brokerEnv(),
    );
    expect(verified.stderr).toContain("fetched 2 pacts from the broker: twilio-stream-contract, broken-consumer");
    expect(verified.stderr).toContain("is being verified because it is the latest of twilio-stream-contract");
    expect(verified.code).toBe(1);
    expect(broker.selections).toEqual([
      {
        consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
        providerVersionBranch: "main",
        includePendingStatus: false,
      },
    ]);
    expect(broker.branchVersions).toEqual([{ pacticipant: "twilio-api", branch: "main", version: "p1" }]);
    const results = Object.fromEntries(broker.verifications.map((v) => [v.consumer, v.body]));
    expect(results["twilio-stream-contract"]).toMatchObject({
      success: true,
      providerApplicationVersion: "p1",
      verifiedBy: { implementation: "twilio-stream-contract" },
    });
    expect(results["broken-consumer"]).toMatchObject({ success: false, providerApplicationVersion: "p1" });
    expect(verified.stdout).toContain("published verification result for twilio-stream-contract: success (provider version p1)");
    expect(verified.stdout).toContain("published verification result for broken-consumer: failure");
    expect(verified.output).not.toContain(TOKEN);
  }, 300_000); // a loaded machine may make verify slow, never change its verdict

  it("sends the given consumer version selectors, and publishes nothing without --publish-verification-results", async () => {
    expect((await run(publishCommand, [CONTRACT, "--consumer-app-version", "c1", "--branch", "feat"], brokerEnv())).code).toBe(0);
    const verified = await run(
      verifyCommand,
      [
        "--broker-base-url",
        broker.url,
        "--consumer-version-selectors",
        '[{"branch":"feat"}]',
        "--provider-branch",
        "feat",
        "--runs",
        "1",
        "--seed",
        "1",
      ],
      brokerEnv(),
    );
    expect(verified.code).toBe(0);
    expect(broker.selections[0]).toMatchObject({ consumerVersionSelectors: [{ branch: "feat" }], providerVersionBranch: "feat" });
    expect(broker.verifications).toEqual([]);
  }, 300_000); // a loaded machine may make verify slow, never change its verdict

  it("explains broker and usage errors with exit 2, never printing the token", async () => {
    const wrong = await run(verifyCommand, ["--broker-base-url", broker.url], { PACT_BROKER_TOKEN: "a-wrong-token-value" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("answered 401: check PACT_BROKER_TOKEN");
    expect(wrong.output).not.toContain("a-wrong-token-value");

    const none = await run(verifyCommand, ["--broker-base-url", broker.url], brokerEnv());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('has no pacts for provider "twilio-api"');

    expect((await run(verifyCommand, ["--publish-verification-results"])).stderr).toContain(
      "--publish-verification-results needs --broker-base-url",
    );
    expect(
      (await run(verifyCommand, ["--broker-base-url", broker.url, "--consumer-version-selectors", "{"], brokerEnv())).stderr,
    ).toContain("--consumer-version-selectors must be JSON");
    expect((await run(verifyCommand, ["--broker-base-url", broker.url, "--pacts", "contracts"], brokerEnv())).stderr).toContain(
      "give --pacts or --broker-base-url, not both",
    );
  });
});
