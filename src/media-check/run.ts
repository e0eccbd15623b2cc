/**
 * One run of `check-media-server`: the checks of src/media-check/checks.ts, each a fast-check
 * property over generated sessions played to the user's WebSocket server, gathered into a
 * RunReport (console summary, JUnit, JSON). A failing session is shrunk, and the outcome carries
 * the seed and path to replay it.
 */
import fc from "fast-check";
import { field, isObject } from "../lib/json.js";
import type { CheckFailure, CheckOutcome, Coverage, RunReport } from "../report/types.js";
import { redact, urlForMessage } from "../secrets.js";
import { signTwilioRequest } from "../signature/twilio-signature.js";
import { dialTarget } from "../dialer/target.js";
import type { Scenario } from "../call/scenario.js";
import { CALL_CHECKS, type CallsOptions, type CallSummary, runCalls } from "./calls.js";
import { type MediaCheck, MEDIA_CHECKS, type MediaCheckMode } from "./checks.js";
import { mediaCoverage } from "./coverage.js";
import { type DialSettings, type Finding, MediaConnectionError, playSession, type PlaySettings, refusesUpgrade, upgrade } from "./play.js";
import { sessionsToPlay } from "./sessions.js";

/** Options of `runMediaServerCheck` (the CLI's flags). */
export interface MediaServerCheckOptions {
  /** `wss://…`, or `ws://` to a loopback host. */
  readonly url: string;
  /** The account's auth token: every upgrade is signed with it. */
  readonly authToken: string;
  /** The URL to sign, when the server sees another than `url` (a proxy); default: `url` as `wss://`. */
  readonly signedUrl?: string;
  readonly bidirectional?: boolean;
  readonly expectSignatureCheck?: boolean;
  readonly expectBargeIn?: boolean;
  /** Sessions per check (default 25). */
  readonly runs?: number;
  /** fast-check seed (default: random, printed). */
  readonly seed?: number;
  /** Only the checks whose name contains this. */
  readonly only?: string;
  /** fast-check path of a reported counterexample (with `seed` and `only`). */
  readonly replayPath?: string;
  /** Deadline of each handshake and wait, in ms (default 5000). */
  readonly timeoutMs?: number;
  /** A CA to trust for wss:// (beside NODE_EXTRA_CA_CERTS). */
  readonly ca?: Buffer;
  readonly onProgress?: (line: string) => void;
  /** Real-time calls at once, in each of two rounds, after the sessions (default 2; 0: none). */
  readonly calls?: number;
  /** Requirements on the calls (docs/calls.md): each turn's first audio, the clear after a barge-in, audio queued ahead. */
  readonly maxFirstAudioMs?: number;
  readonly maxClearMs?: number;
  readonly maxAheadMs?: number;
  /** Where the evidence of failing calls is written. */
  readonly artifacts?: string;
  /** The call to play instead of the bundled conversation. */
  readonly scenario?: Scenario;
  /** Seeded impairments of the calls (with the run's seed): caller frames lost (%), jitter (ms). */
  readonly lossPercent?: number;
  readonly jitterMs?: number;
  /** An earlier run's calls to compare the metrics with. */
  readonly baseline?: CallsOptions["baseline"];
}

/** A run of check-media-server. */
export interface MediaCheckReport extends RunReport {
  readonly tool: "check-media-server";
  readonly seed: number;
  readonly runs: number;
  /** Sessions played and upgrades sent. */
  readonly sessions: number;
  readonly notices: readonly string[];
  readonly coverage: Coverage;
  /** The real-time calls played, with their metrics. */
  readonly calls?: readonly CallSummary[];
}

/** The options do not make a run (bad URL, no token): a usage error. */
export class MediaCheckConfigError extends Error {
  override readonly name = "MediaCheckConfigError";
}

const GROUP = "media";
const DEFAULTS = { runs: 25, timeoutMs: 5000, calls: 2 } as const;
/** How long one check may take, generation and shrinking together. */
const CHECK_TIME_BUDGET_MS = 60_000;

/** A finding as the error a property throws: fast-check shrinks the session that caused it. */
class FindingError extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

