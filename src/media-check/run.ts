/**
 * One run of `check-media-server`: the checks of src/media-check/checks.ts, each a fast-check
 * property over generated sessions played to the user's WebSocket server, gathered into a
 * RunReport (console summary, JUnit, JSON). A failing session is shrunk, and the outcome carries
 * the seed and path to replay it.
 */
import fc from "fast-check";
import { field, isObject } from "../lib/json.js";
import type { CheckOutcome, Coverage, RunReport } from "../report/types.js";
import { type Check, erase, CheckIssue } from "../runner/check.js";
import { CHECK_TIME_BUDGET_MS, exitCodeOf, randomSeed } from "../runner/outcome.js";
import { runChecks } from "../runner/run.js";
import { redact, urlForMessage } from "../secrets.js";
import { signTwilioRequest } from "../signature/twilio-signature.js";
import { dialTarget } from "../dialer/target.js";
import type { Scenario } from "../call/scenario.js";
import { CALL_CHECKS } from "./call-checks.js";
import { type CallsOptions, type CallSummary, runCalls } from "./calls.js";
import { type MediaCheck, MEDIA_CHECKS, type MediaCheckMode } from "./checks.js";
import type { TwilioStreamMessage } from "../validators/generated/types.js";
import { mediaCoverage } from "./coverage.js";
import { type DialSettings, MediaConnectionError, playSession, type PlaySettings, refusesUpgrade, upgrade } from "./play.js";
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
  /** Seeded impairments of the calls (with the run's seed): caller frames lost (%), jitter (ms), a slow reader (reads every ms). */
  readonly lossPercent?: number;
  readonly jitterMs?: number;
  readonly slowReaderMs?: number;
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

/** What the media checks run against, and what they count. */
interface MediaEnv {
  readonly mode: MediaCheckMode;
  readonly dial: DialSettings;
  readonly play: PlaySettings;
  /** Where the sessions' protocol parts are counted (contract coverage), and `session` once a session. */
  readonly exercised: Map<string, number>;
  /** Sessions played and upgrades sent. */
  readonly counters: { sessions: number };
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

/** A check of the catalogue as the runner runs it: what one sample plays, and what fails it. */
function runnable(check: MediaCheck): Check<MediaEnv, unknown> {
  const base = {
    name: check.name,
    asserts: check.asserts,
    applies: (env: MediaEnv) => check.applies(env.mode),
    ...(check.evidence === undefined ? {} : { unreachedMessage: check.evidence.unseen }),
  };
  const code = check.code === undefined ? "" : `${check.code}: `;
  if (check.sample === "wrong signature")
    return erase<MediaEnv, { readonly kind: string; readonly signature: string | undefined }>({
      ...base,
      arbitrary: (env) => wrongSignatures(env.dial.target.signedUrl, env.dial.authToken),
      run: async (wrong, env) => {
        env.counters.sessions++;
        if (await refusesUpgrade(env.dial, wrong.signature)) return;
        throw new CheckIssue(
          `${code}the server accepted an upgrade with a wrong signature (${wrong.kind})`,
          "a refusal (e.g. HTTP 403, or a close with 1008 before any message)",
          "101 Switching Protocols, and the socket stayed open",
        );
      },
    });
  return erase<MediaEnv, readonly TwilioStreamMessage[]>({
    ...base,
    arbitrary: (env) => sessionsToPlay(env.play.bidirectional, check.sample === "session with a key press during audio"),
    run: async (messages, env, reach) => {
      env.counters.sessions++;
      const played = await playSession(messages, env.play);
      for (const [part, n] of [...played.exercised, ["session", 1] as const]) env.exercised.set(part, (env.exercised.get(part) ?? 0) + n);
      const issue = played.issues.find((f) => f.rule === check.id);
      if (issue !== undefined) throw new CheckIssue(`${code}${issue.message}`, issue.expected, issue.actual);
      // No session showed what this check judges (the server sent nothing, no audio to interrupt): nothing was tested.
      if (check.evidence !== undefined && played[check.evidence.of] === 0) reach.unreached();
    },
  });
}

const RUNNABLE = new Map(MEDIA_CHECKS.map((check) => [check, runnable(check)]));

/** Runs check-media-server; never throws for a broken server. */
export async function runMediaServerCheck(options: MediaServerCheckOptions): Promise<MediaCheckReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const runs = options.runs ?? DEFAULTS.runs;
  const seed = options.seed ?? randomSeed();
  if (!Number.isInteger(runs) || runs < 1) throw new MediaCheckConfigError("--runs must be a whole number ≥ 1");
  const dial = dialSettings(options);
  const mode: MediaCheckMode = {
    bidirectional: options.bidirectional === true,
    expectSignatureCheck: options.expectSignatureCheck === true,
    expectBargeIn: options.expectBargeIn === true,
  };
  const env: MediaEnv = {
    mode,
    dial,
    play: { ...dial, bidirectional: mode.bidirectional, expectBargeIn: mode.expectBargeIn },
    exercised: new Map(),
    counters: { sessions: 0 },
  };
  const clean = (text: string) => redact(text, [options.authToken]);
  const notices: string[] = [];
  if (options.signedUrl !== undefined) notices.push(`signing upgrades over ${options.signedUrl}`);
  if (!mode.expectSignatureCheck)
    notices.push("upgrades with a wrong signature are not tried: add --expect-signature-check to check that the server refuses them");
  const named = MEDIA_CHECKS.filter((check) => options.only === undefined || check.name.includes(options.only));
  const callsAtOnce = options.calls ?? DEFAULTS.calls;
  const only = options.only;
  const playCalls = callsAtOnce > 0 && (only === undefined || Object.values(CALL_CHECKS).some((name) => name.includes(only)));
  if (named.length === 0 && !playCalls) throw new MediaCheckConfigError(`no check is named like ${JSON.stringify(only)}`);
  let calls: readonly CallSummary[] | undefined;
  const report = (outcomes: readonly CheckOutcome[], runError?: string): MediaCheckReport => ({
    tool: "check-media-server",
    target: dial.target.connectUrl,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes,
    seed,
    runs,
    sessions: env.counters.sessions,
    notices,
    coverage: mediaCoverage(mode, env.exercised, env.exercised.get("session") ?? 0, playCalls),
    ...(calls === undefined ? {} : { calls }),
    ...(runError === undefined ? {} : { runError: clean(runError) }),
  });

