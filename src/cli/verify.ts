/**
 * `stream-contract verify`: checks a server (or the bundled reference provider) against the
 * contract: Pact verification of contracts/ and property-based conformance checks.
 */
import { CONFORMANCE_CHECKS } from "../verify/checks/index.js";
import { PactSourceError } from "../verify/pact.js";
import { exitCodeOf, runVerify, VerifyConfigError, type VerifyOptions } from "../verify/run.js";
import { renderSummary } from "../verify/summary.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { UsageError } from "./exit.js";
import { durationFlag, integerFlag, REQUEST_TIMEOUT_MS, SEED } from "./numbers.js";
import { reportHelp, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { BROKER_HELP, brokerOptions, prepareBrokerRun } from "./verify-broker.js";
import { out, err } from "./output.js";

/** runVerify's options as this command names them: flags, with the environment variables they fall back on. */
const FLAGS: Readonly<Record<keyof VerifyOptions, string>> = {
  baseUrl: "--base-url",
  accountSid: "--account-sid (TWILIO_ACCOUNT_SID)",
  authToken: "--auth-token (TWILIO_AUTH_TOKEN)",
  apiKeySid: "--api-key-sid (TWILIO_API_KEY)",
  apiKeySecret: "--api-key-secret (TWILIO_API_SECRET)",
  statesUrl: "--states-url",
  runs: "--runs",
  seed: "--seed",
  timeoutMs: "--timeout",
  maxResponseTimeMs: "--max-response-time",
  maxDurationMs: "--max-duration",
  pactPaths: "--pacts",
  skipPact: "--skip-pact",
  only: "--only",
  replayPath: "--replay-path",
  strict: "--strict",
  concurrency: "concurrency",
  onProgress: "onProgress",
  callbacks: "--callbacks",
  callbackWaitMs: "--callback-wait",
};

/** The longest `--max-duration`: a day. */
const MAX_DURATION_RANGE = { min: 1_000, max: 86_400_000 } as const;

export const verifyCommand: Command = {
  summary: "check a server (default: the bundled reference provider) against the contract",
  help: `
Usage: stream-contract verify [--base-url URL] [--account-sid AC…] [--auth-token TOKEN]
                              [--api-key-sid SK… --api-key-secret SECRET]
                              [--states-url URL] [--runs N] [--seed S] [--timeout MS]
                              [--max-response-time MS] [--max-duration D] [--pacts PATH]…
                              [--skip-pact] [--only CHECK] [--replay-path PATH] [--strict]
                              [--report FORMAT:PATH]… [--callbacks [--callback-wait MS]]
                              [--broker-base-url URL [--consumer-version-selectors JSON]
                               [--publish-verification-results] [--provider-app-version V]
                               [--provider-branch B]]

Checks a CreateStream / UpdateStream server against the contract:
  1. Pact verification of contracts/ (Pact FFI verifier); provider states through --states-url.
  2. Property-based conformance checks (fast-check) with the project's generators: a coverage
     phase of deterministic examples, then --runs random samples per check.
Without --base-url it starts the bundled reference provider and checks that.

  --base-url URL           the server, standing in for https://api.twilio.com
  --account-sid AC…        the account to authenticate as (default: $TWILIO_ACCOUNT_SID)
  --auth-token TOKEN       its auth token (default: $TWILIO_AUTH_TOKEN; prefer the variable:
                           a flag shows in the process list). Never printed.
  --api-key-sid SK…        an API key of the account (default: $TWILIO_API_KEY): Basic SK…:secret,
                           which Twilio takes as well as AC…:token. With a token too, half the
                           valid requests use the key. The auth checks cover both kinds.
  --api-key-secret SECRET  the key's secret (default: $TWILIO_API_SECRET; prefer the variable).
                           Never printed.
  --states-url URL         the Pact provider-state endpoint: POST {"state","params","action"}.
                           Without it, checks that need a call or Stream set up are skipped.
  --runs N                 random samples per conformance check (default 50), after its
                           coverage examples (every server rule and kind of input, whatever the
                           seed and --runs)
  --seed S                 fast-check seed (default: random, printed) to replay a run
  --timeout MS             deadline of every request (default 10000; at most 10m); the Pact
                           verifier's are derived from it, a broker's is the longer of it and 30s
  --max-response-time MS   also fail answers slower than this (at most 10m)
  --max-duration D         deadline of the whole run (default 15m; 1s to 24h): past it, the
                           run stops and reports what it checked so far (exit 2)
                           Durations: milliseconds, or with a unit: 500ms, 30s, 15m, 1h.
  --pacts PATH             pact file or directory instead of the bundled contracts/ (repeatable)
  --skip-pact              only the conformance checks
  --only CHECK             only the conformance checks whose name contains CHECK
  --replay-path PATH       replay one reported counterexample (with --seed and --only)
  --strict                 hold the server to the client-side rules: every invalid request must be
                           refused, unknown and misspelt fields included (by default a server may
                           ignore what Twilio ignores; see docs/verify.md, server-side rules)
  --callbacks              also check the status callbacks: verify listens on 127.0.0.1, creates
                           Streams whose StatusCallback points at itself and checks the events,
                           their order, parameters, signature and method (needs --states-url
                           with --base-url; the server must reach 127.0.0.1)
  --callback-wait MS       how long to wait for a callback (default 5000)
${reportHelp(27)}
${BROKER_HELP}
  -h, --help               this text

Conformance checks:
${CONFORMANCE_CHECKS.map((c) => `  ${c.name.padEnd(34)}${c.asserts}`).join("\n")}

Progress goes to stderr, the summary to stdout.
Exit codes: 0 conformant, 1 contract violation, 2 usage error or server unreachable.

Examples:
  stream-contract verify
  TWILIO_AUTH_TOKEN=… stream-contract verify --base-url http://localhost:8080 \\
    --account-sid AC0123456789abcdef0123456789abcdef --states-url http://localhost:8080/_pact/states
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        "base-url": { type: "string" },
        "account-sid": { type: "string" },
        "auth-token": { type: "string" },
        "api-key-sid": { type: "string" },
        "api-key-secret": { type: "string" },
        "states-url": { type: "string" },
        runs: { type: "string" },
        seed: { type: "string" },
        timeout: { type: "string" },
        "max-response-time": { type: "string" },
        "max-duration": { type: "string" },
        pacts: { type: "string", multiple: true },
        "skip-pact": { type: "boolean" },
        only: { type: "string" },
        "replay-path": { type: "string" },
        strict: { type: "boolean" },
        callbacks: { type: "boolean" },
        "callback-wait": { type: "string" },
        ...reportOption,
        ...brokerOptions,
      },
      false,
    );
    if (positionals.length > 0) throw new UsageError(`verify takes no positional arguments (got ${positionals.join(" ")}); see --help`);
    const reports = reportTargets(values.report);
    const env = process.env;
    const seed = integerFlag(values.seed, "--seed", SEED);
    const options: VerifyOptions = {
      baseUrl: values["base-url"],
      accountSid: values["account-sid"] ?? (values["base-url"] === undefined ? undefined : env.TWILIO_ACCOUNT_SID),
      authToken: values["auth-token"] ?? (values["base-url"] === undefined ? undefined : env.TWILIO_AUTH_TOKEN),
      apiKeySid: values["api-key-sid"] ?? (values["base-url"] === undefined ? undefined : env.TWILIO_API_KEY),
      apiKeySecret: values["api-key-secret"] ?? (values["base-url"] === undefined ? undefined : env.TWILIO_API_SECRET),
      statesUrl: values["states-url"],
      runs: integerFlag(values.runs, "--runs", { min: 1, max: 1_000_000 }),
      seed,
      timeoutMs: durationFlag(values.timeout, "--timeout", REQUEST_TIMEOUT_MS),
      maxResponseTimeMs: durationFlag(values["max-response-time"], "--max-response-time", REQUEST_TIMEOUT_MS),
      maxDurationMs: durationFlag(values["max-duration"], "--max-duration", MAX_DURATION_RANGE),
      pactPaths: values.pacts,
      skipPact: values["skip-pact"],
      only: values.only,
      replayPath: values["replay-path"],
      strict: values.strict,
      onProgress: (line) => err(`${line}\n`),
      callbacks: values.callbacks,
      callbackWaitMs: durationFlag(values["callback-wait"], "--callback-wait", REQUEST_TIMEOUT_MS),
    };
    if (values["broker-base-url"] !== undefined && values.pacts !== undefined)
      throw new UsageError("give --pacts or --broker-base-url, not both");
    const broker = await prepareBrokerRun(values, (line) => err(`${line}\n`), options.timeoutMs);
    try {
      const report = await runVerify(broker === undefined ? options : { ...options, pactPaths: [broker.directory] });
      out(renderSummary(report));
      await writeRequestedReports(report, reports);
      for (const line of (await broker?.publish(report)) ?? []) out(`${line}\n`);
      return exitCodeOf(report);
    } catch (error) {
      if (error instanceof VerifyConfigError) throw new UsageError(error.messageFor((option) => FLAGS[option]));
      if (error instanceof PactSourceError) throw new UsageError(error.message);
      throw error;
    } finally {
      await broker?.dispose();
    }
  },
};
