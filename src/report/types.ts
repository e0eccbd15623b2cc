/**
 * The result of a run of `verify`, `check-client` or `mock`, as data: the console summary,
 * `--report junit:<path>` and `--report json:<path>` are all rendered from it. Everything in it
 * has been through `redact` (src/secrets.ts) before it gets here.
 */

/** One way a check failed. */
export interface CheckFailure {
  /** One line: what went wrong. */
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  /** The request as a copy-pasteable curl command, credentials masked. */
  readonly curl?: string;
  /** fast-check's seed and path, to replay the (shrunk) counterexample. */
  readonly seed?: number;
  readonly replayPath?: string;
  readonly counterexample?: unknown;
}

/** One named check and what came of it. */
export interface CheckOutcome {
  /** e.g. `conformance › create: valid requests are accepted`. */
  readonly name: string;
  /** e.g. `pact`, `conformance`, `client`. */
  readonly group: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly durationMs: number;
  /** Why it was skipped, or a summary of the failures. */
  readonly message?: string;
  readonly failures: readonly CheckFailure[];
}

/** A whole run. */
export interface RunReport {
  readonly tool: "verify" | "check-client" | "mock" | "check-status-callback" | "check-media-server";
  /** What was checked, e.g. the base URL (no credentials). */
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcomes: readonly CheckOutcome[];
  /** Things the reader should know first (defaults used, checks skipped, probable misconfiguration). */
  readonly notices?: readonly string[];
  /** Why the run could not finish (server unreachable, verifier failed): its outcomes are incomplete. */
  readonly runError?: string;
}
