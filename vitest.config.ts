import { defineConfig } from "vitest/config";

// TEST_NOCK=nock15 runs every test (and src/nock) against nock 15, the devDependency alias `nock15`
// (nock 15 needs Node 22.20 or later; .ci/run sets it for its Node 22 and 24 runs).
const nock = process.env.TEST_NOCK;

export default defineConfig({
  ...(nock === undefined || nock === "" ? {} : { resolve: { alias: { nock } } }),
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup/fast-check.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pact mock servers and loopback servers run in-process: one file at a time per worker, each
    // worker its own process. Two workers on a 2-core runner: most files wait on sockets, child
    // processes and real-time calls, and every verdict is made to hold on a loaded machine.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
  },
});
