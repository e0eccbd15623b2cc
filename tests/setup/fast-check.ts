/**
 * fast-check configuration for the whole suite (a vitest setupFile): one seed per test file,
 * printed once, and the number of runs.
 *
 *     FC_SEED=12345 npx vitest run tests/property      replay a failure
 *     FC_NUM_RUNS=1000 npx vitest run tests/property   search harder
 *
 * Without FC_SEED a fresh seed is drawn, so every run explores new samples; the line printed
 * before each file's tests says how to replay it.
 */
import fc from "fast-check";
import { relative } from "node:path";
import { beforeAll, expect } from "vitest";

function readInteger(name: string, min: number, max: number): number | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

// fast-check seeds are 32-bit integers; the ones drawn here are non-negative to read well.
const seed = readInteger("FC_SEED", -(2 ** 31), 2 ** 32 - 1) ?? Math.floor(Math.random() * 2 ** 31);
const numRuns = readInteger("FC_NUM_RUNS", 1, 1_000_000);

fc.configureGlobal({ seed, ...(numRuns === undefined ? {} : { numRuns }) });

beforeAll(() => {
  const testPath = expect.getState().testPath;
  const file = testPath === undefined ? "" : ` for ${relative(process.cwd(), testPath)}`;
  process.stdout.write(`fast-check seed ${seed}${numRuns === undefined ? "" : `, ${numRuns} runs`}${file} (FC_SEED=${seed} to replay)\n`);
});
