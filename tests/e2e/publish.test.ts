/**
 * `stream-contract publish` against a loopback broker (tests/support/broker-server.ts): what is
 * sent, retries, error messages, refusal of false pacts, and no credential in any output.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishCommand } from "../../src/cli/publish.js";
import { runCommand } from "../support/run-command.js";
import { startBrokerServer, type BrokerServer } from "../support/broker-server.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests reach deep into arbitrary pact JSON to break it
type PactJson = any;

const FIXTURE = "tests/fixtures/pacts/fixture-client-fixture-provider.json";
const CLI = join(process.cwd(), "dist/cli/main.js");
const TOKEN = "s3cr3t-broker-token-value";
const PASSWORD = "hunter2-broker-password";

/** Runs the command in-process as src/cli/main.ts does: exit code, stdout and stderr. */
async function publish(args: string[], env: Record<string, string | undefined> = {}) {
  const cleared = [
    "PACT_BROKER_BASE_URL",
    "PACT_BROKER_TOKEN",
    "PACT_BROKER_USERNAME",
    "PACT_BROKER_PASSWORD",
    "GITHUB_SHA",
    "GITHUB_REF_NAME",
    "GITHUB_HEAD_REF",
    "GITHUB_SERVER_URL",
    "GITHUB_REPOSITORY",
    "GITHUB_RUN_ID",
    "CI_COMMIT_SHA",
    "CI_COMMIT_REF_NAME",
    "CI_JOB_URL",
  ];
  return runCommand(publishCommand, args, Object.fromEntries(cleared.map((name) => [name, env[name]])));
}

/** The contracts/ of the repository when the Pact tests have written them, else the fixture. */
async function contractsToPublish(): Promise<string> {
  const files = await readdir("contracts").catch(() => []);
  return files.some((f) => f.endsWith(".json")) ? "contracts" : FIXTURE;
}

async function falsePact(mutate: (pact: PactJson) => void): Promise<string> {
  const pact = JSON.parse(await readFile(FIXTURE, "utf8"));
  mutate(pact);
  const dir = await mkdtemp(join(tmpdir(), "false-pact-"));
  const file = join(dir, "false.json");
  await writeFile(file, JSON.stringify(pact));
  return file;
}

let broker: BrokerServer;
beforeEach(async () => {
  broker = await startBrokerServer({ token: TOKEN });
});
afterEach(async () => {
  await broker.close();
});

