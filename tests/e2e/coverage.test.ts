/**
 * Contract coverage of a client's run (check-client, mock): which operations, optional
 * parameters, kinds of answer and status callbacks the run exercised, from the mock's journal;
 * and its gate, --min-coverage and --require. The clients are the real twilio client
 * (tests/e2e/mock-clients/exercise-everything.mjs), run by the built CLI.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_CONTRACT_PARTS } from "../../src/contract/coverage.js";
import type { Coverage } from "../../src/report/types.js";
import { listening, runCli, startCli } from "../support/cli.js";

const CLIENT = "tests/e2e/mock-clients/exercise-everything.mjs";

/** check-client with the client (and its flags); the coverage from its JSON report. */
async function checkClient(options: string[], clientFlags: string[] = []) {
  const dir = await mkdtemp(join(tmpdir(), "coverage-"));
  const result = await runCli([
    "check-client",
    "--report",
    `json:${dir}/report.json`,
    ...options,
    "--",
    process.execPath,
    CLIENT,
    ...clientFlags,
  ]);
  const report = existsSync(join(dir, "report.json")) ? JSON.parse(await readFile(join(dir, "report.json"), "utf8")) : undefined;
  return { ...result, report, coverage: report?.coverage as Coverage | undefined };
}

describe("check-client: contract coverage", () => {
  it("a client that exercises every part is at 100 %, with the table in the summary and the JSON report", async () => {
    const { code, stdout, stderr, coverage } = await checkClient(["--min-coverage", "100"]);
    expect(code, stderr).toBe(0);
    expect(coverage?.percent).toBe(100);
    expect(coverage?.parts.map((p) => p.id)).toEqual(CLIENT_CONTRACT_PARTS.map((p) => p.id));
    expect(coverage?.parts.every((p) => p.count > 0)).toBe(true);
    expect(coverage?.denominator).toMatch(/^18 parts \(3 operations, 8 optional parameters, 4 answers, 3 status callbacks\)/);
    expect(stdout).toContain("Coverage: 18 of 18 parts (100 %) of the Streams REST contract");
    expect(stdout).toMatch(/✔ Track=both_tracks +×1/);
  });

  it("a client that never stops a Stream is below 100 %: --min-coverage 100 and --require stop-by-sid fail it (exit 1)", async () => {
    const { code, stdout, report, coverage } = await checkClient(
      ["--min-coverage", "100", "--require", "create,stop-by-sid"],
      ["--no-stop"],
    );
    expect(code).toBe(1);
    expect(coverage?.percent).toBeLessThan(100);
    expect(coverage?.parts.filter((p) => p.count === 0).map((p) => p.id)).toEqual(["stop-by-sid", "stop-by-name"]);
    expect(stdout).toMatch(
      /FAILED coverage › at least 100 % and create, stop-by-sid exercised: coverage 88\.8 % is under --min-coverage 100 %/,
    );
    const gate = report.outcomes.find((o: { group: string }) => o.group === "coverage");
    expect(gate.status).toBe("failed");
    expect(gate.failures.map((f: { message: string }) => f.message)).toEqual([
      "coverage 88.8 % is under --min-coverage 100 %",
      "not exercised: stop-by-sid",
    ]);
  });

  it("the same client passes a gate it meets: --min-coverage 80 --require create,Track=BOTH_TRACKS (ids without regard to case)", async () => {
    const { code, report } = await checkClient(
      ["--min-coverage", "80", "--require", "create", "--require", "Track=BOTH_TRACKS"],
      ["--no-stop"],
    );
    expect(code).toBe(0);
    expect(report.outcomes.find((o: { group: string }) => o.group === "coverage")).toMatchObject({
      name: "coverage › at least 80 % and create, Track=both_tracks exercised",
      status: "passed",
    });
  });

  it.each([
    [["--require", "create,stop-by-nmae"], /--require: unknown part "stop-by-nmae"; the parts are create, stop-by-sid, stop-by-name, /],
    [["--require", "create,"], /--require: an empty part name/],
    [["--min-coverage", "101"], /--min-coverage must be a whole number from 0 to 100, got "101"/],
    [["--min-coverage", "ninety"], /--min-coverage must be a whole number/],
  ])("%j is a usage error (exit 2) before the command runs", async (options, message) => {
    const { code, stderr } = await runCli(["check-client", ...options, "--", process.execPath, "-e", "process.exit(0)"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain("contract mock at");
  });
});

describe("mock: contract coverage", () => {
  it("on SIGINT, prints the coverage and fails a --require the clients did not meet (exit 1)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "coverage-mock-"));
    const { child, output } = startCli([
      "mock",
      "--port",
      "0",
      "--quiet",
      "--require",
      "stop-by-name",
      "--report",
      `json:${dir}/mock.json`,
    ]);
    const baseUrl = await listening(child);
    const account = "AC0123456789abcdef0123456789abcdef";
    const answer = await fetch(`${baseUrl}/2010-04-01/Accounts/${account}/Calls/CA${"a".repeat(32)}/Streams.json`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${account}:token`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "Url=wss%3A%2F%2Fexample.com%2Fmedia&Name=support",
    });
    expect(answer.status).toBe(200);
    child.kill("SIGINT");
    const { code, stdout } = await output;
    expect(code).toBe(1);
    expect(stdout).toContain("Coverage: 2 of 18 parts (11.1 %)");
    expect(stdout).toContain("FAILED coverage › stop-by-name exercised: not exercised: stop-by-name");
    const report = JSON.parse(await readFile(join(dir, "mock.json"), "utf8"));
    expect(report.coverage.parts.filter((p: { count: number }) => p.count > 0).map((p: { id: string }) => p.id)).toEqual([
      "create",
      "Name",
    ]);
  });
});
