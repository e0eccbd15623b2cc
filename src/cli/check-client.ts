/**
 * `stream-contract check-client -- <command…>`: runs a client's tests against the contract mock
 * and fails when the command fails, when a request broke the contract, or when none arrived.
 */
import { spawn } from "node:child_process";
import { CLIENT_CONTRACT_PARTS } from "../contract/coverage.js";
import { parseFaultSpec } from "../engine/faults.js";
import { clientRunReport } from "../mock/report.js";
import { COVERAGE_HELP, coverageGate, coverageOptions } from "./coverage-option.js";
import type { CheckOutcome } from "../report/types.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { optionsHelp } from "./help.js";
import { CALLBACK_HELP, callbackOptions, finishedMockRun, parsePort, parseSeed, readCallbackOptions, startMockOrExplain } from "./mock.js";
import { REPORT_HELP, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { out, err } from "./output.js";

/** The environment variable that carries the mock's base URL to the command. */
export const BASE_URL_VARIABLE = "TWILIO_API_BASE_URL";

/** How the command ended, and the last line of its error output (see `lastErrorLine`). */
interface CommandExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lastError: string | undefined;
}

/** How much of the command's standard error is kept to quote from (its tail). */
const KEPT_STDERR = 8192;

/**
 * Runs the command with inherited stdin and stdout; its standard error is passed through as it
 * comes and its tail kept, to say what the command printed when it failed before sending any
 * request. A usage error when it cannot start.
 */
function runCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandExit> {
  const [file, ...rest] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, rest, { stdio: ["inherit", "inherit", "pipe"], env });
    let tail = "";
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      tail = (tail + chunk.toString("utf8")).slice(-KEPT_STDERR);
    });
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
      reject(
        new UsageError(
          `cannot start ${JSON.stringify(file)}: ${why}${file.includes(" ") ? " (give the command and its arguments as separate words after --, or use sh -c '…')" : ""}`,
        ),
      );
    });
    // "close", not "exit": standard error is read to its end.
    child.once("close", (code, signal) => {
      done();
      resolve({ code, signal, lastError: lastErrorLine(tail) });
    });
  });
}

/** Longest quoted line of the command's error output. */
const MAX_QUOTED = 300;

/**
 * The line of a command's error output that says what went wrong: the last one naming an error
 * (`Error: Required parameter "params['url']" missing.`, `RestException …`), else the last
 * non-empty one; undefined when it printed nothing.
 */
