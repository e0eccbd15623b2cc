/**
 * verify's conformance checks as the runner (src/runner/) runs them: what they run against,
 * their AnswerIssue (with the exchange, shown as curl), and how verify words and masks outcomes.
 * A check is a fast-check property over the live server: it generates requests with the
 * project's arbitraries, sends them, and throws an `AnswerIssue` when the answer breaks the
 * contract; the runner shrinks the failing sample and reports it with its seed and replay path.
 */
import type { Check } from "../runner/check.js";
import { CheckIssue } from "../runner/check.js";
import type { RunSettings } from "../runner/run.js";
import { redact } from "../secrets.js";
import { type Credentials, redactionOf } from "./credentials.js";
import { coverageOf } from "./coverage.js";
import { renderCurl } from "./curl.js";
import { ConnectionError, type HttpClient, type HttpExchange } from "./http.js";
import { StateChangeError, type StatesClient } from "./states.js";

/** What the checks run against. */
export interface CheckEnv {
  readonly http: HttpClient;
  readonly credentials: Credentials;
  /** The provider-state endpoint, when one was given. */
  readonly states: StatesClient | undefined;
  /** `--max-response-time`, in milliseconds. */
  readonly maxResponseTimeMs: number | undefined;
  /**
   * `--strict`: every invalid request must be refused, as the client-side rules demand, instead
   * of what Twilio does (src/verify/server-rules.ts).
   */
  readonly strict: boolean;
  /** Every Stream SID the server has handed out in this run (a new Stream must not reuse one). */
  readonly seenStreamSids: Set<string>;
  /**
   * `checkedRequests`: requests whose answers were checked (state changes not counted);
   * `calls`: calls set up so far (each sample gets a call of its own, see checks/fixtures.ts);
   * `coverageExamples`: the coverage phase's examples run so far (src/verify/coverage.ts).
   */
  readonly counters: { checkedRequests: number; calls: number; coverageExamples: number };
}

/** An answer that breaks the contract: what was expected, what came, and the exchange. */
export class AnswerIssue extends CheckIssue {
  constructor(
    message: string,
    override readonly expected: string,
    override readonly actual: string,
    readonly exchange: HttpExchange | undefined,
  ) {
    super(message, expected, actual);
  }
}

/** One conformance check: a check of the runner, with the provider states it needs and its coverage keys. */
export interface ConformanceCheck<T = unknown> extends Check<CheckEnv, T> {
  /**
   * `required`: cannot run without a states URL (skipped with a notice);
   * `optional`: runs without one, but is stronger with it; `none`: never uses states.
   */
  readonly states: "required" | "optional" | "none";
  /**
   * The coverage keys of a sample: which kinds of input it stands for (a server rule and how the
   * field is broken, a kind of bad credentials …). Before its random samples the check sends,
   * for every key, the smallest sample of a fixed pool that has it (src/verify/coverage.ts).
   */
  readonly cover: (sample: T) => readonly string[];
}

/** A conformance check of the catalogue: states and coverage examples become the runner's skip and examples. */
export function conformanceCheck<T>(check: Omit<ConformanceCheck<T>, "skip" | "examples">): ConformanceCheck<T> {
  return {
    ...check,
    skip: (env) => (check.states === "required" && env.states === undefined ? "needs provider states: give --states-url" : undefined),
    examples: (env) => coverageOf(check, env),
  };
}

/** How verify runs its conformance checks: dead server, states, masking, the pass wording. */
export function conformanceSettings(
  env: CheckEnv,
  settings: Pick<RunSettings<CheckEnv>, "numRuns" | "seed" | "replayPath" | "timeLimit" | "onProgress" | "concurrency" | "deadline">,
): RunSettings<CheckEnv> {
  const { secrets, users } = redactionOf(env.credentials);
  return {
    ...settings,
    group: "conformance",
    progressPrefix: "verify",
    redact: (text) => redact(text, secrets, users),
    stopOf: (error) =>
      error instanceof ConnectionError
        ? { message: `connection failure: ${error.message}`, dead: true }
        : error instanceof StateChangeError
          ? { message: `provider state not set up: ${error.message}`, dead: false }
          : undefined,
    curl: (issue) =>
      issue instanceof AnswerIssue && issue.exchange !== undefined
        ? renderCurl(env.http.baseUrl, issue.exchange.request, env.credentials)
        : undefined,
    passMessage: (_check, covered, random, note) =>
      `${covered} coverage example${covered === 1 ? "" : "s"}, ${random} random sample${random === 1 ? "" : "s"}${note}`,
  };
}
