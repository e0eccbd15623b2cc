/**
 * `--report junit:<path> --report json:<path>` on the commands that run checks: the files are
 * written from the run's RunReport, and a malformed --report is a usage error before any work.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Command } from "../../src/cli/command.js";
import { runCommand } from "../support/run-command.js";
import { verifyCommand } from "../../src/cli/verify.js";
import { checkClientCommand } from "../../src/cli/check-client.js";

async function run(command: Command, args: string[]) {
  return runCommand(command, args);
}

describe("verify --report", () => {
  it("writes JUnit and JSON reports of the run", async () => {
    const dir = await mkdtemp(join(tmpdir(), "verify-report-"));
    const result = await run(verifyCommand, [
      "--skip-pact",
      "--runs",
      "3",
      "--seed",
      "1",
      "--report",
      `junit:${dir}/junit/verify.xml`,
      "--report",
      `json:${dir}/verify.json`,
    ]);
    expect(result.stderr).toContain(`wrote junit report to ${dir}/junit/verify.xml`);
    const json = JSON.parse(await readFile(join(dir, "verify.json"), "utf8"));
    expect(json.tool).toBe("verify");
    expect(json.summary.total).toBeGreaterThan(5);
    // The reference provider conforms: every check passed or was skipped (no --states-url).
    expect(result.code).toBe(0);
    expect(json.summary.failed).toBe(0);
    const xml = await readFile(join(dir, "junit/verify.xml"), "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(json.summary.total);
    expect(xml).toContain(`<testsuites name="stream-contract verify" tests="${json.summary.total}" failures="${json.summary.failed}"`);
  });

  it("refuses a malformed --report before running anything", async () => {
    const result = await run(verifyCommand, ["--report", "pdf:out.pdf"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--report "pdf:out.pdf": expected junit:<path>, json:<path> or html:<path>');
    expect(result.stderr).not.toContain("reference provider");
  });
});

describe("check-client --report", () => {
  // A client that sends CreateStream as JSON, not as a form: a violation the mock records.
  const JSON_CLIENT = `
    const A = "AC" + "a".repeat(32), C = "CA" + "a".repeat(32);
    const auth = "Basic " + Buffer.from(A + ":token").toString("base64");
    fetch(process.env.TWILIO_API_BASE_URL + "/2010-04-01/Accounts/" + A + "/Calls/" + C + "/Streams.json", {
      method: "POST", headers: { Authorization: auth, "Content-Type": "application/json" }, body: JSON.stringify({ Url: "wss://example.com/media" }),
    }).then((r) => r.text()).then(() => process.exit(0), () => process.exit(3));
  `;

  it("writes a JUnit report whose failure names the violation", async () => {
    const dir = await mkdtemp(join(tmpdir(), "check-client-report-"));
    const result = await run(checkClientCommand, ["--report", `junit:${dir}/client.xml`, "--", process.execPath, "-e", JSON_CLIENT]);
    expect(result.code).toBe(1);
    const xml = await readFile(join(dir, "client.xml"), "utf8");
    expect(xml).toContain('<testsuites name="stream-contract check-client"');
    expect(xml).toMatch(
      /<testcase name="[^"]*CreateStream[^"]*" classname="stream-contract\.check-client\.client" time="[0-9.]+">\n\s+<failure message="POST \/2010-04-01\/Accounts\/ACa{32}\/Calls\/CAa{32}\/Streams\.json → 4\d\d: /,
    );
  });
});
