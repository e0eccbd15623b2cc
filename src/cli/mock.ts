/**
 * `stream-contract mock`: the contract mock as a long-running server, until SIGINT or SIGTERM.
 */
import type { MediaViolation } from "../dialer/session.js";
import { CLIENT_CONTRACT_PARTS } from "../contract/coverage.js";
import type { CreateStatus } from "../engine/engine.js";
import { clientCoverage } from "../mock/coverage.js";
import { coverageGateOutcome, renderCoverageText } from "../report/coverage.js";
import { COVERAGE_HELP, coverageGate, coverageOptions } from "./coverage-option.js";
import { startMockServer } from "../mock/server.js";
import { clientOutcomes, clientRunReport, mediaOutcome } from "../mock/report.js";
import { renderClientSummary, renderMediaSummary } from "../mock/summary.js";
import { type Command, EXIT, optionsHelp, parseCommandArgs, untilStopSignal, UsageError } from "./io.js";
import { MEDIA_HELP, mediaOptions, readMediaOptions } from "./media-options.js";
import { integerFlag } from "./numbers.js";
import { REPORT_HELP, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { out, err } from "./output.js";

/** Reads a port number option; a usage error otherwise. */
export function parsePort(value: string | undefined, fallback: number): number {
  return integerFlag(value, "--port", { min: 0, max: 65_535 }) ?? fallback;
}

/** Reads a seed option; a usage error otherwise. */
export function parseSeed(value: string | undefined): number {
  return integerFlag(value, "--seed", { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }) ?? 0;
}

/** Reads `--create-status`: 200 (Twilio's OpenAPI document, the default) or 201; a usage error otherwise. */
export function parseCreateStatus(value: string | undefined): CreateStatus | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "200" || value.trim() === "201") return Number(value) as CreateStatus;
  throw new UsageError(`--create-status must be 200 (Twilio's OpenAPI document) or 201 (before 2025-02), got ${JSON.stringify(value)}`);
}

/** Starts the mock; a port in use or a bad host is a usage error. */
export function startMockOrExplain(options: Parameters<typeof startMockServer>[0] & { port: number; host: string }) {
  return listenOrExplain(() => startMockServer(options), options);
}

/** Starts a server with `start`; a port in use or a bad host is a usage error. */
export async function listenOrExplain<T>(start: () => Promise<T>, options: { readonly port: number; readonly host: string }): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === "EADDRINUSE")
      throw new UsageError(`port ${options.port} is in use on ${options.host}; pick another with --port (0: any free port)`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UsageError(`cannot listen on ${options.host}: no such local address`);
    if (code === "EACCES") throw new UsageError(`not allowed to listen on port ${options.port}; use a port above 1023`);
    throw error;
  }
}

