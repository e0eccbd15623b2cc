/**
 * The fault spec of `check-client --fault` and the one table of Twilio error codes by status.
 */
import { describe, expect, it } from "vitest";
import { DOCUMENTED_ERROR_STATUSES, PINNED_ERROR_CODES, twilioError, twilioErrorCode } from "../../src/contract/errors.js";
import { parseFaultSpec } from "../../src/engine/faults.js";
import { isTwilioError } from "../../src/index.js";

describe("parseFaultSpec", () => {
  it.each([
    ["503", { status: 503 }],
    ["429,retry-after=5,times=2", { status: 429, retryAfter: 5, times: 2 }],
    ["reset,operation=UpdateStream", { connection: "reset", operation: "UpdateStream" }],
    ["hang", { connection: "hang" }],
    ["slow=2000", { slowBodyMs: 2000 }],
    ["500, slow=2000", { status: 500, slowBodyMs: 2000 }],
  ])("reads %s", (spec, fault) => {
    expect(parseFaultSpec(spec)).toEqual(fault);
  });

  it.each([
    ["302", "status must be an integer from 400 to 599"],
    ["", "cannot read"],
    ["503,times=0", "times must be a positive integer"],
    ["503,times=1e3x", "times must be a positive integer"],
    ["503,times=1e3", 'times must be a positive integer, got "1e3"'],
    ["slow= 5", "slow must be a whole number of milliseconds from 1 to"],
    ["429,retry-after=0x10", 'retry-after must be a whole number of seconds, got "0x10"'],
    ["400,retry-after=2", "retry-after goes with status 429 or 503"],
    ["reset,slow=10", "not both"],
    ["slow=abc", "slow must be a whole number"],
    ["503,operation=Delete", "operation must be"],
    ["teapot", "cannot read"],
  ])("refuses %j, saying why", (spec, why) => {
    const result = parseFaultSpec(spec);
    expect(typeof result).toBe("string");
    expect(result).toContain(why);
  });
});

describe("Twilio error codes by status", () => {
  it("gives every status 400–599 a code whose error body is valid", () => {
    for (let status = 400; status <= 599; status++)
      expect(isTwilioError(twilioError(status, twilioErrorCode(status), "x")), String(status)).toBe(true);
  });

  it("keeps Twilio's codes: 20001, 20003, 20004 apart from 20000 + status", () => {
    expect([400, 401, 403, 404, 405, 429, 500, 503].map(twilioErrorCode)).toEqual([20001, 20003, 20403, 20404, 20004, 20429, 20500, 20503]);
    expect(twilioErrorCode(502)).toBe(20502);
  });

  it("derives the pinned codes and the documented statuses from the one table", () => {
    expect(PINNED_ERROR_CODES).toEqual({ 401: 20003, 404: 20404 });
    expect(DOCUMENTED_ERROR_STATUSES).toEqual([400, 401, 403, 404, 405, 409, 413, 429]);
  });
});
