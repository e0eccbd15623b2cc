/**
 * `stream-contract mock`: the contract mock as a long-running server, until SIGINT or SIGTERM.
 */
import type { MediaViolation } from "../dialer/session.js";
import { startMockServer } from "../mock/server.js";
import { clientOutcomes, clientRunReport, mediaOutcome } from "../mock/report.js";
import { renderClientSummary, renderMediaSummary } from "../mock/summary.js";
import { type Command, EXIT, parseCommandArgs, UsageError } from "./io.js";
import { MEDIA_HELP, mediaOptions, readMediaOptions } from "./media-options.js";
import { reportHelp, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";

/** Reads a port number option; a usage error otherwise. */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return port;
}

/** Reads a seed option; a usage error otherwise. */
export function parseSeed(value: string | undefined): number {
  if (value === undefined) return 0;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got ${JSON.stringify(value)}`);
  return seed;
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
                           [--auth-token TOKEN] [--allow-remote-callbacks]
                           [--stream-media [--media-pace realtime|fast] [--audio FILE.wav] …]

Serves CreateStream and UpdateStream at Twilio's paths and checks every request strictly:
method, path SIDs, Basic auth whose user is the path's AccountSid, Content-Type
application/x-www-form-urlencoded, and the body per the contract's schemas. Valid requests get
contract-valid answers (201 create, 200 stop); invalid ones get the error Twilio would send and
are recorded as violations. Any call with a valid SID is taken to be in progress.

  --port P        port (default 4010; 0: any free port)
  --host H        interface (default 127.0.0.1)
  --seed S        seed of the generated SIDs (default 0): same seed and requests, same answers
  --quiet         do not log each request on stderr
  --auth-token T  sign status callbacks with T (default: $TWILIO_AUTH_TOKEN, else the password
                  of the CreateStream's Basic credentials). Never printed.
  --allow-remote-callbacks
                  also call back to StatusCallback hosts that are not loopback
${reportHelp(18)}
  -h, --help      this text
${MEDIA_HELP}

A Stream created with a StatusCallback gets its status callbacks (stream-started, stream-stopped,
stream-error), signed with X-Twilio-Signature; what each receiver answered is in the summary.

While it runs:  GET /__contract/violations, GET /__contract/requests, GET /__contract/callbacks
GET /__contract/media (JSON), POST /__contract/reset, POST /__contract/end-call {"accountSid","callSid"},
POST /__contract/fail-stream {"accountSid","callSid","sid","error"}.
On SIGINT (Ctrl-C) or SIGTERM it prints a summary and exits.
Exit codes: 0 no violation, 1 violations were recorded, a callback receiver did not answer 2xx or
(--stream-media) a WebSocket server broke the protocol, 2 usage error (e.g. port in use).

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
      "auth-token": { type: "string" },
      "allow-remote-callbacks": { type: "boolean", default: false },
      ...reportOption,
      ...mediaOptions,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const reports = reportTargets(values.report);
    const port = parsePort(values.port, 4010);
    const started = new Date();
    const log = values.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    const authToken = values["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN;
    const statusCallbacks = { allowRemote: values["allow-remote-callbacks"], ...(authToken === undefined || authToken === "" ? {} : { authToken }), ...(log === undefined ? {} : { log }) };
    const streaming = await readMediaOptions(values, authToken);
    const media = streaming === undefined ? undefined : { ...streaming, onViolation: (v: MediaViolation) => log?.(`MEDIA VIOLATION ${v.code} ${v.title} ${v.url}: ${v.message}`) };
    const mock = await startMockOrExplain({ port, host: values.host, seed: parseSeed(values.seed), log, statusCallbacks, ...(media === undefined ? {} : { media }) });
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
    process.stderr.write(`contract mock listening on ${mock.baseUrl} (violations: GET ${mock.baseUrl}/__contract/violations); Ctrl-C to stop\n`);
    const signal = await stopped;
    await mock.close();
    process.stderr.write(`received ${signal}, stopped\n`);
    const record = { requests: mock.requests(), violations: mock.violations(), callbacks: mock.callbacks() };
    const counts = mock.counts();
    process.stdout.write(renderClientSummary({ ...record, totalRequests: counts.requests, totalViolations: counts.violations }));
    const sessions = mock.mediaSessions();
    if (media !== undefined) process.stdout.write(renderMediaSummary(sessions));
    const outcomes = [...clientOutcomes(record), ...(media === undefined ? [] : [mediaOutcome(sessions)])];
    await writeRequestedReports(clientRunReport("mock", mock.baseUrl, started, outcomes), reports);
    return counts.violations > 0 || outcomes.some((o) => o.status === "failed") ? EXIT.violation : EXIT.ok;
  },
};