export const mockCommand: Command = {
  summary: "serve a strict contract mock of the Streams API for testing a client",
  help: `
Usage: stream-contract mock [--port P] [--host H] [--seed S] [--create-status N] [--quiet]
                            [--auth-token TOKEN] [--allow-remote-callbacks] [--report FORMAT:PATH]…
                            [--min-coverage PCT] [--require PARTS]
                            [--stream-media [--media-pace realtime|fast] [--audio FILE.wav] …]

Serves CreateStream and UpdateStream at Twilio's paths and checks every request strictly:
method, path SIDs, Basic auth whose user is the path's AccountSid or an API key SID (SK…),
Content-Type application/x-www-form-urlencoded, and the body per the contract's schemas. Valid
requests get contract-valid answers (200 create, 200 stop); invalid ones get the error Twilio would send and
are recorded as violations. Any call with a valid SID is taken to be in progress.

${optionsHelp([
  ["--port P", "port (default 4010; 0: any free port)"],
  ["--host H", "interface (default 127.0.0.1)"],
  ["--seed S", "seed of the generated SIDs (default 0): same seed and requests, same answers"],
  [
    "--create-status N",
    "200 or 201: the status of a successful create (default 200, Twilio's OpenAPI\ndocument; 201 as Twilio documented it from 2022-02 to 2025-02)",
  ],
  ["--quiet", "do not log each request on stderr"],
  [
    "--auth-token T",
    "sign status callbacks with T (default: $TWILIO_AUTH_TOKEN, else the password\nof the CreateStream's Basic credentials). Never printed.",
  ],
  ["--allow-remote-callbacks", "also call back to StatusCallback hosts that are not loopback"],
  REPORT_HELP,
  ...COVERAGE_HELP,
  ["-h, --help", "this text"],
])}
${MEDIA_HELP}

A Stream created with a StatusCallback gets its status callbacks (stream-started, stream-stopped,
stream-error), signed with X-Twilio-Signature; what each receiver answered is in the summary.

While it runs:  GET /__contract/violations, GET /__contract/requests, GET /__contract/callbacks
GET /__contract/media (JSON), POST /__contract/reset, POST /__contract/end-call {"accountSid","callSid"},
POST /__contract/fail-stream {"accountSid","callSid","sid","error"}.
Fault injection: POST /__contract/fault {"status": 503, "times": 1} (any status 400-599, with
"retryAfter" on 429/503; or {"connection": "reset"|"hang"}, {"slowBodyMs": MS}; "operation" and
"times" narrow it), GET /__contract/fault, DELETE /__contract/fault. See check-client --fault.
On SIGINT (Ctrl-C) or SIGTERM it prints a summary, with the contract's coverage (see
check-client --help), and exits; the coverage gate (--min-coverage, --require) fails it then.
Exit codes: 0 no violation, 1 violations were recorded, a callback receiver did not answer 2xx,
(--stream-media) a WebSocket server broke the protocol, or the coverage gate failed; 2 usage error
(e.g. port in use).

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
      "create-status": { type: "string" },
      quiet: { type: "boolean", default: false },
      "auth-token": { type: "string" },
      "allow-remote-callbacks": { type: "boolean", default: false },
      ...reportOption,
      ...coverageOptions,
      ...mediaOptions,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const reports = reportTargets(values.report);
    const gate = coverageGate(values, CLIENT_CONTRACT_PARTS);
    const port = parsePort(values.port, 4010);
    const started = new Date();
    const log = values.quiet ? undefined : (line: string) => err(`${line}\n`);
    const createStatus = parseCreateStatus(values["create-status"]);
    const authToken = values["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN;
    const statusCallbacks = {
      allowRemote: values["allow-remote-callbacks"],
      ...(authToken === undefined || authToken === "" ? {} : { authToken }),
      ...(log === undefined ? {} : { log }),
    };
    const streaming = await readMediaOptions(values, authToken);
    const media =
      streaming === undefined
        ? undefined
        : { ...streaming, onViolation: (v: MediaViolation) => log?.(`MEDIA VIOLATION ${v.code} ${v.title} ${v.url}: ${v.message}`) };
    const mock = await startMockOrExplain({
      port,
      host: values.host,
      seed: parseSeed(values.seed),
      log,
      statusCallbacks,
      ...(createStatus === undefined ? {} : { createStatus }),
      ...(media === undefined ? {} : { media }),
    });
    const stopped = untilStopSignal();
    // Only now that a signal stops it cleanly: whoever waits for this line may send one at once.
    err(`contract mock listening on ${mock.baseUrl} (violations: GET ${mock.baseUrl}/__contract/violations); Ctrl-C to stop\n`);
    const signal = await stopped;
    await mock.close();
    err(`received ${signal}, stopped\n`);
    const record = { requests: mock.requests(), violations: mock.violations(), callbacks: mock.callbacks() };
    const counts = mock.counts();
    out(renderClientSummary({ ...record, totalRequests: counts.requests, totalViolations: counts.violations }));
    const sessions = mock.mediaSessions();
    if (media !== undefined) out(renderMediaSummary(sessions));
    const coverage = clientCoverage(mock.exercised(), record.callbacks);
    out(`\n${renderCoverageText(coverage)}`);
    const outcomes = [
      ...clientOutcomes(record),
      ...(media === undefined ? [] : [mediaOutcome(sessions)]),
      ...(gate === undefined ? [] : [coverageGateOutcome(coverage, gate)]),
    ];
    for (const failed of outcomes.filter((o) => o.group === "coverage" && o.status === "failed"))
      out(`FAILED ${failed.name}: ${failed.failures.map((f) => f.message).join("; ")}\n`);
    await writeRequestedReports({ ...clientRunReport("mock", mock.baseUrl, started, outcomes), coverage }, reports);
    return counts.violations > 0 || outcomes.some((o) => o.status === "failed") ? EXIT.violation : EXIT.ok;
  },
};
