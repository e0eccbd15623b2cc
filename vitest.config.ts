import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup/fast-check.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Pact mock servers and loopback servers run in-process: one file at a time per worker.
    pool: "forks",
    reporters: ["default"],
  },
});
