/**
 * `stream-contract provider` (dist/cli/main.js, as users run it): the reference provider as a
 * server of its own, checked by the official Rust Pact verifier (pact-verifier from
 * @pact-foundation/pact-cli) with the provider's real credentials, which its states endpoint
 * hands out with its own account. Stops cleanly on SIGTERM and SIGINT.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { INTERACTIONS, PACT_FILE } from "../../src/contract/interactions.js";
import { createStreamPath } from "../../src/contract/paths.js";
import { basicAuthorization } from "../../src/http/basic-auth.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const VERIFIER = fileURLToPath(new URL("../../node_modules/.bin/pact-verifier", import.meta.url));
const PACT = fileURLToPath(new URL(`../../contracts/${PACT_FILE}`, import.meta.url));

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "provider-cli-token-0123456789abcd";
const API_KEY = "SKfedcba9876543210fedcba9876543210";
const API_SECRET = "provider-cli-api-secret-987654321";
const SECRETS = [TOKEN, API_SECRET, basicAuthorization(ACCOUNT, TOKEN).slice(6), basicAuthorization(API_KEY, API_SECRET).slice(6)];

interface Running {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly statesUrl: string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

let running: Running | undefined;
afterEach(async () => {
  if (running !== undefined && running.child.exitCode === null) running.child.kill("SIGKILL");
  running = undefined;
});

/** Starts the command with `args`; resolves once it printed its URLs. */
async function startProvider(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [CLI, "provider", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider did not start: ${stderr}`)), 30_000);
    const check = () => {
      if (/provider states: \S+/.test(stderr)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on("data", check);
    void exited.then((code) => reject(new Error(`provider exited with ${code}: ${stderr}`)));
  });
  const baseUrl = /listening on (http:\/\/\S+)/.exec(stderr)![1]!;
  const statesUrl = /provider states: (\S+)/.exec(stderr)![1]!;
  running = { child, baseUrl, statesUrl, stderr: () => stderr, exited };
  return running;
}

/** Runs the official verifier on contracts/ against `baseUrl`; its exit code, output and JSON report. */
async function officialVerifier(
  baseUrl: string,
  statesUrl: string | undefined,
): Promise<{ code: number | null; output: string; results: { description: string; result: string }[] }> {
  const dir = await mkdtemp(join(tmpdir(), "official-verifier-"));
  const report = join(dir, "report.json");
  const { hostname, port } = new URL(baseUrl);
  const args = [
    "--file",
    PACT,
    "--hostname",
    hostname,
    "--port",
    port,
    "--provider-name",
    "twilio-api",
    "--json",
    report,
    "--no-colour",
    ...(statesUrl === undefined ? [] : ["--state-change-url", statesUrl]),
  ];
  try {
    const child = spawn(VERIFIER, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    const json = JSON.parse(await readFile(report, "utf8")) as { interactionResults: { description: string; result: string }[] };
    return { code, output, results: json.interactionResults };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("stream-contract provider", () => {
  it("passes the official pact-verifier on every interaction of contracts/, with its real credentials, and stops on SIGTERM", async () => {
    const provider = await startProvider(["--port", "0", "--account-sid", ACCOUNT], {
      TWILIO_AUTH_TOKEN: TOKEN,
      TWILIO_API_KEY: API_KEY,
      TWILIO_API_SECRET: API_SECRET,
    });
    const { code, output, results } = await officialVerifier(provider.baseUrl, provider.statesUrl);
    expect(results.map((r) => `${r.description}: ${r.result}`).sort()).toEqual(INTERACTIONS.map((i) => `${i.description}: OK`).sort());
    expect(code).toBe(0);
    for (const secret of SECRETS) expect(output + provider.stderr()).not.toContain(secret);

    // The API key is taken too.
    await fetch(provider.statesUrl, {
      method: "POST",
      body: JSON.stringify({
        state: "a call is in progress",
        params: { accountSid: ACCOUNT, callSid: `CA${"d".repeat(32)}` },
        action: "setup",
      }),
    });
    const created = await fetch(`${provider.baseUrl}${createStreamPath(ACCOUNT, `CA${"d".repeat(32)}`)}`, {
      method: "POST",
      headers: { Authorization: basicAuthorization(API_KEY, API_SECRET), "Content-Type": "application/x-www-form-urlencoded" },
      body: "Url=wss%3A%2F%2Fexample.com%2Fmedia",
    });
    expect(created.status).toBe(200);

    provider.child.kill("SIGTERM");
    expect(await provider.exited).toBe(0);
    expect(provider.stderr()).toContain("received SIGTERM, stopped");
  }, 120_000);

  it("without its states endpoint the official verifier fails (fake credentials, example account): the check can fail", async () => {
    const provider = await startProvider(["--port", "0", "--account-sid", ACCOUNT, "--create-status", "201"], { TWILIO_AUTH_TOKEN: TOKEN });
    const { code, results } = await officialVerifier(provider.baseUrl, undefined);
    expect(code).not.toBe(0);
    expect(results.filter((r) => r.result !== "OK").length).toBeGreaterThan(0);
    provider.child.kill("SIGINT");
    expect(await provider.exited).toBe(0);
    expect(provider.stderr()).toContain("received SIGINT, stopped");
  }, 120_000);

  it("POST /__contract/stop answers exit code 0, then the provider exits 0 (no signal)", async () => {
    const provider = await startProvider(["--port", "0", "--account-sid", ACCOUNT], { TWILIO_AUTH_TOKEN: TOKEN });
    expect((await fetch(`${provider.baseUrl}/__contract/stop`)).status).toBe(404); // only POST stops
    const stop = await fetch(`${provider.baseUrl}/__contract/stop`, { method: "POST" });
    expect(stop.status).toBe(200);
    expect(await stop.json()).toEqual({ exitCode: 0 });
    expect(await provider.exited).toBe(0);
    expect(provider.stderr()).toContain("POST /__contract/stop, stopped");
  }, 60_000);

  it("with --status-callbacks, verify --callbacks passes against it; without, verify --callbacks fails", async () => {
    const verifyCallbacks = (provider: Running, extra: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const args = ["verify", "--base-url", provider.baseUrl, "--states-url", provider.statesUrl, "--callbacks", "--skip-pact"];
        const child = spawn(process.execPath, [CLI, ...args, "--runs", "1", ...extra], {
          env: { ...process.env, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("exit", (code) => resolve({ code, stdout, stderr }));
      });

    const provider = await startProvider(["--port", "0", "--account-sid", ACCOUNT, "--status-callbacks"], { TWILIO_AUTH_TOKEN: TOKEN });
    expect(provider.stderr()).toContain("status callbacks: on (loopback hosts only)");
    const verified = await verifyCallbacks(provider, []);
    expect(verified.stdout).toContain("Status callbacks");
    expect(verified.stdout).not.toMatch(/^\s+(FAIL|skip) callbacks/m);
    expect(verified.stdout).toMatch(/^\s+ok {3}callbacks › /m);
    expect(verified.code, verified.stdout).toBe(0);
    for (const secret of SECRETS) expect(verified.stdout + verified.stderr + provider.stderr()).not.toContain(secret);
    provider.child.kill("SIGTERM");
    expect(await provider.exited).toBe(0);

    const silent = await startProvider(["--port", "0", "--account-sid", ACCOUNT], { TWILIO_AUTH_TOKEN: TOKEN });
    const refused = await verifyCallbacks(silent, ["--only", "callbacks", "--callback-wait", "1000"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^\s+FAIL callbacks › /m);
    silent.child.kill("SIGTERM");
    expect(await silent.exited).toBe(0);
  }, 120_000);

  it("explains bad flags with exit 2 and prints --help", async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [CLI, "provider", ...args], { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        child.stderr.on("data", (c: Buffer) => (out += c.toString()));
        child.on("exit", (code) => resolve({ code, out }));
      });
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("--api-key-sid SK…");
    const bad = await run(["--account-sid", "ACnope", "--port", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("--account-sid must be an Account SID");
    const half = await run(["--api-key-sid", API_KEY, "--port", "0"]);
    expect(half.code).toBe(2);
    expect(half.out).toContain("go together");
    const status = await run(["--create-status", "202", "--port", "0"]);
    expect(status.code).toBe(2);
    expect(status.out).not.toContain("    at ");
  }, 60_000);
});