describe("publish", () => {
  it("publishes the contracts with version, branch, tags and build URL, base64 content intact", async () => {
    const source = await contractsToPublish();
    const run = await publish(
      [
        source,
        "--consumer-app-version",
        "1.2.3",
        "--branch",
        "main",
        "--tag",
        "dev",
        "--tag",
        "prod",
        "--build-url",
        "https://ci.example/1",
      ],
      {
        PACT_BROKER_BASE_URL: broker.url,
        PACT_BROKER_TOKEN: TOKEN,
      },
    );
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(0);
    expect(broker.publications.length).toBeGreaterThan(0);
    const [first] = broker.publications;
    expect(first?.body).toMatchObject({
      pacticipantVersionNumber: "1.2.3",
      branch: "main",
      tags: ["dev", "prod"],
      buildUrl: "https://ci.example/1",
    });
    const files = source === FIXTURE ? [FIXTURE] : (await readdir(source)).filter((f) => f.endsWith(".json")).map((f) => join(source, f));
    const sent = broker.publications.flatMap((p) => p.pacts.map((x) => x.pact));
    expect(sent).toEqual(await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, "utf8")))));
    expect(run.stdout).toContain("[success] Pact published for");
    expect(run.stdout).toContain(`published ${files.length} pact${files.length === 1 ? "" : "s"}`);
    expect(broker.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(run.output).not.toContain(TOKEN);
  });

  it("sends one publication per consumer, never the token even in --verbose output", async () => {
    const other = await falsePact((p) => (p.consumer.name = "another-client"));
    const run = await publish([FIXTURE, other, "--consumer-app-version", "7", "--verbose"], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
    });
    expect(run.code).toBe(0);
    expect(broker.publications.map((p) => p.body.pacticipantName).sort()).toEqual(["another-client", "stream-contract-fixture-client"]);
    expect(run.stderr).toContain('"Authorization":"Bearer ****"');
    expect(run.output).not.toContain(TOKEN);
  });

  it("takes version, branch and build URL from GitHub Actions variables", async () => {
    const run = await publish([FIXTURE], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
      GITHUB_SHA: "abc123",
      GITHUB_REF_NAME: "feature/x",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_REPOSITORY: "acme/app",
      GITHUB_RUN_ID: "42",
    });
    expect(run.code).toBe(0);
    expect(broker.publications[0]?.body).toMatchObject({
      pacticipantVersionNumber: "abc123",
      branch: "feature/x",
      buildUrl: "https://github.com/acme/app/actions/runs/42",
    });
  });

  it("takes version, branch and build URL from GitLab CI variables", async () => {
    const run = await publish([FIXTURE], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
      CI_COMMIT_SHA: "def456",
      CI_COMMIT_REF_NAME: "release",
      CI_JOB_URL: "https://gitlab.example/job/9",
    });
    expect(run.code).toBe(0);
    expect(broker.publications[0]?.body).toMatchObject({
      pacticipantVersionNumber: "def456",
      branch: "release",
      buildUrl: "https://gitlab.example/job/9",
    });
  });

  it("moves credentials in the broker URL to a header and never prints them", async () => {
    await broker.close();
    broker = await startBrokerServer({ username: "url-user", password: PASSWORD });
    const withCredentials = broker.url.replace("http://", `http://url-user:${PASSWORD}@`);
    const run = await publish([FIXTURE, "--consumer-app-version", "1", "--verbose"], { PACT_BROKER_BASE_URL: withCredentials });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`publishing 1 pact as version 1`);
    expect(run.output).not.toContain(PASSWORD);
  });

  it("defaults the version to the git commit SHA", async () => {
    const run = await publish([FIXTURE], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(String(broker.publications[0]?.body.pacticipantVersionNumber)).toMatch(/^[0-9a-f]{40}$/);
  });

  it("authenticates with Basic credentials and never prints the password, even with --verbose", async () => {
    await broker.close();
    broker = await startBrokerServer({ username: "ci-user", password: PASSWORD });
    const run = await publish([FIXTURE, "--consumer-app-version", "1", "--verbose"], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_USERNAME: "ci-user",
      PACT_BROKER_PASSWORD: PASSWORD,
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("debug: → POST");
    expect(run.output).not.toContain(PASSWORD);
    expect(run.output).not.toContain(Buffer.from(`ci-user:${PASSWORD}`).toString("base64"));
  });

  it("retries 5xx answers with backoff, then succeeds", async () => {
    broker.fail({ kind: "status", status: 503, times: 2 });
    const run = await publish([FIXTURE, "--consumer-app-version", "1"], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: TOKEN });
    expect(run.code).toBe(0);
    expect(run.stderr.match(/503; retrying in \d+ ms/g)).toHaveLength(2);
    expect(broker.requests.filter((r) => r.method === "POST")).toHaveLength(3);
    expect(broker.publications).toHaveLength(1);
  });

  it("retries a reset connection and a slow answer (past --timeout)", async () => {
    broker.fail({ kind: "reset" }, "index");
    broker.fail({ kind: "slow", delayMs: 1500 });
    const run = await publish([FIXTURE, "--consumer-app-version", "1", "--timeout", "500"], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
    });
    expect(run.stderr).toContain("the connection was reset; retrying");
    expect(run.stderr).toContain("no answer within 500 ms; retrying");
    expect(run.code).toBe(0);
  });

  it("gives up after the bounded retries with exit 2", async () => {
    broker.fail({ kind: "status", status: 500, times: 10 });
    const run = await publish([FIXTURE, "--consumer-app-version", "1", "--retries", "2"], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("answered 500 after 3 attempts");
    expect(broker.publications).toHaveLength(0);
  });

  it("explains a wrong token (401) without printing it", async () => {
    const wrong = "wrong-token-0123456789";
    const run = await publish([FIXTURE, "--consumer-app-version", "1", "--verbose"], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: wrong,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the broker refused the credentials (401): check PACT_BROKER_TOKEN");
    expect(run.output).not.toContain(wrong);
    expect(run.stderr).toContain("Bearer ****");
  });

  it.each([
    [403, "may not publish contracts", { errors: { base: ["forbidden"] } }],
    [404, "answered 404 (not found): is --broker-base-url / PACT_BROKER_BASE_URL the broker's base URL?", undefined],
    [
      409,
      "already holds a different pact",
      {
        notices: [{ type: "error", text: "Cannot change the content of the pact" }],
        errors: { contracts: ["Cannot change the content of the pact"] },
      },
    ],
    [422, "refused the publication as invalid (422)", { errors: { pacticipantVersionNumber: ["can't be blank"] } }],
  ] as const)("explains a %i from the publish endpoint", async (status, message, body) => {
    broker.fail({ kind: "status", status, body });
    const run = await publish([FIXTURE, "--consumer-app-version", "1"], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: TOKEN });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    if (status === 409) expect(run.stderr).toContain("Cannot change the content of the pact");
    if (status === 422) expect(run.stderr).toContain("pacticipantVersionNumber: can't be blank");
  });

  it("says so when the broker has no pb:publish-contracts", async () => {
    await broker.close();
    broker = await startBrokerServer({ withoutPublishRelation: true });
    const run = await publish([FIXTURE, "--consumer-app-version", "1"], { PACT_BROKER_BASE_URL: broker.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no "pb:publish-contracts" relation');
  });

  it("reports a broker that is not there", async () => {
    const url = broker.url;
    await broker.close();
    const run = await publish([FIXTURE, "--consumer-app-version", "1", "--retries", "0"], { PACT_BROKER_BASE_URL: url });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("connection refused");
  });

  it("--dry-run checks and sends nothing", async () => {
    const run = await publish([FIXTURE, "--dry-run", "--consumer-app-version", "9"], {
      PACT_BROKER_BASE_URL: broker.url,
      PACT_BROKER_TOKEN: TOKEN,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("dry run: would publish 1 pact as version 9");
    expect(broker.requests).toHaveLength(0);
  });

  it("--dry-run from a directory with no contracts/, no git and no version: checks the package's contracts and shows what it would send", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "publish-dry-run-")); // not a git checkout
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(?:PACT_BROKER_|GITHUB_|CI_|GIT_)/.test(name)));
    const { status, stdout, stderr } = spawnSync(process.execPath, [CLI, "publish", "--dry-run", "--branch", "main"], {
      cwd,
      env,
      encoding: "utf8",
    });
    expect(stderr).not.toContain("internal error");
    expect(status, stdout + stderr).toBe(0);
    const files = (await readdir("contracts")).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThan(0);
    expect(stdout).toContain(`dry run: would publish ${files.length} pact`);
    expect(stdout).toContain("as version (none yet: a real run needs --consumer-app-version");
    expect(stdout).toContain("branch main");
    for (const name of files) expect(stdout).toContain(join("contracts", name));
    expect(stdout).toMatch(/ → twilio-api: \S+ \(\d+ bytes\)/);
  });

  it("refuses usage mistakes with exit 2", async () => {
    expect((await publish([FIXTURE, "--consumer-app-version", "1"])).stderr).toContain("no broker: give --broker-base-url");
    expect((await publish(["no-such-dir"], { PACT_BROKER_BASE_URL: broker.url })).stderr).toContain("cannot read no-such-dir");
    expect((await publish([FIXTURE, "--timeout", "soon"], { PACT_BROKER_BASE_URL: broker.url })).code).toBe(2);
  });
});

