/**
 * The parts of the contract coverage counts are read off schemas/ (a new enum value or optional
 * parameter is a new part without a code change), and the arithmetic of the percentage and the
 * gate.
 */
import { describe, expect, it } from "vitest";
import common from "../../schemas/common.schema.json" with { type: "json" };
import statusCallback from "../../schemas/stream-status-callback.schema.json" with { type: "json" };
import { answerPart, CLIENT_CONTRACT_PARTS, createParts, MEDIA_EVENTS, stopPart } from "../../src/contract/coverage.js";
import { coverageGateOutcome, coverageOf, requiredParts } from "../../src/report/coverage.js";

const ids = CLIENT_CONTRACT_PARTS.map((p) => p.id);

describe("the parts of the contract", () => {
  it("has each value of each enumerated optional parameter, and each status callback event, as the schemas list them", () => {
    for (const value of common.$defs.track.enum) expect(ids).toContain(`Track=${value}`);
    for (const value of common.$defs.httpMethod.enum) expect(ids).toContain(`StatusCallbackMethod=${value}`);
    for (const event of statusCallback.$defs.streamEvent.enum) expect(ids).toContain(event);
    expect(ids).not.toContain("Url"); // required: not an optional part
    expect(MEDIA_EVENTS).toEqual({ twilio: ["connected", "start", "media", "dtmf", "mark", "stop"], server: ["media", "mark", "clear"] });
  });

  it("names what a request used", () => {
    expect(createParts({ Url: "wss://x", Name: "n", Track: "both_tracks", "Parameter7.Name": "a", "Parameter7.Value": "b" })).toEqual([
      "create",
      "Name",
      "Track=both_tracks",
      "ParameterN",
    ]);
    expect(stopPart(`MZ${"a".repeat(32)}`)).toBe("stop-by-sid");
    expect(stopPart("support")).toBe("stop-by-name");
    expect([0, 200, 400, 404, 429, 500, 503].map((s) => answerPart(s, s === 429 ? { "Retry-After": "1" } : {}))).toEqual([
      "no-answer",
      undefined,
      "4xx",
      "4xx",
      "429+Retry-After",
      "5xx",
      "5xx",
    ]);
    expect(answerPart(429, {})).toBe("4xx");
  });
});

describe("the percentage and the gate", () => {
  const parts = CLIENT_CONTRACT_PARTS.slice(0, 3);
  const coverage = coverageOf(
    "three parts",
    parts,
    new Map([
      ["create", 2],
      ["stop-by-sid", 1],
    ]),
  );

  it("rounds down (2 of 3 is 66.6 %, so that 100 means every part) and says what its denominator is", () => {
    expect(coverage.percent).toBe(66.6);
    expect(coverage.exercised).toBe(2);
    expect(coverage.denominator).toBe("3 parts (3 operations)");
  });

  it("passes at the threshold, fails under it or when a required part was not exercised", () => {
    expect(coverageGateOutcome(coverage, { minPercent: 66, required: ["create"] }).status).toBe("passed");
    expect(coverageGateOutcome(coverage, { minPercent: 67, required: [] }).failures[0]?.actual).toBe(
      "2 exercised (66.6 %); not exercised: stop-by-name",
    );
    expect(coverageGateOutcome(coverage, { required: ["stop-by-name"] }).failures[0]?.message).toBe("not exercised: stop-by-name");
    expect(requiredParts(["CREATE", "stop-by-name"], parts)).toEqual(["create", "stop-by-name"]);
    expect(requiredParts(["stop"], parts)).toBe('unknown part "stop"; the parts are create, stop-by-sid, stop-by-name');
  });
});
