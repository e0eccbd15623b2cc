/**
 * API-key credentials (`SK…:secret`, twilio-node's `twilio(apiKeySid, apiKeySecret, { accountSid })`),
 * which Twilio takes as well as `AC…:authToken`: the real twilio client (5 and 6) with an API key
 * passes through the mock and nock with no violation and is served by the reference provider
 * that knows the key; `verify` authenticates with a key and its auth check covers both kinds.
 */
import twilio5 from "twilio";
import twilio6 from "twilio6";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackOutcome, mediaOutcome } from "../../src/mock/report.js";
import { type MockServer, startMockServer } from "../../src/mock/server.js";
import { interceptStreams } from "../../src/nock/index.js";
import { startReferenceProvider } from "../../src/provider/index.js";
import { exitCodeOf, runVerify } from "../../src/verify/index.js";
import { eventually, startMediaTestServer } from "../support/media-server.js";
import { startTwilioWebhookReceiver } from "../support/twilio-webhook-receiver.js";
import { ACCOUNT, CALL, createAndStop } from "./twilio-client.fixtures.js";

const API_KEY = "SK0123456789abcdef0123456789abcdef";
const API_SECRET = "api-key-secret-0123456789abcdef0";

type Lib = typeof twilio5;
const LIBRARIES: readonly (readonly [string, Lib])[] = [
  ["twilio 5", twilio5],
  ["twilio 6", twilio6 as unknown as Lib],
];

/** A client of `lib` authenticating with the API key, its requests sent to `baseUrl` (nock: none). */
function apiKeyClient(lib: Lib, baseUrl: string | undefined, seen: string[] = []) {
  type Options = Parameters<InstanceType<Lib["RequestClient"]>["request"]>[0];
  class RewritingClient extends lib.RequestClient {
    override request<T>(opts: Options) {
      seen.push(String(opts.username));
      return super.request<T>({
        ...opts,
        uri: baseUrl === undefined ? opts.uri : opts.uri.replace("https://api.twilio.com", baseUrl),
      } as never);
    }
  }
  return lib(API_KEY, API_SECRET, { accountSid: ACCOUNT, httpClient: new RewritingClient() });
}

