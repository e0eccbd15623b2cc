/**
 * Benches cannot rot: every bench/*.bench.mjs runs here in its smoke mode (BENCH_SMOKE=1: one
 * tiny round), as `npm run bench` runs it, and must end with exit 0 — its contenders agreeing
 * and its servers answering as it expects. No figure is asserted: speed is measured in bench/,
 * never in tests.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const BENCHES = readdirSync("bench")
  .filter((name) => name.endsWith(".bench.mjs"))
  .sort();

function runBench(name: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [`bench/${name}`],
      { env: { ...process.env, BENCH_SMOKE: "1" }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("benches in smoke mode", () => {
  it("npm run bench runs every bench file", () => {
    const { scripts } = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
    expect(BENCHES.length).toBeGreaterThan(0);
    for (const name of BENCHES) expect(scripts.bench).toContain(`node bench/${name}`);
  });

  it.each(BENCHES)(
    "%s runs to the end",
    async (name) => {
      const { code, stdout, stderr } = await runBench(name);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout.trim().split("\n").length).toBeGreaterThan(3); // it printed its table
    },
    180_000,
  );
});
