#!/usr/bin/env node
// verify benchmark: checked requests per second of the conformance checks against the reference
// provider over loopback (goal ≥ 1,000/s), and the wall time of the whole default run (Pact
// verification + every check at the default 50 samples).
//
// "Checked" = requests whose answer a check asserted on; the provider-state changes around them
// (setup and teardown, two per sample) are sent too but not counted. Two set-ups:
//   separate  the reference provider in its own process (as a server team's server would be)
//   in-process  `stream-contract verify` without --base-url: provider and checks share one process
// Bounded: BENCH_VERIFY_ROUNDS rounds (default 5) of BENCH_VERIFY_RUNS samples per check
// (default 200). Run `npm run build` first. Wall time, medians over rounds.
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, knob, median, printTable, SMOKE } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.resolve(here, "../dist/verify/index.js");
if (!fs.existsSync(entry)) {
  console.error("dist/verify/index.js is missing: run `npm run build` first.");
  process.exit(2);
}
const { runVerify, exitCodeOf, startReferenceProvider } = await import(pathToFileURL(entry).href);

// Child mode: serve the reference provider until the parent disconnects.
if (process.argv[2] === "provider") {
  const provider = await startReferenceProvider();
  process.send({
    baseUrl: provider.baseUrl,
    statesUrl: provider.statesUrl,
    accountSid: provider.accountSid,
    authToken: provider.authToken,
  });
  process.on("disconnect", () => provider.close().then(() => process.exit(0)));
} else {
  const ROUNDS = knob("BENCH_VERIFY_ROUNDS", 5, 1);
  const RUNS = knob("BENCH_VERIFY_RUNS", 200, 2);
  const DEFAULT_ROUNDS = SMOKE ? 1 : 3;

  /** One conformance-only run; its checked requests per second (wall time). */
  async function measure(options) {
    const started = performance.now();
    const report = await runVerify({ runs: RUNS, seed: 1, skipPact: true, ...options });
    const seconds = (performance.now() - started) / 1000;
    if (exitCodeOf(report) !== 0)
      throw new Error(
        `the reference provider failed verify:\n${JSON.stringify(
          report.outcomes.filter((o) => o.status !== "passed"),
          null,
          2,
        )}`,
      );
    return { perSecond: report.checkedRequests / seconds, requests: report.checkedRequests };
  }

  const child = fork(fileURLToPath(import.meta.url), ["provider"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const target = await new Promise((resolve) => child.once("message", resolve));
  const separate = [];
  const inProcess = [];
  let requests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const a = await measure({
      baseUrl: target.baseUrl,
      statesUrl: target.statesUrl,
      accountSid: target.accountSid,
      authToken: target.authToken,
    });
    separate.push(a.perSecond);
    requests = a.requests;
    inProcess.push((await measure({})).perSecond);
  }
  child.disconnect();

  const defaultRuns = [];
  for (let round = 0; round < DEFAULT_ROUNDS; round++) {
    const started = performance.now();
    const report = await runVerify({ seed: round, ...(SMOKE ? { runs: 2 } : {}) });
    if (exitCodeOf(report) !== 0) throw new Error("the default run failed");
    defaultRuns.push((performance.now() - started) / 1000);
  }

  console.log(`verify: ${requests} checked requests per round (${RUNS} samples per check), ${ROUNDS} rounds, medians\n`);
  printTable(
    ["set-up", "checked requests/s", "goal"],
    [
      ["provider in its own process", fmt(median(separate)), "≥ 1,000"],
      ["provider in-process (no --base-url)", fmt(median(inProcess)), "≥ 1,000"],
    ],
  );
  console.log(
    `\nwhole default run (Pact + all checks, 50 samples each, in-process provider): ${median(defaultRuns).toFixed(2)} s (median of ${DEFAULT_ROUNDS})`,
  );
}
