/**
 * `stream-contract mock`: the contract mock as a long-running server, until SIGINT or SIGTERM.
 */
import type { MediaIssue } from "../dialer/session.js";
import { CLIENT_CONTRACT_PARTS } from "../contract/coverage.js";
import type { CreateStatus } from "../engine/engine.js";
import { clientCoverage } from "../mock/coverage.js";
import { coverageGateOutcome, type CoverageGate, renderCoverageText } from "../report/coverage.js";
import { COVERAGE_HELP, coverageGate, coverageOptions } from "./coverage-option.js";
import { MOCK_ENDPOINTS, type MockServer, startMockServer } from "../mock/server.js";
import { clientOutcomes, clientRunReport, mediaOutcome } from "../mock/report.js";
import { renderClientSummary, renderMediaSummary } from "../mock/summary.js";
import type { CheckOutcome, Coverage } from "../report/types.js";
import { registerSecret } from "../secrets.js";
import type { CallbackSenderOptions } from "../status-callbacks/sender.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { type OptionHelp, optionsHelp } from "./help.js";
import { untilStopSignal } from "./signals.js";
import { MEDIA_HELP, mediaOptions, readMediaOptions } from "./media-options.js";
import { integerFlag } from "./numbers.js";
import { REPORT_HELP, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { out, err } from "./output.js";
import { redact } from "../secrets.js";

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

/** The options of the mock's status callbacks (mock and check-client). */
export const callbackOptions = {
  "auth-token": { type: "string" },
  "allow-remote-callbacks": { type: "boolean", default: false },
} as const;

/** Their help lines. */
export const CALLBACK_HELP: readonly OptionHelp[] = [
  [
    "--auth-token T",
    "the account's auth token, to sign status callbacks (and --stream-media's\nupgrades) as Twilio does (default: $TWILIO_AUTH_TOKEN, else the password\nof the CreateStream's Basic credentials when their user is the AccountSid;\nneeded with API-key credentials, SK…). Never printed.",
  ],
  ["--allow-remote-callbacks", "also call back to StatusCallback hosts that are not loopback"],
];

/** The account's auth token (registered as a secret, where it enters) and the status-callback options. */
export function readCallbackOptions(
  values: { readonly "auth-token"?: string | undefined; readonly "allow-remote-callbacks"?: boolean | undefined },
  log: ((line: string) => void) | undefined,
): { authToken: string | undefined; statusCallbacks: CallbackSenderOptions } {
  const given = values["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN;
  registerSecret(given, [], "--auth-token / TWILIO_AUTH_TOKEN");
  const authToken = given === "" ? undefined : given;
  return {
    authToken,
    statusCallbacks: {
      allowRemote: values["allow-remote-callbacks"] === true,
      ...(authToken === undefined ? {} : { authToken }),
      ...(log === undefined ? {} : { log }),
    },
  };
}

/**
 * What a finished run of the mock recorded, as the summary and the outcomes (mock and
 * check-client): requests, violations and status callbacks (exact counts), and with `streamed`
 * the media Streams.
 */
export function finishedMockRun(
  mock: MockServer,
  streamed: boolean,
  gate: CoverageGate | undefined,
): { summary: string; outcomes: CheckOutcome[]; coverage: Coverage } {
  const record = {
    requests: mock.requests(),
    violations: mock.violations(),
    callbacks: mock.callbacks(),
    callbackCounts: mock.callbackCounts(),
  };
  const counts = mock.counts();
  let summary = renderClientSummary({ ...record, totalRequests: counts.requests, totalViolations: counts.violations });
  const sessions = mock.mediaSessions();
  if (streamed) summary += renderMediaSummary(sessions);
  const coverage = clientCoverage(mock.exercised(), record.callbacks);
  summary += `\n${renderCoverageText(coverage)}`;
  const outcomes = [
    ...clientOutcomes(record),
    ...(streamed ? [mediaOutcome(sessions)] : []),
    ...(gate === undefined ? [] : [coverageGateOutcome(coverage, gate)]),
  ];
  for (const failed of outcomes.filter((o) => o.group === "coverage" && o.status === "failed"))
    summary += `FAILED ${failed.name}: ${failed.failures.map((f) => f.message).join("; ")}\n`;
  return { summary, outcomes, coverage };
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
  ...CALLBACK_HELP,
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
On SIGINT (Ctrl-C) or SIGTERM, or on POST /__contract/stop, it prints a summary, with the
contract's coverage (see check-client --help), and exits; the stop endpoint answers {"exitCode",
"requests", "violations", "summary"} first. Under npx (npm exec), a signal's exit status (130,
143) replaces the mock's: stop it with the endpoint to get these codes.
Exit codes: 0 no violation, 1 violations were recorded, a callback receiver did not answer 2xx,
(--stream-media) a WebSocket server broke the protocol, or the coverage gate (--min-coverage,
--require) failed; 2 usage error (e.g. port in use).

Example:
  stream-contract mock --port 4010 &
  curl -u ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:token -d Url=wss://example.com/media \\
    http://127.0.0.1:4010/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls/CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Streams.json
  curl -s -X POST http://127.0.0.1:4010/__contract/stop   # prints the summary; the mock exits 0 or 1
  wait %1
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string" },
      "create-status": { type: "string" },
      quiet: { type: "boolean", default: false },
      ...callbackOptions,
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
    const { authToken, statusCallbacks } = readCallbackOptions(values, log);
    const streaming = await readMediaOptions(values, authToken);
    const media =
      streaming === undefined
        ? undefined
        : { ...streaming, onViolation: (v: MediaIssue) => log?.(`MEDIA VIOLATION ${v.code} ${v.title} ${v.url}: ${v.message}`) };
    const finish = async (how: string) => {
      err(`${how}, stopped\n`);
      const { summary, outcomes, coverage } = finishedMockRun(mock, media !== undefined, gate);
      const counts = mock.counts();
      out(summary);
      await writeRequestedReports({ ...clientRunReport("mock", mock.baseUrl, started, outcomes), coverage }, reports);
      const exitCode = counts.violations > 0 || outcomes.some((o) => o.status === "failed") ? EXIT.violation : EXIT.ok;
      return { exitCode, ...counts, summary: redact(summary) };
    };
    let stopRequested!: (finished: ReturnType<typeof finish>) => void;
    const byRequest = new Promise<Awaited<ReturnType<typeof finish>>>((resolve) => (stopRequested = resolve));
    const mock = await startMockOrExplain({
      port,
      host: values.host,
      seed: parseSeed(values.seed),
      log,
      statusCallbacks,
      ...(createStatus === undefined ? {} : { createStatus }),
      ...(media === undefined ? {} : { media }),
      onStop: () => {
        const finished = finish(`POST ${MOCK_ENDPOINTS.stop}`);
        stopRequested(finished);
        return finished;
      },
    });
    const stopped = untilStopSignal();
    // Only now that a signal stops it cleanly: whoever waits for this line may send one at once.
    err(`contract mock listening on ${mock.baseUrl} (violations: GET ${mock.baseUrl}/__contract/violations); Ctrl-C to stop\n`);
    const first = await Promise.race([stopped, byRequest]);
    if (typeof first === "object") return first.exitCode;
    await mock.close();
    return (await finish(`received ${first}`)).exitCode;
  },
};
