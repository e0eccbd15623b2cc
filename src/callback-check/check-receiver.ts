/**
 * `check-status-callback`: checks a status-callback receiver the user runs. It sends generated
 * callbacks — every event, by POST and by GET — signed with the account's token, and expects
 * 2xx; with `expectSignatureCheck` it also sends wrongly signed, unsigned and tampered ones and
 * expects them refused (4xx; twilio-node's `webhook()` answers 403, or 400 without a signature).
 */
import fc from "fast-check";
import { streamStatusCallback } from "../arbitraries/status-callback.js";
import { sid } from "../arbitraries/sid.js";
import { HTTP_METHODS, STREAM_EVENTS } from "../arbitraries/_internals/schema.js";
import { type Check, CheckIssue } from "../runner/check.js";
import { randomSeed } from "../runner/outcome.js";
import { runChecks } from "../runner/run.js";
import { urlForMessage } from "../secrets.js";
import { TWILIO_SIGNATURE_HEADER } from "../signature/twilio-signature.js";
import type { StatusCallbackMethod, StreamEvent, StreamStatusCallback } from "../validators/generated/types.js";
import type { SummaryReport } from "../verify/summary.js";
import { type OutgoingCallback, signedStatusCallback } from "../status-callbacks/request.js";
import { type Attempt, sendCallback } from "../status-callbacks/send.js";

/** Options of checkStatusCallbackReceiver. */
export interface ReceiverCheckOptions {
  /** The receiver's URL, exactly as it would be configured as StatusCallback. */
  readonly url: string;
  /**
   * The URL to sign when the receiver sees another than `url` (a TLS proxy in front of it: the
   * public `https://…` URL Twilio calls); default `url`.
   */
  readonly signedUrl?: string;
  /** The account's auth token the receiver checks signatures with. Never printed: whoever takes it registers it (`registerSecret`). */
  readonly authToken: string;
  /** The AccountSid the callbacks carry (default: a generated one). */
  readonly accountSid?: string;
  /** Also send wrongly signed, unsigned and tampered callbacks and expect them refused. */
  readonly expectSignatureCheck?: boolean;
  /** Callbacks per check (default 5). */
  readonly runs?: number;
  readonly seed?: number;
  /** Deadline of each request (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Only the checks whose name contains this. */
  readonly only?: string;
  readonly onProgress?: (line: string) => void;
}

/** The receiver could not be reached at all: the run cannot say anything (exit 2). */
class Unreachable extends Error {}

/** What the receiver checks run against. */
interface ReceiverEnv {
  readonly url: string;
  /** Signs a callback as Twilio would, over the signed URL, with `key` (default: the token). */
  readonly sign: (params: StreamStatusCallback, method: StatusCallbackMethod, key?: string) => OutgoingCallback;
  readonly authToken: string;
  readonly accountSid: string;
  readonly timeoutMs: number;
  readonly expectSignatureCheck: boolean;
  readonly counters: { requests: number };
  /** The accept checks a receiver failed by refusing a correctly signed callback (401 or 403). */
  readonly refusedSigned: string[];
}

type Sample = readonly [StatusCallbackMethod, StreamStatusCallback];

/** A receiver check: per generated callback what to send, and which answers are right. */
interface ReceiverCheckSpec {
  readonly name: string;
  readonly asserts: string;
  readonly expected: string;
  /** Builds the request from a valid callback (by `method`). */
  readonly build: (env: ReceiverEnv, params: StreamStatusCallback, method: StatusCallbackMethod) => OutgoingCallback;
  readonly accepts: (status: number) => boolean;
  readonly event?: StreamEvent;
  readonly method?: StatusCallbackMethod;
  /** Only with `--expect-signature-check` (skipped without). */
  readonly refusal?: boolean;
}

const is2xx = (status: number) => status >= 200 && status <= 299;
const is4xx = (status: number) => status >= 400 && status <= 499;

/** A receiver check as the runner runs it: sends the callback, judges the answer. */
function receiverCheck(spec: ReceiverCheckSpec): Check<ReceiverEnv, Sample> {
  return {
    name: spec.name,
    asserts: spec.asserts,
    ...(spec.refusal === true
      ? {
          skip: (env: ReceiverEnv) =>
            env.expectSignatureCheck
              ? undefined
              : "add --expect-signature-check to check that the receiver refuses unsigned and wrongly signed callbacks",
        }
      : {}),
    arbitrary: (env) =>
      fc.tuple(
        fc.constantFrom(...(spec.method === undefined ? HTTP_METHODS : [spec.method])),
        streamStatusCallback({ accountSid: env.accountSid, ...(spec.event === undefined ? {} : { event: spec.event }) }),
      ),
    run: async ([method, params], env) => {
      const request = spec.build(env, params, method);
      const attempt = await sendCallback(request, { timeoutMs: env.timeoutMs });
      env.counters.requests++;
      if (attempt.status === undefined) {
        if (attempt.failure === "refused")
          throw new Unreachable(`cannot reach the receiver at ${urlForMessage(env.url)}: ${attempt.message ?? "connection refused"}`);
        throw violation(request, attempt, spec.expected);
      }
      if (spec.accepts(attempt.status)) return;
      if (spec.accepts === is2xx && (attempt.status === 401 || attempt.status === 403)) env.refusedSigned.push(`receiver › ${spec.name}`);
      throw violation(request, attempt, spec.expected);
    },
  };
}

function violation(request: OutgoingCallback, attempt: Attempt, expected: string): CheckIssue {
  return new CheckIssue(
    `${request.method} ${request.url} → ${attempt.status ?? `${attempt.failure ?? "error"}: ${attempt.message ?? ""}`}`,
    expected,
    attempt.status === undefined ? (attempt.message ?? "no answer") : `HTTP ${attempt.status}`,
  );
}

