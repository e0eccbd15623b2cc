/**
 * `stream-contract mock` and `stream-contract check-client` as a user runs them (the built CLI,
 * `npm run build` first): exit codes, summaries, violations over HTTP, no credential printed.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/report/types.js";
import { listening, runCli, startCli } from "../support/cli.js";
import { startTwilioWebhookReceiver } from "../support/twilio-webhook-receiver.js";

const CLIENT = "tests/e2e/mock-clients/twilio-client.mjs";
const TOKEN = "client-token-0001";

describe("stream-contract check-client", () => {
  it("passes for a client that follows the contract", async () => {
    const dir = mkdtempSync(join(tmpdir(), "check-client-"));
    const { code, stdout, stderr } = await runCli(["check-client", "--report", `json:${dir}/report.json`, "--", process.execPath, CLIENT]);
    expect(stderr).not.toContain(TOKEN);
    expect(code, stdout + stderr).toBe(0);
    expect(stdout).toContain("created and stopped MZ");
    expect(stdout).toMatch(/CreateStream\s+1\s+200×1\s+0/);
    expect(stdout).toMatch(/UpdateStream\s+1\s+200×1\s+0/);
    expect(stdout).toContain("PASSED");
    const report = JSON.parse(readFileSync(`${dir}/report.json`, "utf8")) as RunReport;
    expect(report.tool).toBe("check-client");
    expect(report.outcomes.every((o) => o.status === "passed")).toBe(true);
  });

  it("fails for a client that breaks the contract, and says how", async () => {
    const { code, stdout, stderr } = await runCli(["check-client", "--", process.execPath, CLIENT, "--broken"]);
    expect(code).toBe(1);
    expect(stdout).toContain("Violations:");
    expect(stdout).toContain("(content-type)");
    expect(stdout).toContain("/headers/content-type must be application/x-www-form-urlencoded");
    expect(stderr).toContain("VIOLATION content-type");
    expect(stdout + stderr).not.toContain(TOKEN);
  });

  it("fails when no request reaches the mock", async () => {
    const { code, stdout } = await runCli(["check-client", "--", process.execPath, "-e", "process.exit(0)"]);
    expect(code).toBe(1);
    expect(stdout).toContain("no request reached the mock");
  });

  it("says what the command printed when it failed before sending any request", async () => {
    const { code, stdout } = await runCli(["check-client", "--", process.execPath, CLIENT, "--no-url"]);
    expect(code).toBe(1);
    expect(stdout).toContain("no request reached the mock: the command exited with code 1 before sending one");
    expect(stdout).toContain(`its last error output: client failed: Required parameter "params['url']" missing.`);
    expect(stdout).not.toContain("is the client using TWILIO_API_BASE_URL");
  });

  it("quotes the error line of an uncaught exception, not the stack or the Node.js version", async () => {
    const { stdout } = await runCli(["check-client", "--", process.execPath, "-e", "throw new TypeError('url is required')"]);
    expect(stdout).toContain("its last error output: TypeError: url is required");
  });

  it("--fault answers the client's requests with the fault, then the real answers", async () => {
    const client = `
      const A = "AC0123456789abcdef0123456789abcdef", C = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
      const send = () => fetch(process.env.TWILIO_API_BASE_URL + "/2010-04-01/Accounts/" + A + "/Calls/" + C + "/Streams.json", {
        method: "POST", body: "Url=wss%3A%2F%2Fexample.com",
        headers: { authorization: "Basic " + Buffer.from(A + ":t").toString("base64"), "content-type": "application/x-www-form-urlencoded" } });
      const first = await send(); const body = await first.json(); const second = await send();
      console.log("first", first.status, body.code, first.headers.get("retry-after"), "second", second.status);`;
    const { code, stdout } = await runCli([
      "check-client",
      "--fault",
      "503,times=1,retry-after=4",
      "--",
      process.execPath,
      "--input-type=module",
      "-e",
      client,
    ]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/first 503 20503 4 second 20[01]/);
  });

  it("--fault refuses a malformed spec (exit 2)", async () => {
    const { code, stderr } = await runCli(["check-client", "--fault", "302", "--", process.execPath, "-e", "0"]);
    expect(code).toBe(2);
    expect(stderr).toContain("status must be an integer from 400 to 599");
  });

  it("fails when the command fails", async () => {
    const { code, stdout } = await runCli(["check-client", "--", process.execPath, "-e", "process.exit(3)"]);
    expect(code).toBe(1);
    expect(stdout).toContain("exited with code 3");
  });

  it("exits 2 when the command cannot be started, or none is given", async () => {
    const missing = await runCli(["check-client", "--", "no-such-command-xyz"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("command not found");
    expect(missing.stderr).not.toContain("    at ");
    expect((await runCli(["check-client"])).code).toBe(2);
  });
});

describe("stream-contract check-client: status callbacks, as mock reports them", () => {
  /** A client that creates a Stream with a StatusCallback (CALLBACK) and stops it, with AC…:CLIENT_TOKEN. */
  const client = `
    const A = "AC0123456789abcdef0123456789abcdef", C = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const base = process.env.TWILIO_API_BASE_URL + "/2010-04-01/Accounts/" + A + "/Calls/" + C + "/Streams";
    const headers = { authorization: "Basic " + Buffer.from(A + ":" + process.env.CLIENT_TOKEN).toString("base64"),
      "content-type": "application/x-www-form-urlencoded" };
    const post = (path, fields) => fetch(base + path, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
    const created = await (await post(".json", { Url: "wss://example.com/media", StatusCallback: process.env.CALLBACK })).json();
    const stopped = await post("/" + created.sid + ".json", { Status: "stopped" });
    if (stopped.status !== 200) process.exit(1);`;

  it.each([
    ["a receiver that checks signatures with the client's token passes", TOKEN, 0, "passed"],
    ["a receiver that refuses every signed callback fails the run", "another-token-0002", 1, "failed"],
  ] as const)("%s", async (_what, receiverToken, exitCode, status) => {
    const receiver = await startTwilioWebhookReceiver(receiverToken);
    const dir = mkdtempSync(join(tmpdir(), "check-client-callbacks-"));
    try {
      const { code, stdout, stderr } = await runCli(
        [
          "check-client",
          "--report",
          `json:${dir}/report.json`,
          "--report",
          `junit:${dir}/report.xml`,
          "--",
          process.execPath,
          "--input-type=module",
          "-e",
          client,
        ],
        { CLIENT_TOKEN: TOKEN, CALLBACK: `${receiver.baseUrl}/status`, TWILIO_AUTH_TOKEN: "" },
      );
      expect(code, stdout + stderr).toBe(exitCode);
      expect(receiver.received.map((r) => r.params.StreamEvent)).toEqual(["stream-started", "stream-stopped"]);
      expect(stdout).toContain(status === "passed" ? "Status callbacks: 2 (delivered×2)" : "Status callbacks: 2 (non-2xx×2)");
      expect(stdout).toContain(status === "passed" ? "PASSED" : "FAILED");
      const report = JSON.parse(readFileSync(`${dir}/report.json`, "utf8")) as RunReport;
      const outcome = report.outcomes.find((o) => o.name === "client › status callback receivers answer 2xx");
      expect(outcome?.status).toBe(status);
      expect(outcome?.message).toContain(`2 callback(s) sent, ${status === "passed" ? 0 : 2} not answered with 2xx`);
      const junit = readFileSync(`${dir}/report.xml`, "utf8");
      expect(junit).toContain("status callback receivers answer 2xx");
      if (status === "failed") expect(junit).toMatch(/status callback receivers answer 2xx.*?<failure/s);
      expect(stdout + stderr).not.toContain(TOKEN);
    } finally {
      await receiver.close();
    }
  });
});

