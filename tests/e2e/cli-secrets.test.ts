/**
 * Secrets as the CLIs take them (the built CLI, `npm run build` first), each registered where it
 * enters: the auth token (flag or variable), a client's Basic password, the password in a URL's
 * user info, and any of them in a query string. None shows in stdout, stderr, the JSON and JUnit
 * reports or the mock's control endpoints; each run also shows the URL it masked, so that the
 * test cannot pass by printing nothing. And masking spares words: help as written, a token too
 * short to mask gets a warning and leaves the text readable.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCallbackReceiver } from "../support/callback-receiver.js";
import { listening, startCli } from "../support/cli.js";
import { type MediaTestServer, startMediaTestServer } from "../support/media-server.js";
import { startTwilioWebhookReceiver } from "../support/twilio-webhook-receiver.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const AUTH_TOKEN = "auth-token-secret-0001";
const CLIENT_PASSWORD = "client-password-0002";
const URL_PASSWORD = "url-password-0003";
const SECRETS = [AUTH_TOKEN, CLIENT_PASSWORD, URL_PASSWORD];

const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of closing.splice(0)) await server.close();
});
async function keep<T extends { close(): Promise<void> }>(server: Promise<T>): Promise<T> {
  const started = await server;
  closing.push(started);
  return started;
}

/** The CLI, with no auth token from this process's environment unless `env` gives one. */
const start = (args: string[], env: Readonly<Record<string, string>> = {}) => startCli(args, { TWILIO_AUTH_TOKEN: "", ...env });

/** The secrets found in `text` (none, when it is clean). */
const shown = (text: string) => SECRETS.filter((secret) => text.includes(secret) || text.includes(encodeURIComponent(secret)));

const streamsPath = `/2010-04-01/Accounts/${ACCOUNT}/Calls/${CALL}/Streams`;

