/**
 * `stream-contract mock`: the contract mock as a long-running server, until SIGINT or SIGTERM.
 */
import { startMockServer } from "../mock/server.js";
import { clientOutcomes, clientRunReport } from "../mock/report.js";
import { renderClientSummary } from "../mock/summary.js";
import { type Command, EXIT, parseCommandArgs, UsageError } from "./io.js";
import { integerFlag } from "./numbers.js";
import { reportHelp, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { out, err } from "./output.js";

/** Reads a port number option; a usage error otherwise. */
export function parsePort(value: string | undefined, fallback: number): number {
  return integerFlag(value, "--port", { min: 0, max: 65_535 }) ?? fallback;
}

/** Reads a seed option; a usage error otherwise. */
export function parseSeed(value: string | undefined): number {
  return integerFlag(value, "--seed", { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) ?? 0;
}

/** Starts the mock; a port in use or a bad host is a usage error. */
export async function startMockOrExplain(options: Parameters<typeof startMockServer>[0] & { port: number; host: string }) {
  try {
    return await startMockServer(options);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === "EADDRINUSE") throw new UsageError(`port ${options.port} is in use on ${options.host}; pick another with --port (0: any free port)`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`cannot listen on ${options.host}: no such local address`);
    if (code === "EACCES") throw new UsageError(`not allowed to listen on port ${options.port}; use a port above 1023`);
    throw error;
  }
}

export const mockCommand: Command = {
  summary: "serve a strict contract mock of the Streams API for testing a client",
  help: `
Usage: stream-contract mock [--port P] [--host H] [--seed S] [--quiet] [--report FORMAT:PATH]…

Serves CreateStream and UpdateStream at Twilio's paths and checks every request strictly:
method, path SIDs, Basic auth whose user is the path's AccountSid, Content-Type
application/x-www-form-urlencoded, and the body per the contract's schemas. Valid requests get
contract-valid answers (201 create, 200 stop); invalid ones get the error Twilio would send and
are recorded as violations. Any call with a valid SID is taken to be in progress.

  --port P        port (default 4010; 0: any free port)
  --host H        interface (default 127.0.0.1)
  --seed S        seed of the generated SIDs (default 0): same seed and requests, same answers
  --quiet         do not log each request on stderr
${reportHelp(18)}
  -h, --help      this text

While it runs:  GET /__contract/violations, GET /__contract/requests (JSON), POST /__contract/reset.
On SIGINT (Ctrl-C) or SIGTERM it prints a summary and exits.
Exit codes: 0 no violation, 1 violations were recorded, 2 usage error (e.g. port in use).

Example:
  stream-contract mock --port 4010 &
  curl -u ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:token -d Url=wss://example.com/media \\
    http://127.0.0.1:4010/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Streams.json
  kill -INT %1
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string" },
      quiet: { type: "boolean", default: false },
      ...reportOption,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const reports = reportTargets(values.report);
    const port = parsePort(values.port, 4010);
    const started = new Date();
    const log = values.quiet ? undefined : (line: string) => err(`${line}\n`);
    const mock = await startMockOrExplain({ port, host: values.host, seed: parseSeed(values.seed), log });
    const stopped = new Promise<NodeJS.Signals>((resolve) => {
      const stop = (name: NodeJS.Signals) => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve(name);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    // Only now that a signal stops it cleanly: whoever waits for this line may send one at once.
    err(`contract mock listening on ${mock.baseUrl} (violations: GET ${mock.baseUrl}/__contract/violations); Ctrl-C to stop\n`);
    const signal = await stopped;
    await mock.close();
    err(`received ${signal}, stopped\n`);
    const record = { requests: mock.requests(), violations: mock.violations() };
    const counts = mock.counts();
    out(renderClientSummary({ ...record, totalRequests: counts.requests, totalViolations: counts.violations }));
    await writeRequestedReports(clientRunReport("mock", mock.baseUrl, started, clientOutcomes(record)), reports);
    return counts.violations > 0 ? EXIT.violation : EXIT.ok;
  },
};
