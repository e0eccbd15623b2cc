/**
 * `runVerify`'s options checked and completed with their defaults: a VerifyConfigError (a usage
 * error) for any that does not make a run, before any work.
 */
import { randomSeed } from "../runner/outcome.js";
import { isApiKeySid } from "../validators/sid.js";
import { pactEngineMissing } from "./pact.js";

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

/** The options a run uses, defaults filled in. */
export interface VerifySettings {
  readonly runs: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly maxDurationMs: number;
  readonly concurrency: number;
  readonly pactPaths: readonly string[] | undefined;
}

/** Checks the options that need no server, and fills in the defaults. */
export function settingsOf(options: VerifyOptions): VerifySettings {
  const runs = options.runs ?? DEFAULTS.runs;
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
  checkApiKey(options);
  // The Pact engine is an optional peer dependency: missing, it is a usage error before any work.
  if (options.skipPact !== true && pactEngineMissing("skipPact") !== undefined)
    throw new VerifyConfigError((n) => pactEngineMissing(n("skipPact")) ?? "");
  return {
    runs,
    seed: options.seed ?? randomSeed(),
    timeoutMs,
    maxDurationMs,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
    pactPaths: options.pactPaths,
  };
}

/** An API key SID and its secret go together, and the SID is one. */
function checkApiKey(options: VerifyOptions): void {
  if ((options.apiKeySid ?? "") === "" ? (options.apiKeySecret ?? "") !== "" : (options.apiKeySecret ?? "") === "") {
    throw new VerifyConfigError((n) => `${n("apiKeySid")} and ${n("apiKeySecret")} go together: give both or neither`);
  }
  if ((options.apiKeySid ?? "") !== "" && !isApiKeySid(options.apiKeySid))
    throw new VerifyConfigError(
      // Not echoed: a secret given in its place would be printed.
      (n) =>
        `${n("apiKeySid")} must be an API key SID (SK and 32 hexadecimal digits), got ${String(options.apiKeySid).length} characters that are not one`,
    );
}
