/**
 * `stream-contract check-status-callback` against real receivers on 127.0.0.1: one written with
 * twilio-node's own webhook() middleware passes; each broken one is caught by the check named
 * after its bug.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkStatusCallbackCommand } from "../../src/cli/check-status-callback.js";
import { type CallbackReceiver, startCallbackReceiver } from "../support/callback-receiver.js";
import { runCommand } from "../support/run-command.js";
import { startTwilioWebhookReceiver } from "../support/twilio-webhook-receiver.js";

const TOKEN = "receiver-token-5678";
const open: CallbackReceiver[] = [];
afterEach(async () => {
  for (const receiver of open.splice(0)) await receiver.close();
});
async function keep(receiver: Promise<CallbackReceiver>): Promise<CallbackReceiver> {
  const started = await receiver;
  open.push(started);
  return started;
}

const run = (url: string, extra: string[] = []) =>
  runCommand(checkStatusCallbackCommand, ["--url", url, "--runs", "3", ...extra], { TWILIO_AUTH_TOKEN: TOKEN });
const failedChecks = (stdout: string) => [...stdout.matchAll(/^ {2}FAIL (.+)$/gm)].map((m) => m[1]);

describe("check-status-callback", () => {
  it("a receiver built with twilio-node's webhook() passes every check, signature checks included", async () => {
    const receiver = await keep(startTwilioWebhookReceiver(TOKEN));
    const dir = await mkdtemp(join(tmpdir(), "cb-report-"));
    const result = await run(`${receiver.baseUrl}/status`, [
      "--expect-signature-check",
      "--seed",
      "7",
      "--report",
      `json:${join(dir, "r.json")}`,
      "--report",
      `junit:${join(dir, "r.xml")}`,
    ]);
    expect(result.stdout).toContain("CONFORMANT: 9 passed, 0 failed, 0 skipped");
    expect(result.code).toBe(0);
    expect(result.output).not.toContain(TOKEN);
    // every event by both methods reached it; bad ones were refused by the middleware
    const events = new Set(receiver.received.map((r) => `${r.method} ${r.params.StreamEvent}`));
    for (const method of ["GET", "POST"])
      for (const event of ["stream-started", "stream-stopped", "stream-error"]) expect(events).toContain(`${method} ${event}`);
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as { tool: string; outcomes: unknown[] };
    expect(json.tool).toBe("check-status-callback");
    expect(json.outcomes).toHaveLength(9);
    expect(await readFile(join(dir, "r.xml"), "utf8")).toContain('testsuites name="stream-contract check-status-callback"');
  });

  it("without --expect-signature-check the refusal checks are skipped, and say how to run them", async () => {
    const receiver = await keep(startTwilioWebhookReceiver(TOKEN));
    const result = await run(`${receiver.baseUrl}/status`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("skip receiver › refuses a wrong signature — add --expect-signature-check");
  });

  it.each([
    {
      bug: "accepts any signature",
      receiver: () => startCallbackReceiver(),
      caughtBy: [
        "receiver › refuses a wrong signature",
        "receiver › refuses an unsigned callback",
        "receiver › refuses a replay with a changed body",
      ],
    },
    {
      bug: "signs the wrong URL form (assumes https behind a proxy)",
      receiver: () => startTwilioWebhookReceiver(TOKEN, { protocol: "https" }),
      caughtBy: [
        "POST stream-started",
        "POST stream-stopped",
        "POST stream-error",
        "GET stream-started",
        "GET stream-stopped",
        "GET stream-error",
      ].map((x) => `receiver › accepts signed ${x}`),
      // One cause, one message: the hint, the failures' details left out.
      diagnosis: "a proxy in front of the receiver is the usual cause",
    },
    {
      bug: "ignores GET",
      receiver: () => startTwilioWebhookReceiver(TOKEN, {}, (r, res) => void res.writeHead(r.method === "GET" ? 405 : 204).end()),
      caughtBy: ["GET stream-started", "GET stream-stopped", "GET stream-error"].map((x) => `receiver › accepts signed ${x}`),
    },
    {
      bug: "500 on stream-error",
      receiver: () =>
        startTwilioWebhookReceiver(TOKEN, {}, (r, res) => void res.writeHead(r.params.StreamEvent === "stream-error" ? 500 : 200).end()),
      caughtBy: ["receiver › accepts signed POST stream-error", "receiver › accepts signed GET stream-error"],
    },
  ] as { bug: string; receiver: () => Promise<CallbackReceiver>; caughtBy: string[]; diagnosis?: string }[])(
    "a receiver that $bug is caught",
    async ({ receiver, caughtBy, diagnosis }) => {
      const started = await keep(receiver());
      const result = await run(`${started.baseUrl}/status`, ["--expect-signature-check"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("CONTRACT VIOLATED");
      expect(failedChecks(result.stdout).sort()).toEqual([...caughtBy].sort());
      if (diagnosis === undefined) expect(result.stdout).toMatch(/replay: {3}seed \d+/);
      else expect(result.stdout).toContain(diagnosis);
    },
  );

  it("--signed-url: a receiver behind a TLS proxy (twilio.webhook({ host, protocol })) passes; without it, the proxy is named", async () => {
    const receiver = await keep(startTwilioWebhookReceiver(TOKEN, { host: "voice.example.com", protocol: "https" }));
    const behind = await run(`${receiver.baseUrl}/status`, ["--expect-signature-check"]);
    expect(behind.code).toBe(1);
    expect(behind.stdout).toContain("Probably misconfigured: the receiver refused 6 correctly signed callback check(s) with 401/403");
    expect(behind.stdout).toContain("a proxy in front of the receiver is the usual cause");
    expect(behind.stdout).toContain("--signed-url");
    const signed = await run(`${receiver.baseUrl}/status`, [
      "--expect-signature-check",
      "--signed-url",
      "https://voice.example.com/status",
    ]);
    expect(signed.stdout).toContain("CONFORMANT: 9 passed, 0 failed, 0 skipped");
    expect(signed.code).toBe(0);
    // A wrong --signed-url gets the hint that names it.
    const wrong = await run(`${receiver.baseUrl}/status`, ["--signed-url", "https://voice.example.com/other"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain("check that --signed-url is exactly the URL the receiver validates");
    expect((await run(`${receiver.baseUrl}/status`, ["--signed-url", "voice.example.com/status"])).stderr).toContain(
      "--signed-url must be an absolute http:// or https:// URL",
    );
  });

  it("usage errors and an unreachable receiver exit 2 with a clear message", async () => {
    expect(
      (await runCommand(checkStatusCallbackCommand, ["--url", "http://127.0.0.1:1/status"], { TWILIO_AUTH_TOKEN: "" })).stderr,
    ).toContain("--auth-token or TWILIO_AUTH_TOKEN");
    const remote = await run("https://example.com/status");
    expect([remote.code, remote.stderr]).toEqual([2, expect.stringContaining("not a loopback host; add --allow-remote")]);
    expect((await run("ftp://127.0.0.1/x")).code).toBe(2);
    const unreachable = await run("http://127.0.0.1:1/status");
    expect(unreachable.code).toBe(2);
    expect(unreachable.stdout).toContain("error: cannot reach the receiver at http://127.0.0.1:1/status: connection refused");
  });
});
