/**
 * The worked vectors of ../shared/reference/media-streams.md §B.4 (computed with node:crypto and
 * checked against twilio-node 5.13.1 and 6.3.1), and the rules around them.
 */
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { isValidTwilioSignature, signTwilioRequest, twilioBodyHash, twilioSignatureAlgorithm } from "../../src/index.js";

interface Webhooks {
  validateRequest(token: string, header: string, url: string, params: Record<string, string>): boolean;
  validateRequestWithBody(token: string, header: string, url: string, body: string): boolean;
}
const require = createRequire(import.meta.url);
const v5 = require("twilio/lib/webhooks/webhooks.js") as Webhooks;
const v6 = require("twilio6/lib/webhooks/webhooks.js") as Webhooks;

const TOKEN = "12345";
const URL_ = "https://example.com/stream-status";
const STREAM_SID = `MZ${"c".repeat(32)}`;
const PARAMS = {
  AccountSid: `AC${"a".repeat(32)}`,
  CallSid: `CA${"b".repeat(32)}`,
  StreamSid: STREAM_SID,
  StreamName: STREAM_SID,
  StreamEvent: "stream-started",
  Timestamp: "2026-01-01T00:00:00.000Z",
};

describe("signTwilioRequest: the worked vectors", () => {
  it("form POST of a status callback", () => {
    expect(signTwilioRequest(URL_, PARAMS, TOKEN)).toBe("denhmF+5jhdL+V4epBymCH0tw5I=");
  });

  it("the same, signed with the explicit default port", () => {
    expect(signTwilioRequest("https://example.com:443/stream-status", PARAMS, TOKEN)).toBe("PerW9qgpN/tDrUNyEM7/Ou9PUMs=");
  });

  it("the same as GET: the parameters in the query string, nothing appended", () => {
    const url = `${URL_}?${new URLSearchParams(PARAMS).toString()}`;
    expect(url).toContain("Timestamp=2026-01-01T00%3A00%3A00.000Z");
    expect(signTwilioRequest(url, {}, TOKEN)).toBe("5Y8joqYe0AIJ4GTcviVueCcaAOg=");
    expect(signTwilioRequest(url, undefined, TOKEN)).toBe("5Y8joqYe0AIJ4GTcviVueCcaAOg=");
  });

  it("WebSocket upgrade: the wss URL, no parameters; a trailing slash is another URL", () => {
    expect(signTwilioRequest("wss://example.com/media", undefined, TOKEN)).toBe("7PR3qMkpDyEJtMrVOY/LDyNq8J8=");
    expect(signTwilioRequest("wss://example.com/media/", undefined, TOKEN)).toBe("T+WBXwUXC0/CyoZ1DA+p9ilZORs=");
  });

  it("Twilio's security page walkthrough", () => {
    const params = { Digits: "1234", To: "+18005551212", From: "+14158675310", Caller: "+14158675310", CallSid: "CA1234567890ABCDE" };
    expect(signTwilioRequest("https://example.com/myapp.php?foo=1&bar=2", params, TOKEN)).toBe("L/OH5YylLD5NRKLltdqwSvS0BnU=");
  });

  it("twilio-node's spec/validation.spec.js vector", () => {
    const params = { Digits: "1234", To: "+18005551212", From: "+14158675309", Caller: "+14158675309", CallSid: "CA1234567890ABCDE" };
    expect(signTwilioRequest("https://mycompany.com/myapp.php?foo=1&bar=2", params, TOKEN)).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  });

  it("the JSON sample body's bodySHA256", () => {
    expect(twilioBodyHash('{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}')).toBe(
      "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9",
    );
  });

  it("a repeated field signs each distinct value once, values sorted", () => {
    const expected = createHmac("sha1", TOKEN).update(`${URL_}Ab1Ab2Z0`).digest("base64");
    expect(signTwilioRequest(URL_, { Z: "0", A: ["b2", "b1", "b2"] }, TOKEN)).toBe(expected);
  });

  it("HMAC_SHA256 changes only the hash", () => {
    const data = `${URL_}StreamEventstream-started`;
    expect(signTwilioRequest(URL_, { StreamEvent: "stream-started" }, "secret", "HMAC_SHA256")).toBe(
      createHmac("sha256", "secret").update(data).digest("base64"),
    );
  });
});

