/**
 * One run of `verify`: Pact verification of the contracts and the property-based conformance
 * checks against one server (the bundled reference provider when no base URL is given),
 * gathered into a RunReport. The CLI renders it; `--report` writes it.
 */
import { createStreamPath } from "../contract/paths.js";
import { startReferenceProvider, type ReferenceProvider } from "../provider/index.js";
import type { CheckOutcome, RunReport } from "../report/types.js";
import { redact, registerSecret, urlForMessage } from "../secrets.js";
import { CALLBACK_CHECK_NAMES, checkCallbacks } from "./callbacks.js";
import { runConformanceCheck, type CheckEnv, type CheckResult } from "./check.js";
import { CONFORMANCE_CHECKS } from "./checks/index.js";
import { apiKeyOf, type Credentials, redactionOf } from "./credentials.js";
import { diagnose, type Diagnosis, type FailedCheck } from "./diagnose.js";
import { ConnectionError, createHttpClient } from "./http.js";
import { pactEngineMissing, verifyPacts } from "./pact.js";
import { bareRequest } from "./requests.js";
import { createStatesClient } from "./states.js";
import { isApiKeySid } from "../validators/sid.js";

/** Options of `runVerify` (the CLI's flags). */
export interface VerifyOptions {
  /** The server to check; without it the reference provider is started in-process. */
  readonly baseUrl?: string;
  readonly accountSid?: string;
  readonly authToken?: string;
  /** An API key of the account (`SK…`) and its secret: Basic credentials Twilio takes as well as the auth token. */
  readonly apiKeySid?: string;
  readonly apiKeySecret?: string;
  /** The Pact provider-state endpoint; without it, checks that need a state are skipped. */
  readonly statesUrl?: string;
  /** Random samples per conformance check (default 50), after its coverage examples (src/verify/coverage.ts). */
  readonly runs?: number;
  /** fast-check seed (default: random, printed). */
  readonly seed?: number;
  /** Deadline of every request, in milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Fails answers slower than this, in milliseconds. */
  readonly maxResponseTimeMs?: number;
  /**
   * Deadline of the whole run, in milliseconds (default 15 minutes): past it, the checks still
   * to run are skipped, the running ones stop after their current sample, the Pact verifier is
   * stopped, and the report says so (`runError`: exit 2).
   */
  readonly maxDurationMs?: number;
  /** Pact files or directories (default: the package's contracts/). */
  readonly pactPaths?: readonly string[];
  /** Skip the Pact verification (only the conformance checks). */
  readonly skipPact?: boolean;
  /** Run only the conformance checks whose name contains this text. */
  readonly only?: string;
  /** fast-check replay path of a reported counterexample (with `seed` and `only`). */
  readonly replayPath?: string;
  /**
   * Apply the client-side strictness to the server: every invalid request must be refused,
   * unknown and misspelt fields included (default false: only what Twilio refuses, see
   * src/verify/server-rules.ts).
   */
  readonly strict?: boolean;
  /** Conformance checks run at the same time (default 4). */
  readonly concurrency?: number;
  /** Progress lines (the CLI writes them to stderr). */
  readonly onProgress?: (line: string) => void;
  /** Also check the server's status callbacks (src/verify/callbacks.ts); needs a states URL. */
  readonly callbacks?: boolean;
  /** How long to wait for a status callback (default 5000 ms). */
  readonly callbackWaitMs?: number;
}

/** A run of verify: the RunReport and what verify adds to it. */
export interface VerifyReport extends RunReport {
  readonly tool: "verify";
  /** The fast-check seed of the conformance checks. */
  readonly seed: number;
  /** Random samples per conformance check, after its coverage examples. */
  readonly runs: number;
  /**
   * The coverage phase: deterministic examples the checks ran before their random samples, all
   * checks together (src/verify/coverage.ts). Optional: check-status-callback's summary has none.
   */
  readonly coverageExamples?: number;
  /** Requests whose answers were checked (state changes and the Pact verifier's not counted). */
  readonly checkedRequests: number;
  /** Things the reader should know first (reference provider used, checks skipped …). */
  readonly notices: readonly string[];
  /** Probable misconfigurations behind most failures. */
  readonly diagnoses: readonly Diagnosis[];
  /** The server could not be reached, or the Pact verifier could not run: exit 2. */
  readonly runError?: string;
}

