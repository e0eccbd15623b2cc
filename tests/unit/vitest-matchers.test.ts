/**
 * twilio-stream-contract/vitest: the matchers pass and fail as the validators do, and a failure
 * says why (every ContractIssue), with and without `.not`.
 */
import { describe, expect, it } from "vitest";
import "../../src/vitest/setup.js";
import stream from "../../schemas/stream.schema.json" with { type: "json" };

const STREAM = stream.examples[0] as (typeof stream.examples)[0];
const PATH = { AccountSid: "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", CallSid: "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

/** The message of the assertion error `run` throws. */
function failureOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the matcher passed");
}

describe("toBeValidStream", () => {
  it("passes a valid Stream", () => {
    expect(STREAM).toBeValidStream();
  });

  it("fails an invalid one, listing every issue", () => {
    const broken = { ...STREAM, sid: "XX1", date_updated: "2015-07-30T20:00:00Z", status: "done" };
    const message = failureOf(() => expect(broken).toBeValidStream());
    expect(message).toMatch(/^expected a valid Stream, but it breaks the contract \(3 issues\):\n/);
    expect(message).toContain("  - [pattern] /sid must be a Stream SID matching ^MZ[0-9a-fA-F]{32}$");
    expect(message).toContain('  - [enum] /status must be one of "in-progress", "stopped"');
    expect(message).toContain("  - [format] /date_updated must be an RFC 2822 date-time");
  });

  it("supports .not", () => {
    expect({}).not.toBeValidStream();
    expect(() => expect(STREAM).not.toBeValidStream()).toThrowError(/not to be a valid Stream, but it is one/);
  });
});

describe("toBeValidCreateStreamRequest", () => {
  it("passes a form body, with and without its path", () => {
    expect("Url=wss%3A%2F%2Fexample.com%2Fmedia&Track=both_tracks").toBeValidCreateStreamRequest();
    expect(new URLSearchParams({ Url: "wss://example.com/media" })).toBeValidCreateStreamRequest(PATH);
    expect({ Url: "wss://example.com/media", "Parameter1.Name": "a", "Parameter1.Value": "b" }).toBeValidCreateStreamRequest(PATH);
  });

  it("fails with the issues of body and path", () => {
    expect(() => expect("Url=ws%3A%2F%2Fexample.com&track=both").toBeValidCreateStreamRequest({ ...PATH, CallSid: "CA1" })).toThrowError(
      /breaks the contract \(3 issues\)[\s\S]*\/body\/Url[\s\S]*/,
    );
    expect(() => expect(42).toBeValidCreateStreamRequest()).toThrowError("expected 42 to be a CreateStream form body");
    expect("Track=inbound_track").not.toBeValidCreateStreamRequest();
  });
});

describe("toBeStreamSid", () => {
  it("passes MZ SIDs only, and says what a Stream SID is", () => {
    expect("MZ0123456789abcdef0123456789ABCDEF").toBeStreamSid();
    expect("CA0123456789abcdef0123456789ABCDEF").not.toBeStreamSid();
    expect(() => expect("MZ123").toBeStreamSid()).toThrowError('expected "MZ123" to be a Stream SID (^MZ[0-9a-fA-F]{32}$)');
    expect(() => expect(STREAM.sid).not.toBeStreamSid()).toThrowError(`expected "${STREAM.sid}" not to be a Stream SID`);
  });

  it("works as an asymmetric matcher", () => {
    expect(STREAM).toEqual(expect.objectContaining({ sid: expect.toBeStreamSid() }));
  });
});

describe("toBeRfc2822DateTime", () => {
  it("passes RFC 2822 date-times, the obsolete syntax only when asked", () => {
    expect("Thu, 30 Jul 2015 20:00:00 +0000").toBeRfc2822DateTime();
    expect("Thu, 30 Jul 15 20:00:00 GMT").not.toBeRfc2822DateTime();
    expect("Thu, 30 Jul 15 20:00:00 GMT").toBeRfc2822DateTime({ obsolete: true });
    expect(() => expect("2015-07-30T20:00:00Z").toBeRfc2822DateTime()).toThrowError(
      'expected "2015-07-30T20:00:00Z" to be an RFC 2822 date-time such as Thu, 30 Jul 2015 20:00:00 +0000',
    );
  });
});