/** The target and signing settings of a run; a config error for a URL it must not dial. */
function dialSettings(options: MediaServerCheckOptions): DialSettings {
  let protocol: string;
  try {
    protocol = new URL(options.url).protocol;
  } catch {
    throw new MediaCheckConfigError(
      `--url must be an absolute wss:// URL (or ws:// to a loopback host), got ${JSON.stringify(urlForMessage(options.url))}`,
    );
  }
  // The user named this server: any host is allowed; plain ws:// only to loopback (dialTarget).
  const target = dialTarget(options.url, { allowRemoteHosts: true, plainLoopback: protocol === "ws:" });
  if ("refused" in target) throw new MediaCheckConfigError(`--url ${urlForMessage(options.url)}: ${target.refused}`);
  if (options.authToken === "")
    throw new MediaCheckConfigError("check-media-server needs the account's auth token: --auth-token or TWILIO_AUTH_TOKEN");
  const signedUrl = options.signedUrl ?? target.signedUrl;
  return {
    target: { ...target, signedUrl },
    authToken: options.authToken,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
}

/** Wrong signatures a server must refuse: random bytes, another token's, none at all. */
function wrongSignatures(
  signedUrl: string,
  authToken: string,
): fc.Arbitrary<{ readonly kind: string; readonly signature: string | undefined }> {
  return fc.oneof(
    fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => ({ kind: "random", signature: Buffer.from(bytes).toString("base64") })),
    fc
      .string({ minLength: 8, maxLength: 32 })
      .filter((token) => token !== authToken)
      .map((token) => ({ kind: "another token's", signature: signTwilioRequest(signedUrl, undefined, token) })),
    fc.constant({ kind: "no header", signature: undefined }),
  );
}

/** Payloads shown by length: a counterexample stays readable. */
function compact(messages: readonly unknown[]): unknown[] {
  return messages.map((m) => {
    const media = field(m, "media");
    const payload = field(media, "payload");
    if (typeof payload !== "string" || !isObject(m) || !isObject(media)) return m;
    return { ...m, media: { ...media, payload: `<${Buffer.byteLength(payload, "base64")} bytes>` } };
  });
}

/** One check's property over `arbitrary`, run by fast-check with the run's seed, budget and replay path. */
function checkProperty<T>(arbitrary: fc.Arbitrary<T>, run: RunSettings, body: (sample: T) => Promise<void>): Promise<fc.RunDetails<[T]>> {
  return fc.check(fc.asyncProperty(arbitrary, body), {
    numRuns: run.runs,
    seed: run.seed,
    interruptAfterTimeLimit: CHECK_TIME_BUDGET_MS,
    markInterruptAsFailure: false,
    ...(run.replayPath === undefined ? {} : { path: run.replayPath, endOnFailure: true }),
  });
}

