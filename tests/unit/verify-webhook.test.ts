/**
 * verifyTwilioWebhook rebuilds the URL Twilio signed from node:http, Express- and Fastify-shaped
 * requests: scheme (socket, trusted proxy), host, port, the raw target with its trailing slash.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { signTwilioRequest, twilioBodyHash, type TwilioWebhookVerdict, verifyTwilioWebhook } from "../../src/index.js";

const TOKEN = "webhook-token-9012";
const PARAMS = { StreamEvent: "stream-started", StreamSid: `MZ${"c".repeat(32)}`, Note: "é ü €" };

/** One request through a real node:http server whose handler runs verifyTwilioWebhook. */
async function throughNodeHttp(
  path: string,
  headers: Record<string, string>,
  body: string,
  options: Omit<Parameters<typeof verifyTwilioWebhook>[1], "authToken"> = {},
): Promise<TwilioWebhookVerdict> {
  let verdict: TwilioWebhookVerdict | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (text += chunk));
    req.on("end", () => {
      verdict = verifyTwilioWebhook(
        { method: req.method, url: req.url, headers: req.headers, body: text, socket: req.socket },
        { authToken: TOKEN, ...options },
      );
      res.writeHead(verdict.valid ? 204 : 403).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await fetch(`http://127.0.0.1:${port}${path}`, {
    method: body === "" ? "GET" : "POST",
    headers: { ...headers, ...(body === "" ? {} : { "Content-Type": "application/x-www-form-urlencoded" }) },
    body: body === "" ? undefined : body,
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return verdict!;
}

describe("verifyTwilioWebhook through node:http", () => {
  it("a POST signed for the URL the server is reached at", async () => {
    const body = new URLSearchParams(PARAMS).toString();
    // The port is only known once listening: sign for the host header fetch will send.
    let verdict = await throughNodeHttp("/status?x=1", { "X-Twilio-Signature": "placeholder" }, body);
    const signature = signTwilioRequest(verdict.url, PARAMS, TOKEN);
    expect(verdict).toMatchObject({ valid: false, reason: "bad-signature" });
    verdict = await throughNodeHttp("/status?x=1", { "X-Twilio-Signature": signature }, body, { host: new URL(verdict.url).host });
    expect(verdict.valid).toBe(true);
    expect(await throughNodeHttp("/status?x=1", {}, body)).toMatchObject({ valid: false, reason: "no-signature" });
  });

  it("behind a TLS-terminating proxy: X-Forwarded-Proto/Host count only when trusted", async () => {
    const signature = signTwilioRequest("https://public.example.com/status", undefined, TOKEN);
    const headers = { "X-Twilio-Signature": signature, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "public.example.com" };
    expect(await throughNodeHttp("/status", headers, "", { trustProxy: true })).toEqual({
      valid: true,
      url: "https://public.example.com/status",
    });
    expect((await throughNodeHttp("/status", headers, "")).valid).toBe(false);
    // A port Twilio put in or left out does not matter (https://public.example.com:443/…).
    expect(
      (await throughNodeHttp("/status", { ...headers, "X-Forwarded-Host": "public.example.com:443" }, "", { trustProxy: true })).valid,
    ).toBe(true);
    // The trailing slash is part of the URL.
    expect((await throughNodeHttp("/status/", headers, "", { trustProxy: true })).valid).toBe(false);
  });

  it("a signed JSON request rewritten as …?body%53HA256=H with a forged body is refused (issue 16)", async () => {
    const raw = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
    const forged = '{"CallSid":"CA1234567890ABCDE","Caller":"+19999999999"}';
    const hash = twilioBodyHash(raw);
    const signature = signTwilioRequest(`https://example.com/hooks/json?bodySHA256=${hash}`, undefined, TOKEN);
    const options = { host: "example.com", protocol: "https" } as const;
    const headers = { "X-Twilio-Signature": signature };
    expect((await throughNodeHttp(`/hooks/json?bodySHA256=${hash}`, headers, raw, options)).valid).toBe(true);
    expect((await throughNodeHttp(`/hooks/json?body%53HA256=${hash}`, headers, raw, options)).valid).toBe(true);
    expect(await throughNodeHttp(`/hooks/json?body%53HA256=${hash}`, headers, forged, options)).toMatchObject({
      valid: false,
      reason: "bad-signature",
    });
    expect((await throughNodeHttp(`/hooks/json?bodySHA256=${hash}`, headers, forged, options)).valid).toBe(false);
    // A Host whose port does not parse: the URL without it is still a JSON request's.
    const junkHost = { ...headers, Host: "example.com:junk" };
    expect((await throughNodeHttp(`/hooks/json?bodySHA256=${hash}`, junkHost, forged, { protocol: "https" })).valid).toBe(false);
  });
});

describe("verifyTwilioWebhook on framework-shaped requests", () => {
  const url = "https://example.com/hooks/status";
  const signature = signTwilioRequest(url, PARAMS, TOKEN);

  it("Express: originalUrl (before a router stripped /hooks), parsed body, protocol option", () => {
    const req = {
      method: "POST",
      originalUrl: "/hooks/status",
      url: "/status",
      headers: { host: "example.com", "x-twilio-signature": signature },
      body: { ...PARAMS },
    };
    expect(verifyTwilioWebhook(req, { authToken: TOKEN, protocol: "https" }).valid).toBe(true);
    expect(verifyTwilioWebhook({ ...req, originalUrl: undefined }, { authToken: TOKEN, protocol: "https" }).valid).toBe(false);
    expect(verifyTwilioWebhook(req, { authToken: TOKEN, url }).valid).toBe(true);
    expect(verifyTwilioWebhook(req, { authToken: "other", url })).toMatchObject({ valid: false, reason: "bad-signature" });
    expect(verifyTwilioWebhook(req, { authToken: "", url })).toMatchObject({ valid: false, reason: "no-token" });
  });

  it("Fastify: the raw request's url and a parsed body with a repeated field", () => {
    const params = { ...PARAMS, Tag: ["b", "a"] };
    const req = {
      method: "POST",
      url: "/hooks/status",
      headers: { host: "example.com", "x-twilio-signature": signTwilioRequest(url, params, TOKEN) },
      body: params,
      socket: { encrypted: true },
    };
    expect(verifyTwilioWebhook(req, { authToken: TOKEN }).valid).toBe(true);
  });

  it("the WebSocket upgrade: wss:// on a TLS socket, no parameters", () => {
    const req = {
      method: "GET",
      url: "/media",
      headers: { host: "example.com", upgrade: "websocket", "x-twilio-signature": "7PR3qMkpDyEJtMrVOY/LDyNq8J8=" },
      socket: { encrypted: true },
    };
    expect(verifyTwilioWebhook(req, { authToken: "12345" })).toEqual({ valid: true, url: "wss://example.com/media" });
  });

  it("a JSON body: bodySHA256 in the URL, the raw body hashed", () => {
    const raw = '{"CallSid":"CA1234567890ABCDE"}';
    const target = `/hooks/json?bodySHA256=${twilioBodyHash(raw)}`;
    const req = {
      method: "POST",
      url: target,
      headers: { host: "example.com", "x-twilio-signature": signTwilioRequest(`https://example.com${target}`, undefined, TOKEN) },
      body: JSON.parse(raw) as unknown,
      rawBody: raw,
    };
    expect(verifyTwilioWebhook(req, { authToken: TOKEN, protocol: "https" }).valid).toBe(true);
    expect(verifyTwilioWebhook({ ...req, rawBody: `${raw} ` }, { authToken: TOKEN, protocol: "https" }).valid).toBe(false);
    // A JSON receiver that hands over only the target, the headers and the raw body.
    const rewritten = { url: target.replace("bodySHA256", "body%53HA256"), headers: req.headers };
    expect(verifyTwilioWebhook({ ...rewritten, rawBody: raw }, { authToken: TOKEN, protocol: "https" }).valid).toBe(true);
    expect(verifyTwilioWebhook({ ...rewritten, rawBody: '{"CallSid":"forged"}' }, { authToken: TOKEN, protocol: "https" })).toMatchObject({
      valid: false,
      reason: "bad-signature",
    });
  });

  it("HMAC_SHA256 via the settings header; an unknown algorithm is refused; no host is no URL", () => {
    const sha256 = signTwilioRequest(url, PARAMS, "shared", "HMAC_SHA256");
    const req = {
      method: "POST",
      url: "/hooks/status",
      headers: { host: "example.com", "x-twilio-signature": sha256, "x-twilio-webhooks-signature-settings": "key=k,algorithm=HMAC_SHA256" },
      body: PARAMS,
    };
    expect(verifyTwilioWebhook(req, { authToken: "shared", protocol: "https" }).valid).toBe(true);
    expect(
      verifyTwilioWebhook(
        { ...req, headers: { ...req.headers, "x-twilio-webhooks-signature-settings": "algorithm=MD5" } },
        { authToken: "shared" },
      ),
    ).toMatchObject({ reason: "unknown-algorithm" });
    expect(verifyTwilioWebhook({ headers: {} }, { authToken: TOKEN })).toMatchObject({ valid: false, reason: "no-url" });
  });
});
