/**
 * The `stream-contract verify` command as a user runs it (the built CLI, `npm run build`
 * first): exit codes, progress on stderr, and the auth token never in any output.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, test } from "vitest";
import { BROKEN_PROVIDERS } from "./broken-providers/bugs.js";
import { type BrokenProvider, startBrokenProvider } from "./broken-providers/proxy.js";
import { runVerify, VerifyConfigError, type VerifyOptions } from "../../src/verify/index.js";
import { type Ended, runCli } from "../support/cli.js";

let broken: BrokenProvider | undefined;
afterEach(async () => {
  await broken?.close();
  broken = undefined;
});

/** Runs `verify` with no account or token from this process's environment unless `env` gives them. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ended> {
  return runCli(["verify", ...args], { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined, ...env });
}

const seed = () => String(fc.readConfigureGlobal().seed);

// Whole verify runs: a loaded machine may make them slow (tens of seconds), never change their verdict.
describe("stream-contract verify", { timeout: 300_000 }, () => {
  test("no --base-url: checks the bundled reference provider, exit 0, the token never printed", async () => {
    const token = "cli-test-token-0123456789abcdef";
    const { code, stdout, stderr } = await cli(["--runs", "10", "--seed", seed(), "--auth-token", token]);
    expect(stdout).toMatch(/^CONFORMANT: \d+ passed, 0 failed/m);
    expect(stdout).toContain("pact › twilio-stream-contract › a request to create a stream with only a Url");
    expect(stderr).toMatch(/verify: ok {3}conformance › positive data acceptance/);
    expect(code).toBe(0);
    expect(stdout + stderr).not.toContain(token);
    expect(stdout + stderr).not.toContain(Buffer.from(`:${token}`).toString("base64").slice(4));
  });

  test("a broken provider: exit 1, failures with curl and seed, the token (from the environment) never printed", async () => {
    const bug = BROKEN_PROVIDERS.find((c) => c.caughtBy === "ignored auth");
    broken = await startBrokenProvider(bug!.inject);
    const { code, stdout, stderr } = await cli(
      ["--base-url", broken.baseUrl, "--states-url", broken.statesUrl, "--runs", "10", "--seed", seed()],
      { TWILIO_ACCOUNT_SID: broken.accountSid, TWILIO_AUTH_TOKEN: broken.authToken },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^CONTRACT VIOLATED/m);
    expect(stdout).toMatch(/\d+\) conformance › ignored auth/);
    expect(stdout).toMatch(/request: {2}curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/2010-04-01\/Accounts\//);
    expect(stdout).toMatch(/replay: {3}seed -?\d+/);
    expect(stdout + stderr).not.toContain(broken.authToken);
    expect(stdout + stderr).not.toContain(Buffer.from(`${broken.accountSid}:${broken.authToken}`).toString("base64"));
  });

  test("an unreachable server: exit 2 with a clear message", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { code, stdout } = await cli([
      "--base-url",
      `http://127.0.0.1:${port}`,
      "--account-sid",
      "AC0123456789abcdef0123456789abcdef",
      "--auth-token",
      "whatever-token",
    ]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/error: cannot connect to http:\/\/127\.0\.0\.1:\d+\/: connection refused/);
    expect(stdout).toMatch(/^NOT VERIFIED/m);
  });

  test.each([
    [["--runs", "many"], /--runs must be a whole number/],
    [
      ["--base-url", "http://127.0.0.1:1"],
      /needs the server's credentials: --account-sid \(TWILIO_ACCOUNT_SID\) and --auth-token \(TWILIO_AUTH_TOKEN\) or --api-key-sid/,
    ],
    [["--states-url", "http://127.0.0.1:1"], /--states-url needs --base-url/],
    [["--api-key-sid", "SK1"], /--api-key-sid \(TWILIO_API_KEY\) and --api-key-secret \(TWILIO_API_SECRET\) go together/],
    [["--base-url", "ftp://example.com", "--account-sid", "AC1", "--auth-token", "t0ken"], /--base-url must be an http/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--pacts", "/no/such/pacts", "--runs", "1"], /no pact file or directory at \/no\/such\/pacts/],
    [["--only", "no such check"], /no conformance check is named like "no such check" \(--only\)/],
  ])("usage error %j: exit 2, a message, no stack", async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test("runVerify's own errors name its options, not the CLI's flags (the CLI names the flags)", async () => {
    const cases: [VerifyOptions, RegExp, readonly string[]][] = [
      [
        { baseUrl: "http://127.0.0.1:1" },
        /^verify needs the server's credentials: accountSid and authToken or apiKeySid and apiKeySecret$/,
        ["accountSid", "authToken", "apiKeySid", "apiKeySecret"],
      ],
      [{ statesUrl: "http://127.0.0.1:1" }, /^statesUrl needs baseUrl /, ["statesUrl", "baseUrl"]],
      [{ runs: 0 }, /^runs must be a whole number/, ["runs"]],
      [{ timeoutMs: 0.5 }, /^timeoutMs must be a whole number of milliseconds/, ["timeoutMs"]],
      [{ replayPath: "x" }, /^replayPath must be a path/, ["replayPath"]],
      [
        { baseUrl: "http://u:p@127.0.0.1:1", accountSid: "AC1", authToken: "t" },
        /^baseUrl must not carry credentials: use accountSid and authToken$/,
        ["baseUrl", "accountSid", "authToken"],
      ],
    ];
    for (const [options, message, named] of cases) {
      const error = await runVerify(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VerifyConfigError);
      expect((error as VerifyConfigError).message).toMatch(message);
      expect((error as VerifyConfigError).options).toEqual(named);
      expect((error as VerifyConfigError).message).not.toContain("--");
    }
  });
});
