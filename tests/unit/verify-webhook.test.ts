/**
 * verifyTwilioWebhook rebuilds the URL Twilio signed from node:http, Express- and Fastify-shaped
 * requests: scheme (socket, trusted proxy), host, port, the raw target with its trailing slash.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { checkMediaServerCommand } from "../../src/cli/check-media-server.js";
import { signTwilioRequest, twilioBodyHash, twilioRequestUrl, type TwilioWebhookVerdict, verifyTwilioWebhook } from "../../src/index.js";
import { revoked, throwingGetter, throwingProxy } from "../support/hostile-values.js";
import { runCommand } from "../support/run-command.js";

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
    const fields = new URLSearchParams(PARAMS);
    for (const tag of params.Tag) fields.append("Tag", tag);
    expect(verifyTwilioWebhook({ ...req, body: fields }, { authToken: TOKEN }).valid).toBe(true);
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

describe("verifyTwilioWebhook gives a verdict for hostile requests and options, never a throw (issue 16)", () => {
  const url = "https://example.com/hooks/status";
  const signature = signTwilioRequest(url, PARAMS, TOKEN);
  const request = (over: Record<string, unknown> = {}) => ({
    method: "POST",
    originalUrl: "/hooks/status",
    headers: { host: "example.com", "x-twilio-signature": signature },
    body: { ...PARAMS },
    socket: { encrypted: true },
    ...over,
  });
  const jsonRaw = '{"CallSid":"CA1234567890ABCDE"}';
  const jsonTarget = `/hooks/json?bodySHA256=${twilioBodyHash(jsonRaw)}`;
  const jsonHeaders = {
    host: "example.com",
    "x-twilio-signature": signTwilioRequest(`https://example.com${jsonTarget}`, undefined, TOKEN),
  };
  const options = { authToken: TOKEN };
  const cases: [string, () => [unknown, unknown], TwilioWebhookVerdict["valid"] | string][] = [
    // Express 4's urlencoded({ extended: true }) (qs) reads a[toString]=x so: String() of it throws.
    [
      "a body field { toString: 'x' } (Express extended: true)",
      () => [request({ body: { ...PARAMS, a: { toString: "x" } } }), options],
      "bad-signature",
    ],
    [
      "a body field without a prototype",
      () => [request({ body: { ...PARAMS, a: Object.create(null) as object } }), options],
      "bad-signature",
    ],
    [
      "a body without a prototype (querystring.parse), signed",
      () => [request({ body: Object.assign(Object.create(null) as object, PARAMS) }), options],
      true,
    ],
    ["a body Proxy whose ownKeys trap throws", () => [request({ body: throwingProxy({ ...PARAMS }, ["ownKeys"]) }), options], "unreadable"],
    ["a body Proxy whose get trap throws", () => [request({ body: throwingProxy({ ...PARAMS }, ["get"]) }), options], "unreadable"],
    ["a body field that is a revoked Proxy", () => [request({ body: { ...PARAMS, a: revoked() } }), options], "bad-signature"],
    ["a revoked Proxy as the request", () => [revoked(), options], "unreadable"],
    ["a request whose headers getter throws", () => [throwingGetter(request(), "headers"), options], "unreadable"],
    [
      "headers: a Proxy whose every trap throws",
      () => [request({ headers: throwingProxy({}, ["ownKeys", "get", "getOwnPropertyDescriptor"]) }), options],
      "unreadable",
    ],
    ["a socket whose encrypted getter throws", () => [request({ socket: throwingGetter({}, "encrypted") }), options], "unreadable"],
    ["a method that is not a string (with form fields)", () => [request({ method: 42 }), options], "bad-signature"],
    [
      "a method Proxy whose every trap throws",
      () => [request({ method: throwingProxy({}, ["get", "getPrototypeOf"]) }), options],
      "bad-signature",
    ],
    [
      "a settings header that is not a string",
      () => [request({ headers: { ...request().headers, "x-twilio-webhooks-signature-settings": 42 } }), options],
      true,
    ],
    [
      "a settings header array holding a revoked Proxy",
      () => [request({ headers: { ...request().headers, "x-twilio-webhooks-signature-settings": [revoked()] } }), options],
      "unreadable",
    ],
    [
      "a signature header repeated",
      () => [request({ headers: { ...request().headers, "x-twilio-signature": [signature, signature] } }), options],
      "bad-signature",
    ],
    ["a null request", () => [null, options], "no-url"],
    ["null options", () => [request(), null], "no-token"],
    ["options whose authToken getter throws", () => [request(), throwingGetter({}, "authToken")], "unreadable"],
    ["options as a revoked Proxy", () => [request(), revoked()], "unreadable"],
    ["a target that is not a string", () => [request({ originalUrl: 42, url: {} }), options], "no-url"],
    ["options.url that is not a string", () => [request(), { ...options, url: 42 }], "no-url"],
    [
      "bodySHA256 with a parsed JSON body and no raw body",
      () => [request({ originalUrl: jsonTarget, headers: jsonHeaders, body: JSON.parse(jsonRaw) as unknown }), options],
      "bad-signature",
    ],
    [
      "bodySHA256 with a raw body that is a number",
      () => [request({ originalUrl: jsonTarget, headers: jsonHeaders, body: {}, rawBody: 42 }), options],
      "bad-signature",
    ],
    [
      "bodySHA256 with a raw body that is a revoked Proxy",
      () => [request({ originalUrl: jsonTarget, headers: jsonHeaders, body: {}, rawBody: revoked() }), options],
      "unreadable",
    ],
    [
      "bodySHA256 with a parsed JSON body of any shape and its raw body",
      () => [request({ originalUrl: jsonTarget, headers: jsonHeaders, body: { a: [1, { b: null }] }, rawBody: jsonRaw }), options],
      true,
    ],
    ["a GET carrying form fields", () => [request({ method: "GET" }), options], "bad-signature"],
  ];
  for (const [name, make, expected] of cases) {
    it(name, () => {
      const [req, opts] = make();
      let verdict: TwilioWebhookVerdict | undefined;
      expect(() => (verdict = verifyTwilioWebhook(req as never, opts as never))).not.toThrow();
      if (expected === true) expect(verdict).toMatchObject({ valid: true });
      else expect(verdict).toMatchObject({ valid: false, reason: expected });
      expect(() => twilioRequestUrl(req as never, opts as never)).not.toThrow();
    });
  }

  it("the request these start from is valid", () => {
    expect(verifyTwilioWebhook(request(), options)).toEqual({ valid: true, url });
    expect(verifyTwilioWebhook(request({ originalUrl: jsonTarget, headers: jsonHeaders, body: {}, rawBody: jsonRaw }), options).valid).toBe(
      true,
    );
  });
});

/**
 * A media server on plain ws:// (a local test, or behind TLS termination) that checks each
 * upgrade with verifyTwilioWebhook(req, options) and answers 403 to a refused one.
 */