describe("mock: secrets registered where they enter", () => {
  it("the token, a client's password and a StatusCallback's password show in no output, control endpoint or report", async () => {
    const receiver = await keep(startCallbackReceiver((_, res) => void res.writeHead(500).end())); // refused: every URL is listed
    const dir = mkdtempSync(join(tmpdir(), "mock-secrets-"));
    const { child, output } = start([
      "mock",
      "--port",
      "0",
      "--auth-token",
      AUTH_TOKEN,
      "--report",
      `json:${dir}/r.json`,
      "--report",
      `junit:${dir}/r.xml`,
    ]);
    const baseUrl = await listening(child);
    const authorization = `Basic ${Buffer.from(`${ACCOUNT}:${CLIENT_PASSWORD}`).toString("base64")}`;
    const post = (path: string, fields: Record<string, string>) =>
      fetch(baseUrl + path, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    const queried = `${receiver.baseUrl}/status?token=${AUTH_TOKEN}&pw=${CLIENT_PASSWORD}`;
    const withUserInfo = `${receiver.baseUrl.replace("http://", `http://cb:${URL_PASSWORD}@`)}/status`;
    const created: string[] = [];
    for (const [StatusCallback, StatusCallbackMethod] of [
      [queried, "GET"],
      [withUserInfo, "POST"],
    ] as const) {
      const answer = await post(`${streamsPath}.json`, { Url: "wss://example.com/media", StatusCallback, StatusCallbackMethod });
      expect(answer.status).toBe(200);
      created.push(((await answer.json()) as { sid: string }).sid);
    }
    // A violation whose issue quotes the value, and a request whose path carries the token.
    expect(
      (await post(`${streamsPath}.json`, { Url: "wss://example.com/media", StatusCallback: `notaurl?token=${AUTH_TOKEN}` })).status,
    ).toBe(400);
    await post(`${streamsPath}.json?token=${AUTH_TOKEN}`, { Url: "wss://example.com/media" });
    for (const sid of created) expect((await post(`${streamsPath}/${sid}.json`, { Status: "stopped" })).status).toBe(200);
    await receiver.waitFor(4);
    // The callbacks went out with the real values: what is masked below was there to mask.
    expect(receiver.received.some((r) => r.path.includes(`token=${AUTH_TOKEN}`))).toBe(true);
    expect(receiver.received.some((r) => r.headers.authorization?.includes(Buffer.from(`cb:${URL_PASSWORD}`).toString("base64")))).toBe(
      true,
    );

    let callbacks = "";
    for (let tries = 0; tries < 100 && (callbacks.match(/"outcome"/g) ?? []).length < 4; tries++) {
      callbacks = await (await fetch(`${baseUrl}/__contract/callbacks`)).text();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(callbacks).toContain("token=****");
    const requests = await (await fetch(`${baseUrl}/__contract/requests`)).text();
    const violations = await (await fetch(`${baseUrl}/__contract/violations`)).text();
    expect(requests).toContain("token=****");
    expect(violations).toContain("****");
    for (const text of [callbacks, requests, violations]) expect(shown(text), text).toEqual([]);

    child.kill("SIGINT");
    const { code, stdout, stderr } = await output;
    expect(code).toBe(1);
    expect(stdout).toContain("token=****");
    const reports = [readFileSync(`${dir}/r.json`, "utf8"), readFileSync(`${dir}/r.xml`, "utf8")];
    expect(reports[0]).toContain("token=****");
    for (const text of [stdout, stderr, ...reports]) expect(shown(text), text).toEqual([]);
  });
});

describe("check-status-callback and check-media-server: secrets in the URLs", () => {
  it("check-status-callback: the token in --url's query and a password in --signed-url show nowhere", async () => {
    // Behind a proxy (the public URL signed), and 500 on stream-error: failures print the URLs.
    const receiver = await keep(
      startTwilioWebhookReceiver(
        AUTH_TOKEN,
        { host: "voice.example.com", protocol: "https" },
        (r, res) => void res.writeHead(r.params.StreamEvent === "stream-error" ? 500 : 204).end(),
      ),
    );
    const dir = mkdtempSync(join(tmpdir(), "cb-secrets-"));
    const { output } = start(
      [
        "check-status-callback",
        "--url",
        `${receiver.baseUrl}/status?token=${AUTH_TOKEN}`,
        "--signed-url",
        `https://cb:${URL_PASSWORD}@voice.example.com/status?token=${AUTH_TOKEN}`,
        "--runs",
        "2",
        "--seed",
        "3",
        "--report",
        `json:${dir}/r.json`,
        "--report",
        `junit:${dir}/r.xml`,
      ],
      { TWILIO_AUTH_TOKEN: AUTH_TOKEN },
    );
    const { code, stdout, stderr } = await output;
    expect(code, stdout + stderr).toBe(1);
    // Signed right over the public URL: only the receiver's own bug fails.
    expect(stdout).toContain("ok   receiver › accepts signed POST stream-started");
    expect(stdout).toContain("FAIL receiver › accepts signed POST stream-error");
    expect(stdout + stderr).toContain("token=****");
    const reports = [readFileSync(`${dir}/r.json`, "utf8"), readFileSync(`${dir}/r.xml`, "utf8")];
    for (const text of [stdout, stderr, ...reports]) expect(shown(text), text).toEqual([]);
  });

  it("check-media-server: the token in --url's query and a password in --signed-url show nowhere", async () => {
    const server: MediaTestServer = await keep(startMediaTestServer());
    const dir = mkdtempSync(join(tmpdir(), "media-secrets-"));
    const { output } = start(
      [
        "check-media-server",
        "--url",
        `${server.origin}/media?token=${AUTH_TOKEN}`,
        "--signed-url",
        `wss://u:${URL_PASSWORD}@127.0.0.1:${server.port}/media`,
        "--runs",
        "1",
        "--seed",
        "3",
        "--report",
        `json:${dir}/r.json`,
      ],
      { TWILIO_AUTH_TOKEN: AUTH_TOKEN },
    );
    const { stdout, stderr } = await output;
    expect(server.connections.length).toBeGreaterThan(0);
    const report = readFileSync(`${dir}/r.json`, "utf8");
    expect(stdout + stderr + report).toContain("****");
    for (const text of [stdout, stderr, report]) expect(shown(text), text).toEqual([]);
  });
});

describe("masking spares words (issue 17)", () => {
  it("help is printed as written: the CreateStream's Basic credentials stay a phrase", async () => {
    const { stdout } = await start(["mock", "--help"], { TWILIO_AUTH_TOKEN: "credentials" }).output;
    expect(stdout).toContain("Basic credentials");
    expect(stdout).not.toContain("****");
  });

  it("a token too short to mask (`wrong`) gets a warning, and the hint stays readable", async () => {
    const provider = start(["provider", "--port", "0", "--account-sid", ACCOUNT, "--auth-token", "the-real-token-0123"]);
    try {
      const baseUrl = await listening(provider.child);
      const { code, stdout, stderr } = await start(
        [
          "verify",
          "--base-url",
          baseUrl,
          "--states-url",
          `${baseUrl}/__contract/provider-states`,
          "--account-sid",
          ACCOUNT,
          "--skip-pact",
          "--runs",
          "2",
          "--seed",
          "1",
        ],
        { TWILIO_AUTH_TOKEN: "wrong" },
      ).output;
      expect(code).toBe(1);
      expect(stderr).toContain("warning: a credential given (token, secret or password) is shorter than 8 characters");
      expect(stdout).toContain("the credentials are probably wrong");
      expect(stdout).not.toContain("probably ****");
    } finally {
      provider.child.kill("SIGTERM");
      await provider.output;
    }
  });
});