/** How a message names an option: `runVerify`'s callers by the option, the CLI by its flag. */
type OptionNamer = (option: keyof VerifyOptions) => string;

/**
 * The options do not make a run (missing credentials, bad URL): a usage error. Its message names
 * the options as `runVerify` takes them (`timeoutMs must be …`); `messageFor` names them another
 * way (the CLI: by its flags, `--timeout must be …`).
 */
export class VerifyConfigError extends Error {
  override readonly name = "VerifyConfigError";
  /** The options the message is about. */
  readonly options: readonly (keyof VerifyOptions)[];
  constructor(private readonly render: (name: OptionNamer) => string) {
    const options: (keyof VerifyOptions)[] = [];
    super(render((option) => (options.push(option), option)));
    this.options = options;
  }
  /** The message with each option named by `name`. */
  messageFor(name: OptionNamer): string {
    return this.render(name);
  }
}

const DEFAULTS = { runs: 50, timeoutMs: 10_000, concurrency: 4, maxDurationMs: 15 * 60_000 } as const;

/** The longest delay a Node timer takes (2³¹−1 ms); a longer one fires at once. */
const TIMER_MAX_MS = 2 ** 31 - 1;

/** fast-check's replay path: sample indexes joined by `:` (e.g. `12:0:3`). */
const REPLAY_PATH = /^\d{1,9}(?::\d{1,9})*$/;

function parseUrl(text: string, option: "baseUrl" | "statesUrl"): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VerifyConfigError(
      (n) => `${n(option)} must be an absolute http:// or https:// URL, got ${JSON.stringify(urlForMessage(text))}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new VerifyConfigError((n) => `${n(option)} must be an http:// or https:// URL, got ${url.protocol}`);
  if (url.username !== "" || url.password !== "")
    throw new VerifyConfigError((n) => `${n(option)} must not carry credentials: use ${n("accountSid")} and ${n("authToken")}`);
  return url;
}