describe("isValidTwilioSignature", () => {
  const check = (over: Partial<Parameters<typeof isValidTwilioSignature>[0]>) =>
    isValidTwilioSignature({ url: URL_, params: PARAMS, authToken: TOKEN, signature: "denhmF+5jhdL+V4epBymCH0tw5I=", ...over });

  it("accepts the vector, refuses a changed parameter, token or signature", () => {
    expect(check({})).toBe(true);
    expect(check({ params: { ...PARAMS, StreamEvent: "stream-stopped" } })).toBe(false);
    expect(check({ authToken: "54321" })).toBe(false);
    expect(check({ signature: "denhmF+5jhdL+V4epBymCH0tw5I" })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ signature: "" })).toBe(false);
  });

  it("port rules: a signature over either form validates against both", () => {
    expect(check({ url: "https://example.com:443/stream-status" })).toBe(true);
    expect(check({ signature: "PerW9qgpN/tDrUNyEM7/Ou9PUMs=" })).toBe(true);
    // Any port is dropped (Twilio drops it for HTTPS voice callbacks), but one port is not another.
    expect(check({ url: "https://example.com:8443/stream-status" })).toBe(true);
    const at8443 = signTwilioRequest("https://example.com:8443/stream-status", PARAMS, TOKEN);
    expect(check({ url: "https://example.com:9443/stream-status", signature: at8443 })).toBe(false);
    expect(check({ signature: at8443 })).toBe(false);
  });

  it("a wss URL's default port is 443", () => {
    const signature = signTwilioRequest("wss://example.com:443/media", undefined, TOKEN);
    expect(isValidTwilioSignature({ url: "wss://example.com/media", authToken: TOKEN, signature })).toBe(true);
    expect(isValidTwilioSignature({ url: "wss://example.com/media", authToken: TOKEN, signature: "7PR3qMkpDyEJtMrVOY/LDyNq8J8=" })).toBe(
      true,
    );
    expect(isValidTwilioSignature({ url: "wss://example.com/media/", authToken: TOKEN, signature: "7PR3qMkpDyEJtMrVOY/LDyNq8J8=" })).toBe(
      false,
    );
  });

  it("GET: the query string is what is signed", () => {
    const url = `${URL_}?${new URLSearchParams(PARAMS).toString()}`;
    expect(isValidTwilioSignature({ url, authToken: TOKEN, signature: "5Y8joqYe0AIJ4GTcviVueCcaAOg=" })).toBe(true);
    expect(
      isValidTwilioSignature({
        url: url.replace("stream-started", "stream-stopped"),
        authToken: TOKEN,
        signature: "5Y8joqYe0AIJ4GTcviVueCcaAOg=",
      }),
    ).toBe(false);
  });

  it("bodySHA256: the URL is signed and the body must hash to the parameter", () => {
    const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
    const url = `https://example.com/myapp?bodySHA256=${twilioBodyHash(body)}`;
    const signature = signTwilioRequest(url, {}, TOKEN);
    expect(isValidTwilioSignature({ url, authToken: TOKEN, signature, body })).toBe(true);
    expect(isValidTwilioSignature({ url, authToken: TOKEN, signature, body: Buffer.from(body) })).toBe(true);
    expect(isValidTwilioSignature({ url, authToken: TOKEN, signature, body: `${body} ` })).toBe(false);
    expect(isValidTwilioSignature({ url, authToken: TOKEN, signature })).toBe(false);
  });

  it("the settings header chooses HMAC_SHA256; an unknown algorithm is never valid", () => {
    const signature = signTwilioRequest(URL_, PARAMS, "shared", "HMAC_SHA256");
    const settings = "key=webhooks_sharedkey_1, algorithm=HMAC_SHA256";
    expect(isValidTwilioSignature({ url: URL_, params: PARAMS, authToken: "shared", signature, signatureSettings: settings })).toBe(true);
    expect(isValidTwilioSignature({ url: URL_, params: PARAMS, authToken: "shared", signature })).toBe(false);
    expect(
      isValidTwilioSignature({ url: URL_, params: PARAMS, authToken: "shared", signature, signatureSettings: "algorithm=HMAC_MD5" }),
    ).toBe(false);
    expect(twilioSignatureAlgorithm(undefined)).toBe("HMAC_SHA1");
    expect(twilioSignatureAlgorithm("key=x")).toBe("HMAC_SHA1");
    expect(twilioSignatureAlgorithm("algorithm=hmac_sha256")).toBe("HMAC_SHA256");
    expect(twilioSignatureAlgorithm("algorithm=SHA3")).toBeUndefined();
  });

  it("hostile input gets a verdict, never a throw", () => {
    for (const url of ["", "not a url", "http://[", "https://ex ample.com/", "://x", "h\u0000ttp://x/"]) {
      expect(isValidTwilioSignature({ url, authToken: TOKEN, signature: "x" })).toBe(false);
    }
    const hostile = { url: URL_, authToken: TOKEN, signature: "x", params: { a: 1, b: [2, {}], c: null } } as unknown as Parameters<
      typeof isValidTwilioSignature
    >[0];
    expect(isValidTwilioSignature(hostile)).toBe(false);
    expect(isValidTwilioSignature({ url: URL_, authToken: "", signature: "x" })).toBe(false);
  });
});

