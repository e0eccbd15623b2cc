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
  /** check-media-server's real-time calls, each with its timeline. */
  readonly calls?: readonly ReportedCall[];
}

/** A real-time call as the reports show it (check-media-server's CallSummary). */
export interface ReportedCall {
  /** `call 1.2`. */
  readonly name: string;
  readonly durationMs: number;
  readonly failed: boolean;
  /** The call's metrics in one line. */
  readonly measured: string;
  readonly error?: string;
  readonly issues: readonly { readonly rule: string; readonly message: string; readonly atMs: number }[];
  /** The files of a failing call's evidence (--artifacts). */
  readonly evidence?: { readonly trace: string; readonly recording: string };
  readonly timeline?: CallTimeline;
}

/**
 * What happened in a call, on one time axis (ms since the dial): both sides' audio as peaks,
 * the messages and the measured latencies as events (src/call/timeline.ts builds it).
 */
export interface CallTimeline {
  readonly durationMs: number;
  /** The waveforms' bucket: each character of `said` and `heard` is one bucket, from 0 ms. */
  readonly bucketMs: number;
  /**
   * The loudest sample of each bucket, 0–63 of full scale, one character each of
   * `A–Z a–z 0–9 - _` (base64url's digits): the caller's audio, and what the caller heard
   * through Twilio's playback model.
   */
  readonly said: string;
  readonly heard: string;
  /** In time order; at most a few hundred (`eventsLeftOut` counts the rest). */
  readonly events: readonly TimelineEvent[];
  readonly eventsLeftOut: number;
  /**
   * Both sides as μ-law 8000 Hz, base64, from 0 ms (cut at `cutAtMs` when longer) — for the
   * HTML page only (absent from the JSON report); or why it is not embedded.
   */
  readonly audio?: { readonly said: string; readonly heard: string; readonly cutAtMs?: number } | { readonly leftOut: string };
}

/** One thing on a call's time axis. */
export interface TimelineEvent {
  readonly kind: TimelineEventKind;
  /** When, in ms since the dial; a span or a measure ends at `toMs`. */
  readonly atMs: number;
  readonly toMs?: number;
  /** What it was, in words (a mark's name, a key, a latency). */
  readonly label: string;
}

type TimelineEventKind =
  /** The caller speaks; `barge-in`: over the server's audio. */
  | "speech"
  | "barge-in"
  /** The server's audio: consecutive media messages, from the first to the last received. */
  | "media"
  /** A mark the server sent, to its echo by Twilio (no toMs: never echoed). */
  | "mark"
  | "clear"
  /** Another message of the server's (its event), or a frame that was not one. */
  | "message"
  /** Twilio's messages: start, a key pressed, stop. */
  | "start"
  | "dtmf"
  | "stop"
  /** Measured: the caller's last word to the server's first audio; the barge-in to the clear. */
  | "first-audio"
  | "clear-latency";

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
