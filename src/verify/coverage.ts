/**
 * The coverage phase of a conformance check (as Schemathesis's coverage phase): before its
 * random samples, every check sends a fixed set of examples that covers each kind of input it
 * knows — every row of the server rules it meets, each way the invalid generators break a
 * field, each kind of bad credentials — whatever the seed and `--runs`. A server that breaks a
 * single rule is then caught on every run, not on the runs whose random samples happen to hold
 * the broken kind.
 *
 * No example is written here: they are drawn from the check's own arbitrary (the project's
 * generators, derived from schemas/) with a fixed seed, and for each coverage key the check
 * names (`cover(sample)`), the smallest sample that has it is kept. The same options give the
 * same examples, so a failing example replays like a random sample (`--seed`, `--replay-path`).
 */
import fc from "fast-check";
import type { CheckEnv } from "./check.js";
import type { Credentials } from "./credentials.js";
import type { InvalidSample, RequestSample } from "./samples.js";
import { serverRuleFor } from "./server-rules.js";

/** The seed the pools are drawn with: fixed, so that the examples do not depend on the run's seed. */
const COVERAGE_SEED = 20_100_401;

/**
 * Samples drawn per check to pick the examples from. tests/unit/coverage.test.ts checks that a
 * pool this size holds every key that a pool five times larger, drawn with another seed, holds.
 */
export const COVERAGE_POOL_SIZE = 2_000;

/** What the examples are drawn from: a check's arbitrary and its coverage keys. */
interface Covered<T> {
  readonly arbitrary: (env: CheckEnv) => fc.Arbitrary<T>;
  readonly cover: (sample: T) => readonly string[];
}

/**
 * Examples already drawn in this run (by its credentials, which some arbitraries read): checks
 * that share their arbitrary and keys (the response checks, the creates) share their examples.
 */
const drawn = new WeakMap<Credentials, Map<object, Map<object, unknown[]>>>();

/** The coverage examples of a check in the run of `env`. */
export function coverageOf<T>(check: Covered<T>, env: CheckEnv): T[] {
  const byArbitrary = drawn.get(env.credentials) ?? new Map<object, Map<object, unknown[]>>();
  drawn.set(env.credentials, byArbitrary);
  const byCover = byArbitrary.get(check.arbitrary) ?? new Map<object, unknown[]>();
  byArbitrary.set(check.arbitrary, byCover);
  const examples = byCover.get(check.cover) ?? coverageExamples(check.arbitrary(env), check.cover);
  byCover.set(check.cover, examples);
  return examples as T[];
}

/** The examples of a pool: for each key its samples have, the smallest sample that has it. */
export function coverageExamples<T>(
  arbitrary: fc.Arbitrary<T>,
  cover: (sample: T) => readonly string[],
  poolSize = COVERAGE_POOL_SIZE,
): T[] {
  const pool = fc
    .sample(arbitrary, { seed: COVERAGE_SEED, numRuns: poolSize })
    .map((sample, index) => ({ sample, index, size: JSON.stringify(sample)?.length ?? 0 }))
    .sort((a, b) => a.size - b.size || a.index - b.index);
  const covered = new Set<string>();
  const examples: T[] = [];
  for (const { sample } of pool) {
    const fresh = cover(sample).filter((key) => !covered.has(key));
    if (fresh.length === 0) continue;
    for (const key of fresh) covered.add(key);
    examples.push(sample);
  }
  return examples;
}

/**
 * The coverage key of an invalid request: the server rule it falls under, where it is broken
 * (ParameterN's number and unknown field names left out) and how (the generator's reason).
 */
export function invalidRequestKey(operation: "CreateStream" | "UpdateStream", sample: InvalidSample<RequestSample>): string {
  const rule = serverRuleFor(operation, sample);
  const where = rule === "unknownField" ? "" : sample.path.replace(/\d+/g, "N");
  return `${operation} ${rule} ${where} ${sample.reason}`;
}
