/**
 * `publish`'s gate (src/broker/check-pact.ts) on its own: the committed contract passes, and each
 * way a pact could teach providers something false is refused with a reason that names it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPact } from "../../src/broker/check-pact.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CONTRACT = JSON.parse(
  readFileSync(new URL("../../contracts/twilio-stream-contract-twilio-api.json", import.meta.url), "utf8"),
) as Json;

/** A copy of the contract with `change` applied to the interaction described `description`. */
function withInteraction(description: string, change: (interaction: Json) => void): Json {
  const pact = structuredClone(CONTRACT);
  const interaction = (pact.interactions as Json[]).find((i) => i.description === description);
  if (interaction === undefined) throw new Error(`no interaction "${description}" in contracts/`);
  change(interaction);
  return pact;
}

const CREATE = "a request to create a stream with only a Url";
const STOP = "a request to stop a stream by its SID";
const UNKNOWN_CALL = "a request to create a stream on a call that does not exist";
const BAD_CREDENTIALS = "a request to create a stream with invalid credentials";
const BAD_URL = "a request to create a stream with a Url that is not wss://";

function problemsOf(document: unknown): readonly string[] {
  return checkPact(document).problems;
}

describe("checkPact", () => {
  it("passes the committed contract and reads its names", () => {
    expect(checkPact(CONTRACT)).toEqual({
      pact: { consumer: "twilio-stream-contract", provider: "twilio-api", interactions: CONTRACT.interactions.length },
      problems: [],
    });
  });

  it("refuses what is not a Pact V4 document, without throwing", () => {
    for (const document of [null, 42, "pact", [], {}]) expect(problemsOf(document).length).toBeGreaterThan(0);
    expect(problemsOf({ ...CONTRACT, metadata: { pactSpecification: { version: "3.0.0" } } })).toEqual([
      expect.stringContaining("not a Pact V4 file"),
    ]);
    expect(problemsOf({ ...CONTRACT, interactions: [] })).toEqual(["the pact has no interactions"]);
    expect(problemsOf({ ...CONTRACT, consumer: {} })).toEqual(["consumer.name is missing"]);
    expect(problemsOf({ ...CONTRACT, interactions: [null] })).toEqual(["interaction 1: not an object"]);
  });

  it("refuses a 2xx answer to an invalid request", () => {
    const pact = withInteraction(CREATE, (i) => (i.request.body.content = "Url=ws%3A%2F%2Fexample.com"));
    expect(problemsOf(pact)).toEqual([
      expect.stringMatching(new RegExp(`^interaction \\d+ "${CREATE}": a 2xx answer to an invalid request: request /body/Url`)),
    ]);
  });

  it("refuses a 2xx answer whose Stream breaks the schema or names another call, or has the wrong status", () => {
    const broken = withInteraction(CREATE, (i) => (i.response.body.content.date_updated = "2015-07-30T20:00:00Z"));
    expect(problemsOf(broken)).toEqual([expect.stringContaining("response body /date_updated must be an RFC 2822 date-time")]);
    const otherCall = withInteraction(CREATE, (i) => (i.response.body.content.call_sid = `CA${"f".repeat(32)}`));
    expect(problemsOf(otherCall)).toEqual([expect.stringContaining("is not the path's")]);
    const stillRunning = withInteraction(STOP, (i) => (i.response.body.content.status = "in-progress"));
    expect(problemsOf(stillRunning)).toEqual([expect.stringContaining('UpdateStream answers with "stopped"')]);
  });

  it("refuses a 5xx, a missing status, and a 400 for a valid request", () => {
    expect(problemsOf(withInteraction(CREATE, (i) => (i.response.status = 500)))).toEqual([expect.stringContaining("response status 500")]);
    expect(problemsOf(withInteraction(CREATE, (i) => delete i.response.status))).toEqual([
      expect.stringContaining("response status is missing"),
    ]);
    const valid400 = withInteraction(BAD_URL, (i) => (i.request.body.content = "Url=wss%3A%2F%2Fexample.com%2Fmedia"));
    expect(problemsOf(valid400)).toEqual([expect.stringContaining("a 400 answer to a valid CreateStream request")]);
  });

  it("refuses a literal Authorization header (no regex matcher) and a 2xx without one", () => {
    const literal = withInteraction(CREATE, (i) => delete i.request.matchingRules.header);
    expect(problemsOf(literal)).toEqual([expect.stringContaining("Authorization header is a literal value")]);
    const none = withInteraction(CREATE, (i) => {
      delete i.request.headers.Authorization;
      delete i.request.matchingRules.header;
    });
    expect(problemsOf(none)).toEqual([expect.stringContaining("a 2xx answer to a request without an Authorization header")]);
  });

  it("pins the Twilio codes of 401 and 404, and the error body's status", () => {
    expect(problemsOf(withInteraction(BAD_CREDENTIALS, (i) => (i.response.body.content.code = 20001)))).toEqual([
      expect.stringContaining("a 401 carries Twilio code 20003"),
    ]);
    expect(problemsOf(withInteraction(UNKNOWN_CALL, (i) => (i.response.body.content.code = 20001)))).toEqual([
      expect.stringContaining("a 404 carries Twilio code 20404"),
    ]);
    expect(problemsOf(withInteraction(BAD_URL, (i) => (i.response.body.content.status = 404)))).toEqual([
      expect.stringContaining("response body says status 404, the response is 400"),
    ]);
    expect(problemsOf(withInteraction(BAD_URL, (i) => (i.response.body.content = { message: "no" })))).not.toEqual([]);
  });

  it("refuses a path that is neither operation's, and other interaction types", () => {
    const elsewhere = withInteraction(CREATE, (i) => (i.request.path = "/2010-04-01/Accounts.json"));
    expect(problemsOf(elsewhere)).toEqual(
      expect.arrayContaining([expect.stringContaining("is neither CreateStream's nor UpdateStream's path")]),
    );
    const synchronousMessage = withInteraction(CREATE, (i) => (i.type = "Synchronous/Messages"));
    expect(problemsOf(synchronousMessage)).toEqual([expect.stringContaining('this contract has only "Synchronous/HTTP" interactions')]);
    // An HTTP interaction relabelled as a message is checked as a Media Streams message, and is not one.
    const message = withInteraction(CREATE, (i) => (i.type = "Asynchronous/Messages"));
    expect(problemsOf(message)).toEqual([expect.stringContaining("message /event is missing")]);
  });
});