export function lastErrorLine(stderr: string): string | undefined {
  const lines = stderr
    .replace(/\u001b\[[\d;]*m/g, "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const named = lines.findLast((line) => /(?:Error|Exception)\b/.test(line) && !line.startsWith("at "));
  const line = named ?? lines.at(-1);
  return line === undefined || line.length <= MAX_QUOTED ? line : `${line.slice(0, MAX_QUOTED)}…`;
}

/** Why no request reached the mock, from how the command ended. */
function noRequestMessage(exit: CommandExit): string {
  if (exit.code === 0) return `no request reached the mock: is the client using ${BASE_URL_VARIABLE} in place of https://api.twilio.com?`;
  const ended = exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
  const seen = exit.lastError === undefined ? "it printed no error output" : `its last error output: ${exit.lastError}`;
  return `no request reached the mock: the command ${ended} before sending one (the client may have refused its own request before sending it); ${seen}`;
}

export const checkClientCommand: Command = {
  summary: "run a client's command against the contract mock and report its violations",
  help: `
Usage: stream-contract check-client [--port P] [--seed S] [--fault SPEC] [--auth-token TOKEN]
                                   [--allow-remote-callbacks] [--report FORMAT:PATH]…
                                   [--min-coverage PCT] [--require PARTS] -- <command…>

Starts the contract mock (see \`stream-contract mock --help\`), runs the command with
${BASE_URL_VARIABLE} set to the mock's base URL (e.g. http://127.0.0.1:4010, standing in for
https://api.twilio.com), then prints a table of the requests and every violation.

Fails when the command fails, when any request broke the contract, when a status-callback
receiver did not answer a callback with 2xx (as \`mock\` does), or when no request reached the
mock at all (the client was not pointed at ${BASE_URL_VARIABLE}, or failed before sending: the
summary then quotes the last error line the command printed).

${optionsHelp([
  ["--port P", "port of the mock (default 0: any free port)"],
  ["--seed S", "seed of the generated SIDs (default 0)"],
  [
    "--fault SPEC",
    "answer the client's requests with a fault, to test its error handling:\n" +
      "a status 400-599 (Twilio error body, code by status; Retry-After on\n" +
      "429/503), reset (connection reset), hang (no answer: the client's\n" +
      "timeout must end it) or slow=MS (the body over MS ms); then any of\n" +
      ",times=N (default: every request) ,operation=CreateStream|UpdateStream\n" +
      ",retry-after=S. E.g. 503,times=1 or reset,operation=UpdateStream",
  ],
  ...CALLBACK_HELP,
  REPORT_HELP,
  ...COVERAGE_HELP,
  ["-h, --help", "this text"],
])}

The summary ends with the contract's coverage: which operations, optional parameters (each
value of Track and StatusCallbackMethod), kinds of answer (4xx, 5xx, 429 with Retry-After, no
answer) and status callbacks the run exercised, of how many.

Exit codes: 0 the command passed and made only valid requests; 1 it failed, a request broke the
contract, a callback receiver did not answer 2xx, no request arrived, or the coverage gate
failed; 2 usage error, or the command could not be started.

While the command runs, its tests can also set faults themselves over HTTP (any language):
  POST $${BASE_URL_VARIABLE}/__contract/fault {"status": 429, "retryAfter": 2, "times": 1}
  (or {"connection": "reset"}, {"connection": "hang"}, {"slowBodyMs": 2000}); DELETE clears it.
Requests answered by a fault are still checked against the contract.

Example (the client reads the base URL from the environment):
  stream-contract check-client -- npm test
  stream-contract check-client --fault 503,times=1 -- npm test
  stream-contract check-client -- node -e "fetch(process.env.${BASE_URL_VARIABLE} + '/2010-04-01/…')"
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: "string" },
      seed: { type: "string" },
      fault: { type: "string" },
      ...callbackOptions,
      ...reportOption,
      ...coverageOptions,
    });
    if (positionals.length === 0) throw new UsageError("no command given: stream-contract check-client [options] -- <command…>");
    const reports = reportTargets(values.report);
    const gate = coverageGate(values, CLIENT_CONTRACT_PARTS);
    const fault = values.fault === undefined ? undefined : parseFaultSpec(values.fault);
    if (typeof fault === "string") throw new UsageError(fault);
    const started = new Date();
    // The command's own output is on the terminal: report violations as they happen, not every request.
    const log = (line: string) => {
      if (line.includes(" VIOLATION ")) err(`stream-contract mock: ${line}\n`);
    };
    const { statusCallbacks } = readCallbackOptions(values, undefined);
    const mock = await startMockOrExplain({
      ...(fault === undefined ? {} : { fault }),
      statusCallbacks,
      port: parsePort(values.port, 0),
      host: "127.0.0.1",
      seed: parseSeed(values.seed),
      log,
    });
    err(`stream-contract: contract mock at ${mock.baseUrl}; running ${positionals.join(" ")} with ${BASE_URL_VARIABLE}=${mock.baseUrl}\n`);
    let exit: CommandExit;
    try {
      exit = await runCommand(positionals, { ...process.env, [BASE_URL_VARIABLE]: mock.baseUrl });
    } finally {
      await mock.close();
    }
    const counts = mock.counts();
    const run = finishedMockRun(mock, false, gate);
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
        failures: counts.requests > 0 ? [] : [{ message: noRequestMessage(exit) }],
      },
      ...run.outcomes,
    ];
    out(`\nstream-contract check-client: ${positionals.join(" ")}\n`);
    out(run.summary);
    for (const failed of outcomes.slice(0, 2).filter((o) => o.status === "failed"))
      out(`FAILED ${failed.name}: ${failed.failures[0]?.message}\n`);
    out(`${outcomes.some((o) => o.status === "failed") ? "FAILED" : "PASSED"}\n`);
    await writeRequestedReports({ ...clientRunReport("check-client", mock.baseUrl, started, outcomes), coverage: run.coverage }, reports);
    return outcomes.some((o) => o.status === "failed") ? EXIT.violation : EXIT.ok;
  },
};