/** Runs verify: Pact verification and conformance checks; never throws for a broken server. */
export async function runVerify(options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const runs = options.runs ?? DEFAULTS.runs;
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxDurationMs = options.maxDurationMs ?? DEFAULTS.maxDurationMs;
  if (!Number.isInteger(runs) || runs < 1) throw new VerifyConfigError((n) => `${n("runs")} must be a whole number ≥ 1`);
  for (const [option, value] of [
    ["timeoutMs", timeoutMs],
    ["maxResponseTimeMs", options.maxResponseTimeMs ?? 1],
    ["maxDurationMs", maxDurationMs],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > TIMER_MAX_MS)
      throw new VerifyConfigError((n) => `${n(option)} must be a whole number of milliseconds from 1 to ${TIMER_MAX_MS}`);
  }
  if (options.replayPath !== undefined && !REPLAY_PATH.test(options.replayPath)) {
    throw new VerifyConfigError(
      (n) =>
        `${n("replayPath")} must be a path as a failure report prints it (numbers joined by ":", e.g. 12:0:3), got ${JSON.stringify(options.replayPath)}`,
    );
  }

  if ((options.apiKeySid ?? "") === "" ? (options.apiKeySecret ?? "") !== "" : (options.apiKeySecret ?? "") === "") {
    throw new VerifyConfigError((n) => `${n("apiKeySid")} and ${n("apiKeySecret")} go together: give both or neither`);
  }
  if ((options.apiKeySid ?? "") !== "" && !isApiKeySid(options.apiKeySid))
    throw new VerifyConfigError(
      // Not echoed: a secret given in its place would be printed.
      (n) =>
        `${n("apiKeySid")} must be an API key SID (SK and 32 hexadecimal digits), got ${String(options.apiKeySid).length} characters that are not one`,
    );
  // The Pact engine is an optional peer dependency: missing, it is a usage error before any work.
  if (options.skipPact !== true && pactEngineMissing("skipPact") !== undefined)
    throw new VerifyConfigError((n) => pactEngineMissing(n("skipPact")) ?? "");

  const notices: string[] = [];
  let provider: ReferenceProvider | undefined;
  let baseUrl: URL;
  let statesUrl: URL | undefined;
  let credentials: Credentials;
  if (options.baseUrl === undefined) {
    if (options.statesUrl !== undefined)
      throw new VerifyConfigError(
        (n) => `${n("statesUrl")} needs ${n("baseUrl")} (without it, verify checks the bundled reference provider with its own states URL)`,
      );
    const apiKey = apiKeyOf(options);
    provider = await startReferenceProvider({
      seed,
      ...(options.callbacks ? { statusCallbacks: {} } : {}),
      ...(options.accountSid === undefined ? {} : { accountSid: options.accountSid }),
      ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
      ...(apiKey === undefined ? {} : { apiKeySid: apiKey.user, apiKeySecret: apiKey.password }),
    });
    baseUrl = new URL(provider.baseUrl);
    statesUrl = new URL(provider.statesUrl);
    credentials = {
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      apiKeySid: apiKey?.user,
      apiKeySecret: apiKey?.password,
    };
    notices.push(`no --base-url: checking the bundled reference provider at ${provider.baseUrl}`);
  } else {
    baseUrl = parseUrl(options.baseUrl, "baseUrl");
    statesUrl = options.statesUrl === undefined ? undefined : parseUrl(options.statesUrl, "statesUrl");
    if (
      options.accountSid === undefined ||
      options.accountSid === "" ||
      ((options.authToken ?? "") === "" && apiKeyOf(options) === undefined)
    ) {
      throw new VerifyConfigError(
        (n) =>
          `verify needs the server's credentials: ${n("accountSid")} and ${n("authToken")} or ${n("apiKeySid")} and ${n("apiKeySecret")}`,
      );
    }
    if (options.callbacks === true && (options.authToken ?? "") === "") {
      throw new VerifyConfigError(
        (n) =>
          `${n("callbacks")} checks X-Twilio-Signature, which Twilio computes with the account's auth token: give ${n("authToken")} too`,
      );
    }
    credentials = {
      accountSid: options.accountSid,
      authToken: options.authToken,
      apiKeySid: options.apiKeySid,
      apiKeySecret: options.apiKeySecret,
    };
    if (statesUrl === undefined) notices.push("no --states-url: checks that need a call or Stream set up on the server are skipped");
  }
  const redaction = redactionOf(credentials);
  // Every sink masks them from now on: the auth token and the API key secret.
  for (const secret of redaction.secrets) registerSecret(secret, redaction.users);
  const target = baseUrl.toString().replace(/\/+$/, "");
  const clean = (text: string) => redact(text, redaction.secrets, redaction.users);

  const http = createHttpClient(baseUrl, timeoutMs);
  const statesHttp = statesUrl === undefined ? undefined : createHttpClient(new URL(statesUrl.origin), timeoutMs);
  const env: CheckEnv = {
    http,
    credentials,
    states: statesUrl === undefined || statesHttp === undefined ? undefined : createStatesClient(statesUrl, statesHttp),
    maxResponseTimeMs: options.maxResponseTimeMs,
    strict: options.strict ?? false,
    seenStreamSids: new Set(),
    counters: { checkedRequests: 0, calls: 0, coverageExamples: 0 },
    unreached: () => {},
  };
  const report = (outcomes: readonly CheckOutcome[], diagnoses: readonly Diagnosis[], runError?: string): VerifyReport => ({
    tool: "verify",
    target,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes,
    seed,
    runs,
    coverageExamples: env.counters.coverageExamples,
    checkedRequests: env.counters.checkedRequests,
    notices,
    diagnoses,
    ...(runError === undefined ? {} : { runError: clean(runError) }),
  });

  let overtime = false;
  let overtimeTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    // One request first: a server that is not there is a usage error, not a hundred failures.
    progress(`verify: checking ${target} (seed ${seed}; each check: its coverage examples, then ${runs} random samples)`);
    try {
      await http.send(bareRequest(credentials, "GET", createStreamPath(credentials.accountSid, "CA00000000000000000000000000000000")));
    } catch (error) {
      if (error instanceof ConnectionError) return report([], [], error.message);
      throw error;
    }

    const named = CONFORMANCE_CHECKS.filter((check) => options.only === undefined || check.name.includes(options.only));
    const callbackChecks =
      options.callbacks === true && (options.only === undefined || CALLBACK_CHECK_NAMES.some((name) => name.includes(options.only!)));
    if (named.length === 0 && !callbackChecks)
      throw new VerifyConfigError((n) => `no conformance check is named like ${JSON.stringify(options.only)} (${n("only")})`);
    const checks = named.filter((check) => check.enabled?.(env) ?? true);
    const stopPact = new AbortController();
    const deadline = started + maxDurationMs;
    overtimeTimer = setTimeout(
      () => {
        overtime = true;
        stopPact.abort();
      },
      Math.max(0, deadline - Date.now()),
    );
    const pact = options.skipPact
      ? undefined
      : verifyPacts({
          providerBaseUrl: target,
          credentials,
          timeoutMs,
          signal: stopPact.signal,
          ...(options.pactPaths === undefined ? {} : { pactPaths: options.pactPaths }),
          ...(statesUrl === undefined ? {} : { statesUrl: statesUrl.toString() }),
        }).then((result) => {
          progress(
            `verify: Pact verification: ${result.outcomes.filter((o) => o.status === "passed").length}/${result.outcomes.length} interactions passed`,
          );
          return result;
        });
    // Awaited after the checks; marked handled now so that an early rejection (unreadable
    // pacts) is not an unhandled one meanwhile.
    pact?.catch(() => undefined);

    const results: CheckResult[] = new Array(checks.length);
    let next = 0;
    let dead: ConnectionError | undefined;
    const worker = async () => {
      while (next < checks.length && dead === undefined) {
        const index = next++;
        const check = checks[index]!;
        if (overtime) {
          results[index] = {
            outcome: {
              name: `conformance › ${check.name}`,
              group: "conformance",
              status: "skipped",
              durationMs: 0,
              message: "not run: --max-duration reached",
              failures: [],
            },
          };
          continue;
        }
        const result = await runConformanceCheck(check, env, {
          numRuns: runs,
          seed,
          replayPath: options.replayPath,
          timeLimitMs: Math.max(1, deadline - Date.now()),
        });
        results[index] = result;
        dead ??= result.connectionError;
        if (dead !== undefined) stopPact.abort(); // the verifier would only wait for the same dead server
        progress(
          `verify: ${result.outcome.status === "passed" ? "ok  " : result.outcome.status === "skipped" ? "skip" : "FAIL"} ${result.outcome.name}${result.outcome.status === "skipped" ? ` (${result.outcome.message})` : ""}`,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DEFAULTS.concurrency, checks.length) }, worker));
    const pactResult = await pact;
    const callbackOutcomes: CheckOutcome[] = [];
    if (callbackChecks && dead === undefined) {
      progress("verify: status callbacks: creating Streams whose StatusCallback is verify's own receiver on 127.0.0.1");
      const callSid = `CA${(seed >>> 0).toString(16).padStart(8, "0")}${"c".repeat(24)}`;
      for (const outcome of await checkCallbacks(env, {
        callSid,
        ...(options.callbackWaitMs === undefined ? {} : { waitMs: options.callbackWaitMs }),
      })) {
        if (options.only !== undefined && !outcome.name.includes(options.only)) continue;
        callbackOutcomes.push(outcome);
        progress(`verify: ${outcome.status === "passed" ? "ok  " : outcome.status === "skipped" ? "skip" : "FAIL"} ${outcome.name}`);
      }
    }

    const conformance = results.filter((r): r is CheckResult => r !== undefined);
    const outcomes = [...(pactResult?.outcomes ?? []), ...conformance.map((r) => r.outcome), ...callbackOutcomes];
    const failed: FailedCheck[] = [
      ...(pactResult?.failed ?? []),
      ...conformance
        .filter((r) => r.outcome.status === "failed")
        .map((r) => ({
          name: r.outcome.name,
          ...(r.failedStatus === undefined ? {} : { status: r.failedStatus }),
          stateError: r.stateError !== undefined,
        })),
    ];
    const runError =
      dead?.message ?? (overtime ? `stopped after --max-duration ${maxDurationMs} ms: this report is partial` : pactResult?.error);
    return report(outcomes, diagnose(failed, statesUrl?.toString()), runError);
  } finally {
    clearTimeout(overtimeTimer);
    http.close();
    statesHttp?.close();
    await provider?.close();
  }
}

/** 0 conformant, 1 contract violations, 2 the run could not be done. */
export function exitCodeOf(report: Pick<VerifyReport, "runError" | "outcomes">): 0 | 1 | 2 {
  if (report.runError !== undefined) return 2;
  return report.outcomes.some((o) => o.status === "failed") ? 1 : 0;
}