describe("a signed JSON request rewritten to carry a forged body (issue 16)", () => {
  const body = '{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}';
  const forged = '{"CallSid":"CA1234567890ABCDE","Caller":"+19999999999"}';
  const hash = twilioBodyHash(body);

  it("…?body%53HA256=H: the query is read decoded, so the body hash is still checked", () => {
    const signed = `https://example.com/myapp?bodySHA256=${hash}`;
    const signature = signTwilioRequest(signed, {}, TOKEN);
    const rewritten = `https://example.com/myapp?body%53HA256=${hash}`;
    // The legacy query form decodes %53 back: the signature covers the rewritten URL too.
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, body })).toBe(true);
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, body: forged })).toBe(false);
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature })).toBe(false);
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, params: {} })).toBe(false);
    for (const twilio of [v5, v6]) {
      expect(twilio.validateRequestWithBody(TOKEN, signature, rewritten, body)).toBe(true);
      expect(twilio.validateRequestWithBody(TOKEN, signature, rewritten, forged)).toBe(false);
    }
  });

  it("the rest of the query moved into a fragment: refused (twilio-node's validateRequest accepts it)", () => {
    // Signed: ?x=%23&bodySHA256=H. Sent: ?x=#&bodySHA256=H — node:http hands the `#` on — whose query is x= alone.
    const signature = signTwilioRequest(`https://example.com/myapp?x=%23&bodySHA256=${hash}`, {}, TOKEN);
    const rewritten = `https://example.com/myapp?x=#&bodySHA256=${hash}`;
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, body: forged })).toBe(false);
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, params: {} })).toBe(false);
    expect(v6.validateRequest(TOKEN, signature, rewritten, {})).toBe(true);
    // A GET signed over ?x=%23&StreamEvent=stream-started, sent as ?x=#&StreamEvent=…: its query is x= alone.
    const get = "https://example.com/status?x=%23&StreamEvent=stream-started";
    const getSignature = signTwilioRequest(get, {}, TOKEN);
    expect(isValidTwilioSignature({ url: get.replace("%23", "#"), authToken: TOKEN, signature: getSignature })).toBe(false);
    expect(v6.validateRequest(TOKEN, getSignature, get.replace("%23", "#"), {})).toBe(true);
  });

  it("a thousand empty parameters, then bodySHA256 of the forged body: refused (twilio-node 5 and 6 accept it)", () => {
    // Signed: a GET status callback's query. Its legacy form kept only the first 1,000 parameters.
    const signed = "https://example.com/status?StreamEvent=stream-started";
    const signature = signTwilioRequest(signed, {}, TOKEN);
    const rewritten = `${signed}${"&".repeat(1000)}&bodySHA256=${twilioBodyHash(forged)}`;
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, body: forged })).toBe(false);
    expect(isValidTwilioSignature({ url: `${signed}${"&".repeat(1000)}&StreamEvent=x`, authToken: TOKEN, signature })).toBe(false);
    for (const twilio of [v5, v6]) expect(twilio.validateRequestWithBody(TOKEN, signature, rewritten, forged)).toBe(true);
    // Empty parameters Twilio never sends are still dropped by the legacy form, as before.
    expect(isValidTwilioSignature({ url: `${signed}&&`, authToken: TOKEN, signature })).toBe(true);
  });

  it("a port that does not parse: the URL without it is a JSON request's, so the body is checked", () => {
    const signature = signTwilioRequest(`https://example.com/myapp?bodySHA256=${hash}`, {}, TOKEN);
    const rewritten = `https://example.com:junk/myapp?bodySHA256=${hash}`;
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, body })).toBe(true);
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature, body: forged })).toBe(false);
    expect(isValidTwilioSignature({ url: rewritten, authToken: TOKEN, signature })).toBe(false);
  });
});