  progress(
    `check-media-server: ${dial.target.connectUrl} (${mode.bidirectional ? "bidirectional" : "unidirectional"}, seed ${seed}, ${runs} sessions per check)`,
  );
  // One upgrade first: a server that is not there is a usage error, not a list of failures.
  try {
    env.counters.sessions++;
    await upgrade(dial, "twilio");
  } catch (error) {
    if (error instanceof MediaConnectionError) return report([], `${error.message} (Twilio: ${error.code})`);
    throw error;
  }
  const { results, dead } = await runChecks(
    named.map((check) => RUNNABLE.get(check)!),
    env,
    {
      group: GROUP,
      numRuns: runs,
      seed,
      replayPath: options.replayPath,
      timeLimit: () => ({ ms: CHECK_TIME_BUDGET_MS, note: `, stopped after ${CHECK_TIME_BUDGET_MS / 1000} s` }),
      stopOf: (error) =>
        error instanceof MediaConnectionError ? { message: `connection failure: ${error.message}`, dead: true } : undefined,
      passMessage: (check, _examples, samples, note) =>
        `${samples} ${named.find((c) => c.name === check.name)?.sample === "wrong signature" ? "upgrades" : "sessions"}${note}`,
      shown: (sample) => (Array.isArray(sample) ? compact(sample) : sample),
      redact: clean,
      onProgress: progress,
      progressPrefix: "check-media-server",
    },
  );
  const outcomes = results.map((r) => r.outcome);
  if (dead !== undefined) return report(outcomes, (dead.error as Error).message);
  if (playCalls) {
    const phase = await playCallsPhase(options, dial, { atOnce: callsAtOnce, bidirectional: mode.bidirectional, seed }, notices, clean);
    calls = phase.calls;
    outcomes.push(...phase.outcomes);
    for (const [part, n] of phase.exercised) env.exercised.set(part, (env.exercised.get(part) ?? 0) + n);
  }
  return report(outcomes);
}

/** The real-time calls after the sessions (docs/calls.md), with the flags' requirements and impairments. */
function playCallsPhase(
  options: MediaServerCheckOptions,
  dial: DialSettings,
  call: { readonly atOnce: number; readonly bidirectional: boolean; readonly seed: number },
  notices: string[],
  clean: (text: string) => string,
): ReturnType<typeof runCalls> {
  const { maxFirstAudioMs, maxAheadMs, artifacts, scenario, lossPercent, jitterMs, slowReaderMs, baseline, only } = options;
  const impaired = lossPercent !== undefined || jitterMs !== undefined || slowReaderMs !== undefined;
  if (lossPercent !== undefined || jitterMs !== undefined)
    notices.push(
      `calls impaired, seeded with ${call.seed}: ${lossPercent ?? 0} % of the caller's frames lost (a timestamp gap), up to ${jitterMs ?? 0} ms of jitter`,
    );
  if (slowReaderMs !== undefined)
    notices.push(`calls impaired: Twilio's side reads the server's frames every ${slowReaderMs} ms (a slow reader)`);
  // Not --expect-barge-in: it promises a clear on a key press; speech is asked for by --max-clear-ms.
  const maxClearMs = options.maxClearMs;
  return runCalls(
    dial,
    {
      atOnce: call.atOnce,
      bidirectional: call.bidirectional,
      ...(maxFirstAudioMs === undefined ? {} : { maxFirstAudioMs }),
      ...(maxClearMs === undefined ? {} : { maxClearMs }),
      ...(maxAheadMs === undefined ? {} : { maxAheadMs }),
      ...(artifacts === undefined ? {} : { artifacts }),
      ...(scenario === undefined ? {} : { scenario }),
      ...(baseline === undefined ? {} : { baseline }),
      ...(only === undefined ? {} : { only }),
      ...(impaired
        ? {
            impairments: {
              seed: call.seed,
              ...(lossPercent === undefined ? {} : { lossPercent }),
              ...(jitterMs === undefined ? {} : { jitterMs }),
              ...(slowReaderMs === undefined ? {} : { slowReaderMs }),
            },
          }
        : {}),
    },
    clean,
    options.onProgress ?? (() => {}),
  );
}

/** 0 conformant, 1 protocol violations, 2 the run could not be done or tested nothing (every check skipped). */
export function mediaCheckExitCode(report: MediaCheckReport): 0 | 1 | 2 {
  return exitCodeOf(report, { nothingTested: 2 });
}