/** Every check of `check-status-callback`, in the order they are reported. */
export const RECEIVER_CHECKS: readonly Check<ReceiverEnv, Sample>[] = [
  ...HTTP_METHODS.flatMap((method) =>
    STREAM_EVENTS.map((event) =>
      receiverCheck({
        name: `accepts signed ${method} ${event}`,
        asserts: `a ${event} callback by ${method}, signed as Twilio signs it → 2xx`,
        expected: "a 2xx answer",
        build: (env, p) => env.sign(p, method),
        accepts: is2xx,
        event,
        method,
      }),
    ),
  ),
  receiverCheck({
    name: "refuses a wrong signature",
    asserts: "a callback signed with another token → 4xx (twilio-node's webhook() answers 403)",
    expected: "refused: 4xx (twilio-node's webhook() answers 403)",
    build: (env, p, method) => env.sign(p, method, `${env.authToken}-not-the-token`),
    accepts: is4xx,
    refusal: true,
  }),
  receiverCheck({
    name: "refuses an unsigned callback",
    asserts: "a callback without X-Twilio-Signature → 4xx (twilio-node's webhook() answers 400)",
    expected: "refused: 4xx (twilio-node's webhook() answers 400)",
    build: (env, p, method) => {
      const request = env.sign(p, method);
      const headers = { ...request.headers };
      delete headers[TWILIO_SIGNATURE_HEADER];
      return { ...request, headers };
    },
    accepts: is4xx,
    refusal: true,
  }),
  receiverCheck({
    name: "refuses a replay with a changed body",
    asserts: "one callback's signature on another event (an edited body or query string) → 4xx",
    expected: "refused: 4xx (twilio-node's webhook() answers 403)",
    build: (env, p, method) => {
      // The signature of one callback, sent with another event: what a replayed request with
      // an edited body (or, for GET, an edited query string) looks like.
      const changed = {
        ...p,
        StreamEvent: p.StreamEvent === "stream-stopped" ? "stream-started" : "stream-stopped",
      } as StreamStatusCallback;
      const original = env.sign(p, method);
      const tampered = env.sign(changed, method);
      return { ...tampered, headers: { ...tampered.headers, [TWILIO_SIGNATURE_HEADER]: original.headers[TWILIO_SIGNATURE_HEADER]! } };
    },
    accepts: is4xx,
    refusal: true,
  }),
];

/** Runs the checks against the receiver; a report like verify's. */
export async function checkStatusCallbackReceiver(options: ReceiverCheckOptions): Promise<SummaryReport> {
  const started = Date.now();
  const runs = options.runs ?? 5;
  const seed = options.seed ?? randomSeed();
  const accountSid = options.accountSid ?? fc.sample(sid("account"), { seed, numRuns: 1 })[0]!;
  const signedUrl = options.signedUrl ?? options.url;
  const env: ReceiverEnv = {
    url: options.url,
    sign: (params, method, key = options.authToken) =>
      signedStatusCallback(options.url, method, params as unknown as Record<string, string>, key, signedUrl),
    authToken: options.authToken,
    accountSid,
    timeoutMs: options.timeoutMs ?? 10_000,
    expectSignatureCheck: options.expectSignatureCheck ?? false,
    counters: { requests: 0 },
    refusedSigned: [],
  };
  options.onProgress?.(`check-status-callback: ${urlForMessage(options.url)} (seed ${seed}, ${runs} callbacks per check)`);
  const selected = RECEIVER_CHECKS.filter((c) => options.only === undefined || `receiver › ${c.name}`.includes(options.only));
  const { results, dead } = await runChecks(selected, env, {
    group: "receiver",
    numRuns: runs,
    seed,
    noShrink: true,
    stopOf: (error) => (error instanceof Unreachable ? { message: error.message, dead: true } : undefined),
    shown: (sample) => sample[1],
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    progressPrefix: "check-status-callback",
  });
  return {
    tool: "check-status-callback",
    target: urlForMessage(options.url),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    // The check that found the receiver gone judged nothing: the run's error says so.
    outcomes: results.filter((r) => r.stop === undefined).map((r) => r.outcome),
    seed,
    runs,
    checkedRequests: env.counters.requests,
    notices: options.accountSid === undefined ? [`no --account-sid: the callbacks carry ${accountSid}`] : [],
    diagnoses: env.refusedSigned.length === 0 ? [] : [refusedSignedDiagnosis(env.refusedSigned, options)],
    ...(dead === undefined ? {} : { runError: dead.message }),
  };
}

/**
 * Why a receiver refuses callbacks signed right: most often it checks the signature over another
 * URL than the one Twilio signed — behind a proxy or TLS terminator it sees `http://127.0.0.1:…`
 * while Twilio signs the public `https://…` URL — else it has another auth token.
 */
function refusedSignedDiagnosis(names: readonly string[], options: ReceiverCheckOptions) {
  const signed = urlForMessage(options.signedUrl ?? options.url);
  return {
    seen: `the receiver refused ${names.length} correctly signed callback check(s) with 401/403 (signed over ${signed})`,
    hint:
      options.signedUrl === undefined
        ? "a proxy in front of the receiver is the usual cause: the receiver validates the public URL Twilio signed (e.g. twilio.webhook({ host, protocol })), not --url; give that URL with --signed-url https://<public host>/<path> — else the receiver checks with another auth token than --auth-token / TWILIO_AUTH_TOKEN"
        : "check that --signed-url is exactly the URL the receiver validates (scheme, host, port, path; behind a proxy, the public one Twilio signs), and that it checks with the same auth token as --auth-token / TWILIO_AUTH_TOKEN",
    explains: names,
  };
}