describe("stream-contract mock", () => {
  it("serves, shows violations over HTTP, and on SIGINT prints a summary and exits 1", async () => {
    const { child, output } = startCli(["mock", "--port", "0", "--seed", "5"]);
    const baseUrl = await listening(child);
    const account = "AC0123456789abcdef0123456789abcdef";
    const path = `/2010-04-01/Accounts/${account}/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Streams.json`;
    const auth = `Basic ${Buffer.from(`${account}:${TOKEN}`).toString("base64")}`;
    const good = await fetch(baseUrl + path, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
      body: "Url=wss%3A%2F%2Fexample.com",
    });
    expect(good.status).toBe(200);
    const bad = await fetch(baseUrl + path, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
      body: "Url=wss%3A%2F%2Fexample.com&Track=both",
    });
    expect(bad.status).toBe(400);
    const violations = (await (await fetch(`${baseUrl}/__contract/violations`)).json()) as {
      count: number;
      violations: { kind: string; issues: { path: string }[] }[];
    };
    expect(violations.count).toBe(1);
    expect(violations.violations[0]?.issues[0]?.path).toBe("/body/Track");
    child.kill("SIGINT");
    const { code, stdout, stderr } = await output;
    expect(code).toBe(1);
    expect(stdout).toContain("2 request(s), 1 violation(s)");
    expect(stdout).toContain("/body/Track must be one of");
    expect(stderr).toContain("→ 200 CreateStream");
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(stdout + stderr).not.toContain(auth.slice(6));
  });

  it("API-key credentials and no account token: says so at once, and a refused callback is not the receiver's fault (exit 0)", async () => {
    const receiver = await startTwilioWebhookReceiver("account-auth-token-0123456789ab");
    const { child, output } = startCli(["mock", "--port", "0"], { TWILIO_AUTH_TOKEN: "" });
    try {
      const baseUrl = await listening(child);
      const apiKey = "SK0123456789abcdef0123456789abcdef";
      const answer = await fetch(
        `${baseUrl}/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Streams.json`,
        {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${apiKey}:api-key-secret-0123456789`).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ Url: "wss://example.com/media", StatusCallback: `${receiver.baseUrl}/status` }).toString(),
        },
      );
      expect(answer.status).toBe(200);
      await receiver.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the answer recorded
      child.kill("SIGINT");
      const { code, stdout, stderr } = await output;
      expect(stderr).toContain(`warning: a Stream was created with API key ${apiKey}`);
      expect(stderr).toContain("--auth-token or TWILIO_AUTH_TOKEN");
      expect(stdout).toContain("Status callbacks: 1 (no-account-token×1)");
      expect(stdout).toContain("answered 403 to a callback signed with API key");
      expect(code).toBe(0);
      expect(stdout + stderr).not.toContain("api-key-secret-0123456789");
    } finally {
      await receiver.close();
    }
  });

  it("exits 0 on SIGTERM when every request was valid", async () => {
    const { child, output } = startCli(["mock", "--port", "0", "--quiet"]);
    await listening(child);
    child.kill("SIGTERM");
    const { code, stdout } = await output;
    expect(code).toBe(0);
    expect(stdout).toContain("0 request(s), 0 violation(s)");
  });

  it("POST /__contract/stop answers the summary and exit code 1 after a violation, then exits 1 (no signal)", async () => {
    const { child, output } = startCli(["mock", "--port", "0", "--quiet"]);
    const baseUrl = await listening(child);
    const account = "AC0123456789abcdef0123456789abcdef";
    const bad = await fetch(`${baseUrl}/2010-04-01/Accounts/${account}/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Streams.json`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${account}:${TOKEN}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "Url=wss%3A%2F%2Fexample.com&Track=both",
    });
    expect(bad.status).toBe(400);
    const stop = await fetch(`${baseUrl}/__contract/stop`, { method: "POST" });
    expect(stop.status).toBe(200);
    const answer = (await stop.json()) as { exitCode: number; requests: number; violations: number; summary: string };
    expect(answer).toMatchObject({ exitCode: 1, requests: 1, violations: 1 });
    expect(answer.summary).toContain("1 request(s), 1 violation(s)");
    expect(answer.summary).toContain("/body/Track must be one of");
    const { code, stdout, stderr } = await output;
    expect(code).toBe(1);
    expect(stdout).toBe(answer.summary);
    expect(stderr).toContain("POST /__contract/stop, stopped");
    expect(stdout + stderr + JSON.stringify(answer)).not.toContain(TOKEN);
  });

  it("POST /__contract/stop with every request valid answers exit code 0 and writes the reports, then exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mock-stop-"));
    const { child, output } = startCli(["mock", "--port", "0", "--quiet", "--report", `json:${dir}/report.json`]);
    const baseUrl = await listening(child);
    expect((await fetch(`${baseUrl}/__contract/stop`)).status).toBe(404); // only POST stops
    const [first, second] = await Promise.all([
      fetch(`${baseUrl}/__contract/stop`, { method: "POST" }),
      fetch(`${baseUrl}/__contract/stop`, { method: "POST" }),
    ]);
    const answers = (await Promise.all([first?.json(), second?.json()])) as { summary: string }[];
    expect(answers[0]).toMatchObject({ exitCode: 0, requests: 0, violations: 0 });
    expect(answers[1]).toEqual(answers[0]); // one run, one summary, however many ask
    const { code, stdout } = await output;
    expect(code).toBe(0);
    expect(stdout).toContain("0 request(s), 0 violation(s)");
    expect(stdout).toBe(answers[0]?.summary);
    const report = JSON.parse(readFileSync(`${dir}/report.json`, "utf8")) as RunReport;
    expect(report.tool).toBe("mock");
  });

  it("explains a port in use and bad options (exit 2)", async () => {
    const { child, output } = startCli(["mock", "--port", "0", "--quiet"]);
    const port = new URL(await listening(child)).port;
    const clash = await runCli(["mock", "--port", port]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain(`port ${port} is in use`);
    child.kill("SIGTERM");
    await output;
    expect((await runCli(["mock", "--port", "http"])).code).toBe(2);
    expect((await runCli(["mock", "--help"])).stdout).toContain("Usage: stream-contract mock");
  });
});
