/**
 * The resource paths are built and read from the same templates: any path parameters (any text,
 * not only SIDs) survive a build and a read, and any other path reads as neither operation.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { createStreamPath, matchStreamRoute, streamPath } from "../../src/contract/paths.js";

const segment = fc.string({ minLength: 1, unit: "grapheme" });

describe("matchStreamRoute", () => {
  test.prop([segment, segment])("reads back what createStreamPath built", (accountSid, callSid) => {
    expect(matchStreamRoute(createStreamPath(accountSid, callSid))).toEqual({
      operation: "CreateStream",
      params: { AccountSid: accountSid, CallSid: callSid },
    });
  });

  test.prop([segment, segment, segment, fc.string()])(
    "reads back what streamPath built, a query ignored",
    (accountSid, callSid, sid, query) => {
      expect(matchStreamRoute(`${streamPath(accountSid, callSid, sid)}?${query}`)).toEqual({
        operation: "UpdateStream",
        params: { AccountSid: accountSid, CallSid: callSid, Sid: sid },
      });
    },
  );

  test.prop([fc.string({ unit: "binary" })])("never throws, whatever the path", (path) => {
    expect(() => matchStreamRoute(path)).not.toThrow();
  });

  test("paths that are neither operation", () => {
    for (const path of [
      "",
      "/",
      "/2010-04-01/Accounts//Calls/CA1/Streams.json",
      "/2010-04-01/Accounts/AC1/Calls/CA1/Streams",
      "/2010-04-01/Accounts/AC1/Calls/CA1/Streams/.json",
      "/2010-04-01/Accounts/AC1/Calls/CA1/Streams/MZ1",
      "/2010-04-01/Accounts/AC1/Calls/CA1/Streams/MZ1.json/x",
      "/2010-04-01/Accounts/AC1/Calls/CA1/Streams.json/",
      "/2010-04-01/Accounts/%E0%A4%A/Calls/CA1/Streams.json",
      "2010-04-01/Accounts/AC1/Calls/CA1/Streams.json",
    ]) {
      expect(matchStreamRoute(path), path).toBeUndefined();
    }
  });
});
