/**
 * `stream-contract check-client -- <command…>`: runs a client's tests against the contract mock
 * and fails when the command fails, when a request broke the contract, or when none arrived.
 */
import { spawn } from "node:child_process";
import { clientOutcomes, clientRunReport } from "../mock/report.js";
import { renderClientSummary } from "../mock/summary.js";
import type { CheckOutcome } from "../report/types.js";
import { type Command, EXIT, parseCommandArgs, UsageError } from "./io.js";
import { parsePort, parseSeed, startMockOrExplain } from "./mock.js";
import { reportHelp, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { out, err } from "./output.js";

/** The environment variable that carries the mock's base URL to the command. */
export const BASE_URL_VARIABLE = "TWILIO_API_BASE_URL";

/** Runs the command with inherited stdio; its exit code, or a usage error when it cannot start. */
function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const [file, ...rest] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, rest, { stdio: "inherit", env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    const done = () => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
    };
    child.once("error", (error: NodeJS.ErrnoException) => {
      done();
      const why = error.code === "ENOENT" ? "command not found" : error.code === "EACCES" ? "permission denied" : error.message;
      reject(new UsageError(`cannot start ${JSON.stringify(file)}: ${why}${file.includes(" ") ? " (give the command and its arguments as separate words after --, or use sh -c '…')" : ""}`));
    });
    child.once("exit", (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });
}

export const checkClientCommand: Command = {
  summary: "run a client's command against the contract mock and report its violations",
  help: `
Usage: stream-contract check-client [--port P] [--seed S] [--report FORMAT:PATH]… -- <command…>

Starts the contract mock (see \`stream-contract mock --help\`), runs the command with
${BASE_URL_VARIABLE} set to the mock's base URL (e.g. http://127.0.0.1:4010, standing in for
https://api.twilio.com), then prints a table of the requests and every violation.

Fails when the command fails, when any request broke the contract, or when no request reached
the mock at all (the client was probably not pointed at ${BASE_URL_VARIABLE}).

  --port P        port of the mock (default 0: any free port)
  --seed S        seed of the generated SIDs (default 0)
${reportHelp(18)}
  -h, --help      this text

Exit codes: 0 the command passed and made only valid requests; 1 it failed, a request broke the
contract, or no request arrived; 2 usage error, or the command could not be started.

Example (the client reads the base URL from the environment):
  stream-contract check-client -- npm test
  stream-contract check-client -- node -e "fetch(process.env.${BASE_URL_VARIABLE} + '/2010-04-01/…')"
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { port: { type: "string" }, seed: { type: "string" }, ...reportOption });
    if (positionals.length === 0) throw new UsageError("no command given: stream-contract check-client [options] -- <command…>");
    const reports = reportTargets(values.report);
    const started = new Date();
    const mock = await startMockOrExplain({
      port: parsePort(values.port, 0),
      host: "127.0.0.1",
      seed: parseSeed(values.seed),
      // The command's own output is on the terminal: report violations as they happen, not every request.
      log: (line) => {
        if (line.includes(" VIOLATION ")) err(`stream-contract mock: ${line}\n`);
      },
    });
    err(`stream-contract: contract mock at ${mock.baseUrl}; running ${positionals.join(" ")} with ${BASE_URL_VARIABLE}=${mock.baseUrl}\n`);
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    try {
      exit = await runCommand(positionals, { ...process.env, [BASE_URL_VARIABLE]: mock.baseUrl });
    } finally {
      await mock.close();
    }
    const record = { requests: mock.requests(), violations: mock.violations() };
    const counts = mock.counts();
    const commandOk = exit.code === 0;
    const outcomes: CheckOutcome[] = [
      {
        name: "client › the command succeeds",
        group: "client",
        status: commandOk ? "passed" : "failed",
        durationMs: Date.now() - started.getTime(),
        failures: commandOk ? [] : [{ message: exit.signal === null ? `exited with code ${exit.code}` : `killed by ${exit.signal}` }],
      },
      {
        name: "client › requests reach the mock",
        group: "client",
        status: counts.requests > 0 ? "passed" : "failed",
        durationMs: 0,
        failures: counts.requests > 0 ? [] : [{ message: `no request reached the mock: is the client using ${BASE_URL_VARIABLE} in place of https://api.twilio.com?` }],
      },
      ...clientOutcomes(record),
    ];
    out(`\nstream-contract check-client: ${positionals.join(" ")}\n`);
    out(renderClientSummary({ ...record, totalRequests: counts.requests, totalViolations: counts.violations }));
    for (const failed of outcomes.slice(0, 2).filter((o) => o.status === "failed")) out(`FAILED ${failed.name}: ${failed.failures[0]?.message}\n`);
    out(`${outcomes.some((o) => o.status === "failed") ? "FAILED" : "PASSED"}\n`);
    await writeRequestedReports(clientRunReport("check-client", mock.baseUrl, started, outcomes), reports);
    return outcomes.some((o) => o.status === "failed") ? EXIT.violation : EXIT.ok;
  },
};