async function mediaServer(options: Omit<Parameters<typeof verifyTwilioWebhook>[1], "authToken">) {
  const verdicts: TwilioWebhookVerdict[] = [];
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const verdict = verifyTwilioWebhook(req, { authToken: TOKEN, ...options });
    verdicts.push(verdict);
    if (!verdict.valid) socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else sockets.handleUpgrade(req, socket, head, () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    verdicts,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("a WebSocket upgrade: checked as wss://, the only scheme Twilio dials (issue 17)", () => {
  const check = (args: string[]) =>
    runCommand(checkMediaServerCommand, ["--runs", "3", "--only", "upgrade", "--expect-signature-check", ...args], {
      TWILIO_AUTH_TOKEN: TOKEN,
    });

  it("a ws:// server with no option accepts check-media-server's upgrade, signed over the wss:// URL, and refuses wrong signatures", async () => {
    const server = await mediaServer({});
    try {
      const result = await check(["--url", `${server.origin}/media`]);
      expect(result.stdout).toMatch(/ok {3}media › upgrade: accepts Twilio's signed upgrade/);
      expect(result.stdout).toMatch(/ok {3}media › upgrade: refuses a wrong signature/);
      expect(result.code).toBe(0);
      const wss = server.origin.replace("ws://", "wss://");
      expect(server.verdicts.filter((v) => v.valid).map((v) => v.url)).toContain(`${wss}/media`);
      expect(server.verdicts.every((v) => v.url === `${wss}/media`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("behind TLS termination with another public host: { url } names the public URL, as --signed-url does", async () => {
    const publicUrl = "wss://media.example.com/stream";
    const server = await mediaServer({ url: publicUrl });
    const unset = await mediaServer({});
    try {
      const result = await check(["--url", `${server.origin}/stream`, "--signed-url", publicUrl]);
      expect(result.stdout).toMatch(/ok {3}media › upgrade: accepts Twilio's signed upgrade/);
      expect(result.code).toBe(0);
      // Without it, the server checks the URL it sees (its own host), which Twilio did not sign.
      const refused = await check(["--url", `${unset.origin}/stream`, "--signed-url", publicUrl]);
      expect(refused.stdout).toMatch(/FAIL media › upgrade: accepts Twilio's signed upgrade/);
      expect(refused.code).toBe(1);
    } finally {
      await server.close();
      await unset.close();
    }
  });
});
