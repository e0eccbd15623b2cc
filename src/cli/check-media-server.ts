/**
 * `stream-contract check-media-server`: checks the user's Media Streams WebSocket server by
 * playing generated sessions to it as Twilio would.
 */
import { readScenario } from "../call/scenario.js";
import { CALL_CHECKS } from "../media-check/call-checks.js";
import { MEDIA_CHECKS } from "../media-check/checks.js";
import { mediaProtocolParts } from "../media-check/coverage.js";
import { coverageGateOutcome } from "../report/coverage.js";
import { COVERAGE_HELP, coverageGate, coverageOptions } from "./coverage-option.js";
import { MediaCheckConfigError, mediaCheckExitCode, type MediaServerCheckOptions, runMediaServerCheck } from "../media-check/run.js";
import { renderMediaCheckSummary } from "../media-check/summary.js";
import { registerSecret, registerUrlSecrets } from "../secrets.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { UsageError } from "./exit.js";
import { optionsHelp } from "./help.js";
import { readBytes } from "./input.js";
import { durationFlag, integerFlag, REQUEST_TIMEOUT_MS, SEED } from "./numbers.js";
import { err, out } from "./output.js";
import { reportHelp, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";

export const checkMediaServerCommand: Command = {
  summary: "check a Media Streams WebSocket server by playing generated sessions to it as Twilio would",
  help: `
Usage: stream-contract check-media-server --url wss://… | ws://127.0.0.1:…
                                          [--auth-token TOKEN] [--bidirectional]
                                          [--expect-signature-check] [--expect-barge-in]
                                          [--runs N] [--seed S] [--only CHECK] [--replay-path PATH]
                                          [--timeout MS] [--ca FILE.pem] [--signed-url URL]
                                          [--calls N] [--max-first-audio-ms MS] [--max-clear-ms MS]
                                          [--max-ahead-ms MS] [--artifacts DIR] [--scenario FILE]
                                          [--lose-percent P] [--jitter-ms MS] [--slow-reader-ms MS]
                                          [--baseline FILE]
                                          [--report FORMAT:PATH]… [--min-coverage PCT] [--require PARTS]

Plays generated Media Streams sessions (connected, start, media, dtmf, stop; fast-check) to your
WebSocket server as Twilio would: each upgrade signed with X-Twilio-Signature over the wss://
URL with the account's auth token, messages as fast as the server reads. Failing sessions are
shrunk and can be replayed. Then it plays real-time calls (docs/calls.md): a caller asks a
question, waits for the answer, speaks over it, presses a key and hangs up, 20 ms of audio
every 20 ms, the server's audio played through Twilio's playback model; two rounds (the second
shows state kept from the first). Calls fail a server on Twilio's rules only, unless a --max-…
flag makes what they measure a requirement.

  --url URL                 your server: wss://… (any host), or ws:// to a loopback host
  --auth-token TOKEN        the account's auth token (default: $TWILIO_AUTH_TOKEN; prefer the
                            variable: a flag shows in the process list). Never printed.
  --bidirectional           a <Connect><Stream> server: it may send media, mark and clear
                            (default: unidirectional, the server must send nothing)
  --expect-signature-check  also send upgrades with a wrong or no signature: they must be refused
  --expect-barge-in         (bidirectional) the server must send clear when the caller presses
                            a key while its audio plays
  --runs N                  sessions per check (default 25)
  --seed S                  fast-check seed (default: random, printed) to replay a run
  --only CHECK              only the checks whose name contains CHECK
  --replay-path PATH        replay one reported counterexample (with --seed and --only)
  --timeout MS              deadline of each handshake and wait (default 5000)
  --ca FILE.pem             trust this CA for wss:// (NODE_EXTRA_CA_CERTS works too)
  --signed-url URL          the URL to sign when your server sees another (a TLS proxy in front
                            of ws://127.0.0.1); default: --url as wss://
  --calls N                 real-time calls at once, in each of two rounds (default 2; 0: none)
  --max-first-audio-ms MS   (bidirectional) require the server's first audio within MS of the
                            caller's last word, on every turn
  --max-clear-ms MS         (bidirectional) require clear within MS when the caller speaks over
                            the server's audio, and an answer after it
  --max-ahead-ms MS         (bidirectional) require the server's audio to run at most MS ahead
                            of playback
  --scenario FILE           play this call (YAML or JSON, schemas/call-scenario.schema.json:
                            say, silence, listen, dtmf, expect answer within, barge-in,
                            expect clear within, hangup) instead of the bundled conversation
  --lose-percent P          impair the calls: P % of the caller's frames never reach Twilio
                            (a timestamp gap), drawn from --seed
  --jitter-ms MS            impair the calls: hold each frame up to MS (order kept), from --seed
  --slow-reader-ms MS       impair the calls: Twilio's side reads the server's frames only every
                            MS (each waits up to MS to be read, judged and played)
  --baseline FILE           (bidirectional) compare the calls' metrics with an earlier run's
                            JSON report (--report json:FILE): a median worse by more than
                            25 % + 50 ms fails
  --artifacts DIR           write each failing call's wire trace (JSONL) and stereo recording
                            (WAV: left the caller, right what the caller heard) into DIR
${reportHelp(28)}
${optionsHelp(COVERAGE_HELP, 28)}
  -h, --help                this text

Checks:
${MEDIA_CHECKS.map((c) => `  ${c.name.padEnd(44)}${c.asserts}`).join("\n")}

Checks of the real-time calls (the last four only when a flag or --scenario asks):
${Object.values(CALL_CHECKS)
  .map((name) => `  ${name}`)
  .join("\n")}

The summary ends with the protocol's coverage, sessions and calls together: the events sent and
received, barge-in and a second session, of those that apply to the Stream's kind (parts:
sent:EVENT, received:EVENT, barge-in, call-barge-in, second-session).

Progress goes to stderr, the summary to stdout.
Exit codes: 0 conformant, 1 protocol violation or the coverage gate failed, 2 usage error, server
unreachable or nothing tested (every check skipped).

Examples:
  TWILIO_AUTH_TOKEN=… stream-contract check-media-server --url ws://127.0.0.1:8080/media
  TWILIO_AUTH_TOKEN=… stream-contract check-media-server --url wss://media.example.com/stream \\
    --bidirectional --expect-signature-check --report junit:media.xml
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        url: { type: "string" },
        "auth-token": { type: "string" },
        bidirectional: { type: "boolean", default: false },
        "expect-signature-check": { type: "boolean", default: false },
        "expect-barge-in": { type: "boolean", default: false },
        runs: { type: "string" },
        seed: { type: "string" },
        only: { type: "string" },
        "replay-path": { type: "string" },
        timeout: { type: "string" },
        ca: { type: "string" },
        "signed-url": { type: "string" },
        calls: { type: "string" },
        "max-first-audio-ms": { type: "string" },
        "max-clear-ms": { type: "string" },
        "max-ahead-ms": { type: "string" },
        artifacts: { type: "string" },
        scenario: { type: "string" },
        "lose-percent": { type: "string" },
        "jitter-ms": { type: "string" },
        "slow-reader-ms": { type: "string" },
        baseline: { type: "string" },
        ...reportOption,
        ...coverageOptions,
      },
      false,
    );
    if (positionals.length > 0)
      throw new UsageError(`check-media-server takes no positional arguments (got ${positionals.join(" ")}); see --help`);
    // Every secret registered before anything is printed: the token, and passwords in the URLs.
    registerSecret(values["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN, [], "--auth-token / TWILIO_AUTH_TOKEN");
    registerUrlSecrets(values.url, "--url");
    registerUrlSecrets(values["signed-url"], "--signed-url");
    if (values.url === undefined) throw new UsageError("--url is required: your WebSocket server, wss://… or ws://127.0.0.1:…");
    if (values["expect-barge-in"] && !values.bidirectional) throw new UsageError("--expect-barge-in needs --bidirectional");
    const reports = reportTargets(values.report);
    const mode = {
      bidirectional: values.bidirectional,
      expectSignatureCheck: values["expect-signature-check"],
      expectBargeIn: values["expect-barge-in"],
    };
    const authToken = values["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN ?? "";
    const callOptions = await readCallFlags(values);
    const gate = coverageGate(values, mediaProtocolParts(mode, callOptions.calls !== 0));
    const ca = values.ca === undefined ? undefined : await readBytes(values.ca, `--ca ${values.ca}`);
    try {
      const run = await runMediaServerCheck({
        url: values.url,
        authToken,
        bidirectional: values.bidirectional,
        expectSignatureCheck: values["expect-signature-check"],
        expectBargeIn: values["expect-barge-in"],
        runs: integerFlag(values.runs, "--runs", { min: 1, max: 1_000_000 }),
        seed: integerFlag(values.seed, "--seed", SEED),
        timeoutMs: durationFlag(values.timeout, "--timeout", REQUEST_TIMEOUT_MS),
        ...(values.only === undefined ? {} : { only: values.only }),
        ...(values["replay-path"] === undefined ? {} : { replayPath: values["replay-path"] }),
        ...(values["signed-url"] === undefined ? {} : { signedUrl: values["signed-url"] }),
        ...(ca === undefined ? {} : { ca }),
        ...callOptions,
        onProgress: (line) => err(`${line}\n`),
      });
      const report =
        gate === undefined || run.runError !== undefined
          ? run
          : { ...run, outcomes: [...run.outcomes, coverageGateOutcome(run.coverage, gate)] };
      out(renderMediaCheckSummary(report));
      await writeRequestedReports(report, reports);
      return mediaCheckExitCode(report);
    } catch (error) {
      if (error instanceof MediaCheckConfigError) throw new UsageError(error.message);
      throw error;
    }
  },
};

/** The calls' flags (docs/calls.md) as runMediaServerCheck's options; a usage error for a bad one. */
async function readCallFlags(values: {
  readonly bidirectional: boolean;
  readonly calls?: string | undefined;
  readonly "max-first-audio-ms"?: string | undefined;
  readonly "max-clear-ms"?: string | undefined;
  readonly "max-ahead-ms"?: string | undefined;
  readonly artifacts?: string | undefined;
  readonly scenario?: string | undefined;
  readonly "lose-percent"?: string | undefined;
  readonly "jitter-ms"?: string | undefined;
  readonly "slow-reader-ms"?: string | undefined;
  readonly baseline?: string | undefined;
}): Promise<Partial<MediaServerCheckOptions>> {
  const calls = integerFlag(values.calls, "--calls", { min: 0, max: 1000 });
  const requirements = {
    maxFirstAudioMs: durationFlag(values["max-first-audio-ms"], "--max-first-audio-ms", REQUEST_TIMEOUT_MS),
    maxClearMs: durationFlag(values["max-clear-ms"], "--max-clear-ms", REQUEST_TIMEOUT_MS),
    maxAheadMs: durationFlag(values["max-ahead-ms"], "--max-ahead-ms", REQUEST_TIMEOUT_MS),
  };
  for (const [flag, value] of Object.entries({
    "--max-first-audio-ms": requirements.maxFirstAudioMs,
    "--max-clear-ms": requirements.maxClearMs,
    "--max-ahead-ms": requirements.maxAheadMs,
  })) {
    if (value !== undefined && !values.bidirectional) throw new UsageError(`${flag} needs --bidirectional`);
    if (value !== undefined && calls === 0) throw new UsageError(`${flag} needs calls (not --calls 0)`);
  }
  const lossPercent = integerFlag(values["lose-percent"], "--lose-percent", { min: 0, max: 100 });
  const jitterMs = durationFlag(values["jitter-ms"], "--jitter-ms", { min: 0, max: 10_000 });
  const slowReaderMs = durationFlag(values["slow-reader-ms"], "--slow-reader-ms", { min: 1, max: 10_000 });
  if ((lossPercent !== undefined || jitterMs !== undefined || slowReaderMs !== undefined) && calls === 0)
    throw new UsageError("--lose-percent, --jitter-ms and --slow-reader-ms impair the calls: not with --calls 0");
  const baseline = values.baseline === undefined ? undefined : await readBaseline(values.baseline);
  if (baseline !== undefined && (!values.bidirectional || calls === 0))
    throw new UsageError("--baseline compares the calls' metrics: it needs --bidirectional and calls");
  const read = values.scenario === undefined ? undefined : await readScenario(values.scenario);
  if (read !== undefined && "error" in read) throw new UsageError(`--scenario: ${read.error}`);
  if (read !== undefined && calls === 0) throw new UsageError("--scenario needs calls (not --calls 0)");
  return {
    ...(calls === undefined ? {} : { calls }),
    ...(requirements.maxFirstAudioMs === undefined ? {} : { maxFirstAudioMs: requirements.maxFirstAudioMs }),
    ...(requirements.maxClearMs === undefined ? {} : { maxClearMs: requirements.maxClearMs }),
    ...(requirements.maxAheadMs === undefined ? {} : { maxAheadMs: requirements.maxAheadMs }),
    ...(values.artifacts === undefined ? {} : { artifacts: values.artifacts }),
    ...(read === undefined ? {} : { scenario: read.scenario }),
    ...(lossPercent === undefined ? {} : { lossPercent }),
    ...(baseline === undefined ? {} : { baseline }),
    ...(jitterMs === undefined ? {} : { jitterMs }),
    ...(slowReaderMs === undefined ? {} : { slowReaderMs }),
  };
}

/** The calls of an earlier run's JSON report, for --baseline; a usage error for anything else. */
async function readBaseline(file: string): Promise<NonNullable<MediaServerCheckOptions["baseline"]>> {
  const bytes = await readBytes(file, `--baseline ${file}`);
  let report: unknown;
  try {
    report = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new UsageError(`--baseline ${file}: not JSON (write a baseline with --report json:FILE)`);
  }
  const calls = (report as { calls?: unknown } | null)?.calls;
  const isCall = (c: unknown) => {
    const m = (c as { metrics?: { turns?: unknown; markRoundTripMs?: unknown; aheadMs?: unknown } } | null)?.metrics;
    return Array.isArray(m?.turns) && Array.isArray(m?.markRoundTripMs) && typeof m?.aheadMs === "number";
  };
  if (!Array.isArray(calls) || calls.length === 0 || !calls.every(isCall))
    throw new UsageError(`--baseline ${file}: not a check-media-server JSON report with calls (write one with --report json:FILE)`);
  return { file, calls: calls as NonNullable<MediaServerCheckOptions["baseline"]>["calls"] };
}