/** Runs check-media-server; never throws for a broken server. */
export async function runMediaServerCheck(options: MediaServerCheckOptions): Promise<MediaCheckReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const runs = options.runs ?? DEFAULTS.runs;
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  if (!Number.isInteger(runs) || runs < 1) throw new MediaCheckConfigError("--runs must be a whole number ≥ 1");
  const settings = dialSettings(options);
  const mode: MediaCheckMode = {
    bidirectional: options.bidirectional === true,
    expectSignatureCheck: options.expectSignatureCheck === true,
    expectBargeIn: options.expectBargeIn === true,
  };
  const play: PlaySettings = { ...settings, bidirectional: mode.bidirectional, expectBargeIn: mode.expectBargeIn };
  const clean = (text: string) => redact(text, [options.authToken]);
  const notices: string[] = [];
  if (options.signedUrl !== undefined) notices.push(`signing upgrades over ${options.signedUrl}`);
  if (!mode.expectSignatureCheck)
    notices.push("upgrades with a wrong signature are not tried: add --expect-signature-check to check that the server refuses them");
  const named = MEDIA_CHECKS.filter((check) => options.only === undefined || check.name.includes(options.only));
  const callsAtOnce = options.calls ?? DEFAULTS.calls;
  const playCalls =
    callsAtOnce > 0 && (options.only === undefined || Object.values(CALL_CHECKS).some((name) => name.includes(options.only!)));
  if (named.length === 0 && !playCalls) throw new MediaCheckConfigError(`no check is named like ${JSON.stringify(options.only)}`);
  const checks = named.filter((check) => check.applies(mode));
  let sessions = 0;
  const exercised = new Map<string, number>();
  let calls: readonly CallSummary[] | undefined;
  const report = (outcomes: readonly CheckOutcome[], runError?: string): MediaCheckReport => ({
    tool: "check-media-server",
    target: settings.target.connectUrl,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes,
    seed,
    runs,
    sessions,
    notices,
    coverage: mediaCoverage(mode, exercised, exercised.get("session") ?? 0),
    ...(calls === undefined ? {} : { calls }),
    ...(runError === undefined ? {} : { runError: clean(runError) }),
  });

  progress(
    `check-media-server: ${settings.target.connectUrl} (${mode.bidirectional ? "bidirectional" : "unidirectional"}, seed ${seed}, ${runs} sessions per check)`,
  );
  // One upgrade first: a server that is not there is a usage error, not a list of failures.
  try {
    sessions++;
    const probe = await upgrade(settings, "twilio");
    if (probe.accepted) probe.socket.terminate();
  } catch (error) {
    if (error instanceof MediaConnectionError) return report([], `${error.message} (Twilio: ${error.code})`);
    throw error;
  }

  const outcomes: CheckOutcome[] = [];
  for (const check of checks) {
    const result = await runCheck(check, settings, play, { runs, seed, replayPath: options.replayPath, exercised }, () => sessions++);
    if (result.connectionError !== undefined) {
      outcomes.push(result.outcome);
      return report(outcomes, result.connectionError.message);
    }
    const outcome = {
      ...result.outcome,
      message: result.outcome.message === undefined ? undefined : clean(result.outcome.message),
      failures: result.outcome.failures.map((f) => ({ ...f, message: clean(f.message) })),
    };
    outcomes.push(outcome);
    progress(`check-media-server: ${{ passed: "ok  ", skipped: "skip", failed: "FAIL" }[outcome.status]} ${outcome.name}`);
  }
  if (playCalls) {
    const { maxFirstAudioMs, maxAheadMs, artifacts, scenario, lossPercent, jitterMs, baseline } = options;
    const impaired = lossPercent !== undefined || jitterMs !== undefined;
    if (impaired)
      notices.push(
        `calls impaired, seeded with ${seed}: ${lossPercent ?? 0} % of the caller's frames lost (a timestamp gap), up to ${jitterMs ?? 0} ms of jitter`,
      );
    // Not --expect-barge-in: it promises a clear on a key press; speech is asked for by --max-clear-ms.
    const maxClearMs = options.maxClearMs;
    const phase = await runCalls(
      settings,
      {
        atOnce: callsAtOnce,
        bidirectional: mode.bidirectional,
        ...(maxFirstAudioMs === undefined ? {} : { maxFirstAudioMs }),
        ...(maxClearMs === undefined ? {} : { maxClearMs }),
        ...(maxAheadMs === undefined ? {} : { maxAheadMs }),
        ...(artifacts === undefined ? {} : { artifacts }),
        ...(scenario === undefined ? {} : { scenario }),
        ...(baseline === undefined ? {} : { baseline }),
        ...(impaired
          ? {
              impairments: {
                seed,
                ...(lossPercent === undefined ? {} : { lossPercent }),
                ...(jitterMs === undefined ? {} : { jitterMs }),
              },
            }
          : {}),
      },
      clean,
      progress,
    );
    calls = phase.calls;
    for (const outcome of phase.outcomes) {
      outcomes.push(outcome);
      progress(`check-media-server: ${{ passed: "ok  ", skipped: "skip", failed: "FAIL" }[outcome.status]} ${outcome.name}`);
    }
  }
  return report(outcomes);
}

interface RunSettings {
  readonly runs: number;
  readonly seed: number;
  readonly replayPath: string | undefined;
  /** Where the sessions' protocol parts are counted (contract coverage), and `session` once a session. */
  readonly exercised: Map<string, number>;
}