describe("publish refuses a pact that would teach providers something false", () => {
  const cases: [string, (pact: PactJson) => void, string][] = [
    ["a Pact V3 file", (p) => (p.metadata.pactSpecification.version = "3.0.0"), "not a Pact V4 file"],
    [
      "a 2xx for an invalid Track",
      (p) => (p.interactions[0].request.body.content = "Url=wss%3A%2F%2Fexample.com&Track=both"),
      "a 2xx answer to an invalid request: request /body/Track must be one of",
    ],
    ["a 2xx for a ws:// Url", (p) => (p.interactions[0].request.body.content = "Url=ws%3A%2F%2Fexample.com"), "/body/Url"],
    [
      "an ISO 8601 date_updated",
      (p) => (p.interactions[0].response.body.content.date_updated = "2015-07-30T20:00:00Z"),
      "response body /date_updated must be an RFC 2822 date-time",
    ],
    [
      "a wrong SID prefix",
      (p) => (p.interactions[0].response.body.content.sid = "XXaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
      "response body /sid",
    ],
    [
      "account_sid not the path's",
      (p) => (p.interactions[0].response.body.content.account_sid = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
      "is not the path's",
    ],
    [
      "a stop answered in-progress",
      (p) => (p.interactions[1].response.body.content.status = "in-progress"),
      'UpdateStream answers with "stopped"',
    ],
    ["a 500 as an expected answer", (p) => (p.interactions[2].response.status = 500), "a pact may only expect 2xx or 4xx"],
    ["a 404 with the wrong Twilio code", (p) => (p.interactions[3].response.body.content.code = 20001), "a 404 carries Twilio code 20404"],
    ["a malformed error body", (p) => delete p.interactions[2].response.body.content.more_info, "not a Twilio error body"],
    ["a literal Authorization header", (p) => delete p.interactions[0].request.matchingRules, "Authorization header is a literal value"],
    [
      "a 2xx without credentials",
      (p) => {
        delete p.interactions[0].request.headers.Authorization;
      },
      "without an Authorization header",
    ],
  ];
  it.each(cases)("%s", async (_name, mutate, message) => {
    const file = await falsePact(mutate);
    const run = await publish([file, "--consumer-app-version", "1"], { PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: TOKEN });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`refused  ${file}`);
    expect(run.stdout).toContain(message);
    expect(run.stdout).toContain("nothing was published");
    expect(broker.requests).toHaveLength(0);
  });

  it("refuses a file that is not JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "false-pact-"));
    await writeFile(join(dir, "broken.json"), "{ not json");
    const run = await publish([dir, "--dry-run"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("not valid JSON");
  });
});
