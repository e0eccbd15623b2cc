// Shared measuring helpers of the benches: medians over interleaved rounds, so that a noisy
// neighbour on a shared machine slows every contender of a round alike instead of one of them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * BENCH_SMOKE=1: every bench runs one tiny round — it must still run to the end and its
 * contenders still agree — and its figures mean nothing (tests/unit/bench-smoke.test.ts).
 */
export const SMOKE = process.env.BENCH_SMOKE === "1";

/** The built CLI (dist/cli/main.js), which the CLI benches run; exits 2 when it is not built. */
export function builtCli() {
  const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
  if (existsSync(cli)) return cli;
  console.error("dist/cli/main.js is missing: run `npm run build` first (or `npm run bench`).");
  process.exit(2);
}

/** A bench's knob: the environment variable `name` when set, else `full`, or `smoke` under BENCH_SMOKE=1. */
export function knob(name, full, smoke) {
  return Number(process.env[name] ?? (SMOKE ? smoke : full));
}

/**
 * Nanoseconds of CPU time (user + system) this process has used. Throughput is timed in CPU time,
 * not wall time: on a shared machine the scheduler's pauses land in wall time at random, while the
 * CPU time of a batch is what the code costs (GC threads included).
 */
export function cpuNs() {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Times (in CPU time) synchronous functions over interleaved rounds: each round runs every contender once, for
 * about `batchMs` each, in a new order each round. A contender is `{ name, fn, inputs, expect }`:
 * `fn(input)` must return a truthy value for a valid input; `expect` is how many inputs of
 * `inputs` are valid, checked after every batch so a contender cannot be optimised away or cheat.
 * Every contender gets its own loop function (own compiled code and type feedback), so no one
 * pays for the others' call sites.
 * @returns per contender name: { nsPerOp (median), opsPerSec (median), samples (ns/op by round) }
 */
export function timeInterleaved(contenders, { rounds = 60, batchMs = 10 } = {}) {
  const loops = contenders.map(
    () =>
      // A fresh function per contender, see above.
      new Function(
        "fn",
        "inputs",
        "times",
        "let ok = 0; const n = inputs.length;\n" +
          "for (let t = 0; t < times; t++) for (let i = 0; i < n; i++) if (fn(inputs[i])) ok++;\n" +
          "return ok;",
      ),
  );
  // Calibrate: how many passes over the inputs fill a batch (also the warm-up).
  const passes = contenders.map((c, k) => {
    let times = 1;
    for (;;) {
      const start = cpuNs();
      loops[k](c.fn, c.inputs, times);
      const ms = (cpuNs() - start) / 1e6;
      if (ms >= batchMs / 4) return Math.max(1, Math.round((times * batchMs) / ms));
      times *= 2;
    }
  });
  const samples = contenders.map(() => []);
  const order = contenders.map((_, k) => k);
  let seed = 0x0bad5eed;
  for (let round = 0; round < rounds; round++) {
    // Each round runs the contenders in a new order (a seeded shuffle): whoever runs after the
    // heaviest allocator pays for the collection work it leaves (process CPU time counts the
    // collector's threads). Rotating a fixed order (A B C, B C A, …) does not spread that: C is
    // still followed by A in every round but one.
    for (let i = order.length - 1; i > 0; i--) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const j = (seed >>> 16) % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    order.forEach((k) => {
      const c = contenders[k];
      const start = cpuNs();
      const ok = loops[k](c.fn, c.inputs, passes[k]);
      const ns = cpuNs() - start;
      if (ok !== c.expect * passes[k]) throw new Error(`${c.name}: ${ok / passes[k]} inputs accepted, expected ${c.expect}`);
      samples[k].push(ns / (passes[k] * c.inputs.length));
    });
  }
  return Object.fromEntries(
    contenders.map((c, k) => {
      const nsPerOp = median(samples[k]);
      return [c.name, { nsPerOp, opsPerSec: 1e9 / nsPerOp, samples: samples[k] }];
    }),
  );
}

/**
 * How many times slower `a` is than `b` (their time ratio), from results of `timeInterleaved`: the
 * median over rounds of the ratio within each round. The two ran back to back there, so a machine
 * whose speed drifts during a run (a shared VM does, by a factor of two at times) slows both
 * alike; a ratio of two medians taken over the whole run can catch them in different phases.
 */
export function timeRatio(a, b) {
  return median(a.samples.map((ns, round) => ns / b.samples[round]));
}

/** Ends a child's script: prints the CPU time the process has used since it started, for `timeStartups`. */
export const PRINT_CPU = `process.stdout.write("\\ncpu " + JSON.stringify(process.cpuUsage()))`;

/**
 * Starts a child `node` with each command's `args`, interleaved, `rounds` times each; every script
 * must end with `PRINT_CPU`. Returns by name the medians of the wall time from spawn to exit and of
 * the CPU time the child reports at its end (start-up, imports and work: what is not waiting for
 * the scheduler of a shared machine), in ms.
 */
export function timeStartups(commands, { rounds = 21, cwd } = {}) {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, { wall: [], cpu: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, args] of Object.entries(commands)) {
      const start = process.hrtime.bigint();
      const child = spawnSync(process.execPath, args, { cwd, encoding: "utf8" });
      const wall = Number(process.hrtime.bigint() - start) / 1e6;
      const report = /cpu (\{.*\})\s*$/.exec(child.stdout);
      if (child.status !== 0 || !report) throw new Error(`${name} exited ${child.status} without its CPU time: ${child.stderr}`);
      const { user, system } = JSON.parse(report[1]);
      samples[name].wall.push(wall);
      samples[name].cpu.push((user + system) / 1000);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, { wall, cpu }]) => [name, { wallMs: median(wall), cpuMs: median(cpu) }]));
}

/** Prints rows (arrays of cells) as an aligned text table; numbers right-aligned. */
export function printTable(header, rows) {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  console.log(line(all[0]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of all.slice(1)) console.log(line(row));
}

/** A number with thousands separators and `digits` decimals. */
export function fmt(value, digits = 0) {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