/** One check as a fast-check property. */
async function runCheck(
  check: MediaCheck,
  settings: DialSettings,
  play: PlaySettings,
  run: RunSettings,
  counted: () => void,
): Promise<{ outcome: CheckOutcome; connectionError?: MediaConnectionError }> {
  const name = `${GROUP} › ${check.name}`;
  const begun = performance.now();
  // Set when the server could no longer be reached: every later sample passes at once, so that
  // fast-check stops instead of retrying a dead server.
  let dead: MediaConnectionError | undefined;
  let seen = 0;
  const guard = async (body: () => Promise<void>) => {
    if (dead !== undefined) return;
    counted();
    try {
      await body();
    } catch (error) {
      if (error instanceof MediaConnectionError) dead = error;
      else throw error;
    }
  };
  const details =
    check.sample === "wrong signature"
      ? await checkProperty(wrongSignatures(settings.target.signedUrl, settings.authToken), run, (wrong) =>
          guard(async () => {
            if (await refusesUpgrade(settings, wrong.signature)) return;
            throw new FindingError({
              rule: "upgrade",
              message: `the server accepted an upgrade with a wrong signature (${wrong.kind})`,
              expected: "a refusal (e.g. HTTP 403, or a close with 1008 before any message)",
              actual: "101 Switching Protocols, and the socket stayed open",
            });
          }),
        )
      : await checkProperty(sessionsToPlay(play.bidirectional, check.sample === "session with a key press during audio"), run, (messages) =>
          guard(async () => {
            const played = await playSession(messages, play);
            for (const [part, n] of [...played.exercised, ["session", 1] as const])
              run.exercised.set(part, (run.exercised.get(part) ?? 0) + n);
            if (check.evidence !== undefined) seen += played[check.evidence.of];
            const finding = played.findings.find((f) => f.rule === check.id);
            if (finding !== undefined) throw new FindingError(finding);
          }),
        );
  const durationMs = Math.round(performance.now() - begun);
  if (dead !== undefined) {
    return {
      outcome: {
        name,
        group: GROUP,
        status: "failed",
        durationMs,
        message: `connection failure: ${dead.message}`,
        failures: [{ message: `connection failure: ${dead.message}` }],
      },
      connectionError: dead,
    };
  }
  if (!details.failed && check.evidence !== undefined && seen === 0) {
    // No session showed what this check judges (the server sent nothing, no audio to interrupt): nothing was tested.
    return {
      outcome: { name, group: GROUP, status: "skipped", durationMs, message: check.evidence.unseen(details.numRuns), failures: [] },
    };
  }
  if (!details.failed) {
    const budget = details.interrupted ? `, stopped after ${CHECK_TIME_BUDGET_MS / 1000} s` : "";
    return {
      outcome: {
        name,
        group: GROUP,
        status: "passed",
        durationMs,
        message: `${details.numRuns} ${check.sample === "wrong signature" ? "upgrades" : "sessions"}${budget}`,
        failures: [],
      },
    };
  }
  const error = details.errorInstance;
  const finding = error instanceof FindingError ? error.finding : undefined;
  const sample: unknown = details.counterexample?.[0];
  const failure: CheckFailure = {
    message:
      finding === undefined
        ? `the check itself failed: ${error instanceof Error ? error.message : String(error)}`
        : `${check.code === undefined ? "" : `${check.code}: `}${finding.message}`,
    ...(finding === undefined ? {} : { expected: finding.expected, actual: finding.actual }),
    seed: details.seed,
    replayPath: details.counterexamplePath ?? undefined,
    counterexample: Array.isArray(sample) ? compact(sample) : sample,
  };
  return { outcome: { name, group: GROUP, status: "failed", durationMs, message: failure.message, failures: [failure] } };
}

/** 0 conformant, 1 protocol violations, 2 the run could not be done or tested nothing (every check skipped). */
export function mediaCheckExitCode(report: MediaCheckReport): 0 | 1 | 2 {
  if (report.runError !== undefined) return 2;
  if (report.outcomes.some((o) => o.status === "failed")) return 1;
  return report.outcomes.some((o) => o.status === "passed") ? 0 : 2;
}