describe.each(LIBRARIES)("%s with an API key", (_name, lib) => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ seed: 5 });
  });
  afterAll(() => mock.close());

  it("passes through the mock with no violation", async () => {
    const users: string[] = [];
    const result = await createAndStop(apiKeyClient(lib, mock.baseUrl, users));
    expect(result.stoppedBySid.status).toBe("stopped");
    expect(users).toEqual([API_KEY, API_KEY, API_KEY, API_KEY]);
    expect(mock.violations()).toEqual([]);
    expect(mock.requests().map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it("passes through nock with no violation", async () => {
    const streams = interceptStreams({ seed: 5 });
    try {
      await createAndStop(apiKeyClient(lib, undefined));
      expect(streams.violations()).toEqual([]);
      expect(streams.requests()).toHaveLength(4);
    } finally {
      streams.remove();
    }
  });

  it("is served by the reference provider that knows the key, refused by one that does not", async () => {
    const knows = await startReferenceProvider({
      accountSid: ACCOUNT,
      authToken: "token-0123456789",
      apiKeySid: API_KEY,
      apiKeySecret: API_SECRET,
    });
    const doesNot = await startReferenceProvider({ accountSid: ACCOUNT, authToken: "token-0123456789" });
    try {
      for (const provider of [knows, doesNot]) {
        const setup = await fetch(provider.statesUrl, {
          method: "POST",
          body: JSON.stringify({ state: "a call is in progress", params: { accountSid: ACCOUNT, callSid: CALL }, action: "setup" }),
        });
        expect(setup.status).toBe(200);
      }
      const created = await apiKeyClient(lib, knows.baseUrl).calls(CALL).streams.create({ url: "wss://example.com/media" });
      expect(created.status).toBe("in-progress");
      await expect(apiKeyClient(lib, doesNot.baseUrl).calls(CALL).streams.create({ url: "wss://example.com/media" })).rejects.toMatchObject(
        { status: 401, code: 20003 },
      );
    } finally {
      await knows.close();
      await doesNot.close();
    }
  });
});

/** The account's auth token: what Twilio signs status callbacks and upgrades with, whoever created the Stream. */
const ACCOUNT_TOKEN = "account-auth-token-0123456789ab";

describe.each(LIBRARIES)("%s with an API key: status callbacks and upgrades signed as Twilio signs them", (_name, lib) => {
  /** A Stream with a StatusCallback to a twilio.webhook() receiver and a Url to a server that checks the upgrade's signature with twilio.validateRequest. */
  async function run(authToken: string | undefined) {
    const receiver = await startTwilioWebhookReceiver(ACCOUNT_TOKEN);
    const media = await startMediaTestServer({
      accept: (req) =>
        lib.validateRequest(ACCOUNT_TOKEN, String(req.headers["x-twilio-signature"]), `wss://127.0.0.1:${media.port}${req.url}`, {}),
    });
    const mock = await startMockServer({
      seed: 5,
      statusCallbacks: authToken === undefined ? {} : { authToken },
      media: { pace: "fast", plainLoopback: true, ...(authToken === undefined ? {} : { authToken }) },
    });
    try {
      const client = apiKeyClient(lib, mock.baseUrl);
      const stream = await client
        .calls(CALL)
        .streams.create({ url: `wss://127.0.0.1:${media.port}/media`, statusCallback: `${receiver.baseUrl}/status` });
      await eventually(() => mock.mediaSessions().some((s) => s.state !== "connecting"), "the upgrade answered");
      await client.calls(CALL).streams(stream.sid).update({ status: "stopped" });
      await mock.drainCallbacks();
      return {
        callbacks: mock.callbacks(),
        sessions: mock.mediaSessions(),
        violations: mock.mediaViolations(),
        received: receiver.received,
      };
    } finally {
      await mock.close();
      await receiver.close();
      await media.close();
    }
  }

  it("with the account's token given: the receiver and the server accept both", async () => {
    const { callbacks, sessions, violations } = await run(ACCOUNT_TOKEN);
    expect(callbacks.map((c) => `${c.event} ${c.outcome}`)).toEqual(["stream-started delivered", "stream-stopped delivered"]);
    expect(callbackOutcome(callbacks).status).toBe("passed");
    expect(violations).toEqual([]);
    expect(sessions[0]?.state).toBe("stopped");
    expect(mediaOutcome(sessions).status).toBe("passed");
  });

  it("without it: the refusals are the mock's configuration problem, named, never the receiver's or server's violation", async () => {
    const { callbacks, sessions, violations, received } = await run(undefined);
    expect(received.length).toBe(2); // sent, and refused by the correct receiver
    expect(callbacks.map((c) => `${c.event} ${c.outcome} ${c.status}`)).toEqual([
      "stream-started no-account-token 403",
      "stream-stopped no-account-token 403",
    ]);
    expect(callbacks[0]?.message).toContain(`API key ${API_KEY}`);
    expect(callbacks[0]?.message).toContain("--auth-token or TWILIO_AUTH_TOKEN");
    const callbackCheck = callbackOutcome(callbacks);
    expect(callbackCheck.status).toBe("skipped");
    expect(callbackCheck.message).toContain("--auth-token or TWILIO_AUTH_TOKEN");
    expect(violations).toEqual([]); // no 31920 against a server that is right to refuse
    expect(sessions[0]).toMatchObject({ state: "failed", unverified: true });
    expect(sessions[0]?.reason).toContain("--auth-token or TWILIO_AUTH_TOKEN");
    const mediaCheck = mediaOutcome(sessions);
    expect(mediaCheck.status).toBe("skipped");
    expect(mediaCheck.message).toContain("could not sign as Twilio does");
    expect(JSON.stringify({ callbacks, sessions })).not.toContain(API_SECRET);
  });
});

describe("verify with an API key", () => {
  it.each([
    ["the key alone", undefined],
    ["key and token", "token-0123456789abcdef"],
  ] as const)(
    "passes the reference provider with %s; never prints the secret",
    async (_what, authToken) => {
      const report = await runVerify({
        accountSid: ACCOUNT,
        apiKeySid: API_KEY,
        apiKeySecret: API_SECRET,
        ...(authToken === undefined ? {} : { authToken }),
        runs: 15,
        seed: 7,
      });
      expect(report.outcomes.filter((o) => o.status === "failed").map((o) => `${o.name}: ${o.message}`)).toEqual([]);
      expect(exitCodeOf(report)).toBe(0);
      expect(report.outcomes.find((o) => o.name === "conformance › ignored auth")?.status).toBe("passed");
      expect(JSON.stringify(report)).not.toContain(API_SECRET);
    },
    180_000,
  );

  it("fails a server that does not take the key, without printing the secret", async () => {
    const provider = await startReferenceProvider({ accountSid: ACCOUNT, authToken: "token-0123456789abcdef" });
    try {
      const statesUrl = provider.statesUrl;
      const report = await runVerify({
        baseUrl: provider.baseUrl,
        statesUrl,
        accountSid: ACCOUNT,
        apiKeySid: API_KEY,
        apiKeySecret: API_SECRET,
        runs: 10,
        seed: 7,
        skipPact: true,
        only: "positive",
      });
      expect(exitCodeOf(report)).toBe(1);
      const failure = report.outcomes[0]?.failures[0];
      expect(failure?.curl).toContain(`-u "${API_KEY}:$TWILIO_API_SECRET"`);
      expect(JSON.stringify(report)).not.toContain(API_SECRET);
    } finally {
      await provider.close();
    }
  });

  it("refuses half an API key", async () => {
    await expect(runVerify({ apiKeySid: API_KEY })).rejects.toThrow(/go together/);
    await expect(runVerify({ apiKeySid: "AC0123456789abcdef0123456789abcdef", apiKeySecret: API_SECRET })).rejects.toThrow(/API key SID/);
  });
});
