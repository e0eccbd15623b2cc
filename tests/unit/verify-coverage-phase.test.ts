/**
 * The coverage phase (src/verify/coverage.ts): every check gets deterministic examples, the
 * same whatever the seed, that hold every kind of input its generator makes — every row of the
 * server rules, each way a field is broken, each kind of bad credentials.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CheckEnv, ConformanceCheck } from "../../src/verify/check.js";
import { CONFORMANCE_CHECKS } from "../../src/verify/checks/index.js";
import { COVERAGE_POOL_SIZE, coverageExamples, coverageOf } from "../../src/verify/coverage.js";
import { createHttpClient } from "../../src/verify/http.js";
import type { CreateSample, InvalidSample, RequestSample, StreamSample } from "../../src/verify/samples.js";
import { isBlankName, SERVER_RULES, serverRuleFor, type ServerRuleName } from "../../src/verify/server-rules.js";

function envOf(credentials: CheckEnv["credentials"]): CheckEnv {
  return {
    http: createHttpClient(new URL("http://127.0.0.1:9"), 1000),
    credentials,
    states: undefined,
    maxResponseTimeMs: 100,
    strict: false,
    seenStreamSids: new Set(),
    counters: { checkedRequests: 0, calls: 0, coverageExamples: 0 },
  };
}

const env = envOf({
  accountSid: `AC${"0".repeat(32)}`,
  authToken: "0123456789abcdef0123456789abcdef",
  apiKeySid: `SK${"1".repeat(32)}`,
  apiKeySecret: "fedcba9876543210fedcba9876543210",
});

const byName = (name: string) => CONFORMANCE_CHECKS.find((c) => c.name === name)!;
const keysOf = (check: ConformanceCheck<unknown>, samples: readonly unknown[]) => new Set(samples.flatMap((s) => [...check.cover(s)]));

describe("coverage phase", () => {
  it("every check has examples, the same in every run whatever the seed", () => {
    const global = fc.readConfigureGlobal();
    try {
      for (const check of CONFORMANCE_CHECKS) {
        const examples = coverageOf(check, env);
        expect(examples.length, check.name).toBeGreaterThan(0);
        // Another run (another credentials object, the same values), another global seed: the same examples.
        fc.configureGlobal({ ...global, seed: (global.seed ?? 0) + 1 });
        expect(coverageOf(check, envOf({ ...env.credentials }))).toEqual(examples);
      }
    } finally {
      fc.configureGlobal(global);
    }
  }, 600_000); // draws every pool twice: seconds of CPU, more on a loaded machine

  it("every row of the server rules has its examples", () => {
    const rules = new Set<ServerRuleName>();
    for (const sample of coverageOf(byName("negative data rejection: create"), env) as InvalidSample<RequestSample>[])
      rules.add(serverRuleFor("CreateStream", sample));
    for (const { request } of coverageOf(byName("negative data rejection: stop"), env) as { request: InvalidSample<RequestSample> }[])
      rules.add(serverRuleFor("UpdateStream", request));
    const creates = coverageOf(byName("positive data acceptance"), env) as CreateSample[];
    if (creates.length > 0) rules.add("validCreate");
    if (creates.some((c) => c.body.Name !== undefined && isBlankName(c.body.Name))) rules.add("blankName");
    if ((coverageOf(byName("stop by sid"), env) as StreamSample[]).length > 0) rules.add("validStop");
    expect([...rules].sort()).toEqual(Object.keys(SERVER_RULES).sort());
  });

  it("each kind of invalid Track, every kind of bad credentials, each credential kind of a valid create", () => {
    const negative = byName("negative data rejection: create");
    const tracks = [...keysOf(negative, coverageOf(negative, env))].filter((k) => k.includes("trackNotInEnum"));
    expect(tracks.map((k) => k.split("/body/Track ")[1]).sort()).toEqual(
      expect.arrayContaining(["- and _ swapped", "not a value of the enum", "truncated"]),
    );
    const auth = byName("ignored auth");
    expect([...keysOf(auth, coverageOf(auth, env))].map((k) => k.split(" ")[0])).toEqual(
      expect.arrayContaining(["none", "wrong", "another", "empty", "not", "malformed", "unknown", "API"]),
    );
    const positive = byName("positive data acceptance");
    expect([...keysOf(positive, coverageOf(positive, env))]).toEqual(
      expect.arrayContaining(["credentials: API key", "credentials: auth token", "Track=both_tracks", "without Track", "blank Name"]),
    );
  });

  // Generation only (no server), but seconds of it: a generous deadline for a loaded machine.
  it(`a pool of ${COVERAGE_POOL_SIZE} holds every key that a pool five times larger, drawn with another seed, holds`, () => {
    const seen = new Set<object>();
    for (const check of CONFORMANCE_CHECKS) {
      if (seen.has(check.arbitrary)) continue; // the response checks share theirs
      seen.add(check.arbitrary);
      const covered = keysOf(check, coverageExamples(check.arbitrary(env), check.cover));
      const larger = keysOf(check, fc.sample(check.arbitrary(env), { seed: 1, numRuns: COVERAGE_POOL_SIZE * 5 }));
      expect(
        [...larger].filter((key) => !covered.has(key)),
        check.name,
      ).toEqual([]);
    }
  }, 600_000);
});
