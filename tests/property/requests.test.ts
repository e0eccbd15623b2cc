/**
 * Request bodies: a valid body reads the same whether given as the raw form string, a
 * URLSearchParams or a plain object, and round-trips through form encoding; the options of the
 * request and Stream generators (fixed SIDs, names, statuses) are honoured.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { createStreamRequest, formEncode, sid, stream, streamName, updateStreamRequest } from "../../src/arbitraries/index.js";
import { matchStreamRoute, streamPath } from "../../src/contract/paths.js";
import { isStreamSid, validateCreateStreamRequest, validateStream, validateUpdateStreamRequest } from "../../src/index.js";

describe("CreateStream bodies", () => {
  test.prop([createStreamRequest({ maxParameters: 5 })])(
    "read the same from a raw string, URLSearchParams and an object",
    ({ path, body }) => {
      const raw = formEncode(body);
      const fromRaw = validateCreateStreamRequest({ path, body: raw });
      const fromParams = validateCreateStreamRequest({ path, body: new URLSearchParams(raw) });
      const fromObject = validateCreateStreamRequest({ path, body: body });
      expect(fromRaw).toEqual({ valid: true, value: { path, body } });
      expect(fromParams).toEqual(fromRaw);
      expect(fromObject).toEqual(fromRaw);
    },
  );

  test.prop([createStreamRequest()])("round-trip through form encoding, fields in order", ({ body }) => {
    expect([...new URLSearchParams(formEncode(body))]).toEqual(Object.entries(body));
  });

  test.prop([createStreamRequest({ maxParameters: 99 })])(
    "carry ParameterN pairs with 1 ≤ N ≤ 99, every Value with its Name",
    ({ body }) => {
      for (const field of Object.keys(body).filter((f) => f.startsWith("Parameter"))) {
        const [, n, part] = /^Parameter(\d+)\.(Name|Value)$/.exec(field) ?? [];
        expect(Number(n)).toBeGreaterThanOrEqual(1);
        expect(Number(n)).toBeLessThanOrEqual(99);
        if (part === "Value") expect(body).toHaveProperty([`Parameter${n}.Name`]);
      }
    },
  );

  test.prop([sid("account"), sid("call")])("use the given path parameters", (accountSid, callSid) => {
    fc.assert(
      fc.property(createStreamRequest({ accountSid, callSid }), ({ path }) => path.AccountSid === accountSid && path.CallSid === callSid),
      { numRuns: 5 },
    );
  });
});

describe("UpdateStream requests", () => {
  test.prop([updateStreamRequest({ by: "sid" })])("stop by SID", ({ path, body }) => {
    expect(isStreamSid(path.Sid)).toBe(true);
    expect(validateUpdateStreamRequest({ path, body: formEncode(body) })).toEqual({
      valid: true,
      value: { path, body: { Status: "stopped" } },
    });
  });

  test.prop([updateStreamRequest({ by: "name" })])("stop by name: the path carries any name and reads back", ({ path, body }) => {
    const route = matchStreamRoute(streamPath(path.AccountSid, path.CallSid, path.Sid));
    expect(route).toEqual({ operation: "UpdateStream", params: path });
    expect(validateUpdateStreamRequest({ path, body: new URLSearchParams(formEncode(body)) }).valid).toBe(true);
  });
});

describe("Stream resources", () => {
  const options = fc.record({
    accountSid: sid("account"),
    callSid: sid("call"),
    sid: sid("stream"),
    name: fc.option(streamName(), { nil: null }),
    status: fc.constantFrom("in-progress" as const, "stopped" as const),
  });
  test.prop([options.chain((o) => stream(o).map((resource) => ({ o, resource })))])(
    "keep the given fields, and uri is the resource's path",
    ({ o, resource }) => {
      expect(resource).toMatchObject({
        account_sid: o.accountSid,
        call_sid: o.callSid,
        sid: o.sid,
        name: o.name,
        status: o.status,
        uri: streamPath(o.accountSid, o.callSid, o.sid),
      });
      expect(validateStream(resource).valid).toBe(true);
    },
  );
});
