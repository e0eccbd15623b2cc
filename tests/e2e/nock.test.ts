/**
 * The nock transport on its own: hostile requests are violations, never a crash; only Streams
 * paths are intercepted; nock stays out of every entry but twilio-stream-contract/nock.
 */
import { readFileSync } from "node:fs";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createStreamPath } from "../../src/contract/paths.js";
import { isStream, isTwilioError } from "../../src/index.js";
import { interceptStreams, type StreamInterceptors } from "../../src/nock/index.js";
import { built } from "../support/cli.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const URL_CREATE = `https://api.twilio.com${createStreamPath(ACCOUNT, CALL)}`;
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:token-0001`).toString("base64")}`;

let streams: StreamInterceptors;
beforeAll(() => {
  nock.disableNetConnect();
  streams = interceptStreams({ seed: 2 });
});
afterEach(() => streams.reset());
afterAll(() => {
  streams.remove();
  nock.enableNetConnect();
});

async function post(url: string, body: string | Uint8Array, contentType: string) {
  const response = await fetch(url, { method: "POST", headers: { authorization: AUTH, "content-type": contentType }, body });
  return { status: response.status, json: (await response.json()) as unknown };
}

describe("nock interceptors", () => {
  it("answers a valid create with a contract-valid Stream", async () => {
    const answer = await post(URL_CREATE, "Url=wss%3A%2F%2Fexample.com", "application/x-www-form-urlencoded");
    expect(answer.status).toBe(200);
    expect(isStream(answer.json)).toBe(true);
  });

  it("records a JSON Content-Type whose body is not JSON, without crashing", async () => {
    const answer = await post(URL_CREATE, "Url=wss%3A%2F%2Fexample.com", "application/json");
    expect(answer.status).toBe(400);
    expect(isTwilioError(answer.json)).toBe(true);
    expect(streams.violations().map((v) => v.kind)).toEqual(["content-type"]);
  });

  it("records binary and badly escaped bodies as violations", async () => {
    expect((await post(URL_CREATE, new Uint8Array([0xff, 0xfe, 0, 0x41]), "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await post(URL_CREATE, "Url=%E2%82", "application/x-www-form-urlencoded")).status).toBe(400);
    expect(streams.violations().map((v) => v.kind)).toEqual(["body", "encoding"]);
  });

  it("records a wrong Streams path and a wrong method", async () => {
    expect(
      (await post(URL_CREATE.replace("Streams.json", "Streams"), "Url=wss%3A%2F%2Fx", "application/x-www-form-urlencoded")).status,
    ).toBe(404);
    const get = await fetch(URL_CREATE, { headers: { authorization: AUTH } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(streams.violations().map((v) => v.kind)).toEqual(["route", "method"]);
  });

  it("leaves other Twilio APIs alone", async () => {
    const other = fetch(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Calls.json`, {
      method: "POST",
      headers: { authorization: AUTH },
    });
    // nock's own "no match": nock 14 fails the request, nock 15 answers 501 ERR_NOCK_NO_MATCH.
    const outcome = await other.then(
      async (response) => `${response.status} ${((await response.json()) as { code?: string }).code}`,
      () => "failed",
    );
    expect(["failed", "501 ERR_NOCK_NO_MATCH"]).toContain(outcome);
    expect(streams.requests()).toEqual([]);
  });
});

describe("package entries", () => {
  it("load nock only from twilio-stream-contract/nock", () => {
    for (const entry of ["dist/index.js", "dist/index.cjs", "dist/mock/index.js", "dist/mock/index.cjs"]) {
      expect(readFileSync(built(entry), "utf8"), entry).not.toMatch(/\bnock["']/);
    }
    expect(readFileSync("dist/nock/index.js", "utf8")).toContain('from "nock"');
  });
});
