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
  /** Which parts of the contract the run exercised (check-client, mock, check-media-server). */
  readonly coverage?: Coverage;
}

/** One part of the contract and how often the run exercised it (0: not at all). */
interface CoveredPart {
  /** Stable id, as `--require` takes it. */
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  readonly count: number;
}

/** What a run exercised of a contract: every part that counts, and the share exercised. */
export interface Coverage {
  /** What the parts are parts of, e.g. `the Streams REST contract, as a client uses it`. */
  readonly of: string;
  readonly parts: readonly CoveredPart[];
  /** Parts exercised at least once. */
  readonly exercised: number;
  /** Rounded down to a tenth, so that 100 means every part. */
  readonly percent: number;
  /** The denominator in words: how many parts, of which kinds, and what is left out. */
  readonly denominator: string;
}
