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
import type { CheckFailure, CheckOutcome } from "../report/types.js";
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

type Sent = { readonly request: OutgoingCallback; readonly attempt: Attempt };

/** A check: its name, and per generated callback what to send and whether the answer is right. */
interface ReceiverCheck {
  readonly name: string;
  readonly expected: string;
  /** Builds the request from a valid callback (by `method`) and the token. */
  readonly build: (params: StreamStatusCallback, method: StatusCallbackMethod) => OutgoingCallback;
  readonly accepts: (status: number) => boolean;
  readonly event?: StreamEvent;
  readonly method?: StatusCallbackMethod;
}

const is2xx = (status: number) => status >= 200 && status <= 299;
const is4xx = (status: number) => status >= 400 && status <= 499;

function checksOf(url: string, signedUrl: string, token: string, signatureChecks: boolean): { checks: ReceiverCheck[]; skipped: string[] } {
  const sign = (params: StreamStatusCallback, method: StatusCallbackMethod, key = token) =>
    signedStatusCallback(url, method, params as unknown as Record<string, string>, key, signedUrl);
  const checks: ReceiverCheck[] = [];
  for (const method of HTTP_METHODS) {
    for (const event of STREAM_EVENTS) {
      checks.push({
        name: `receiver › accepts signed ${method} ${event}`,
        expected: "a 2xx answer",
        build: (p) => sign(p, method),
        accepts: is2xx,
        event,
        method,
      });
    }
  }
  const refusals: ReceiverCheck[] = [
    {
      name: "receiver › refuses a wrong signature",
      expected: "refused: 4xx (twilio-node's webhook() answers 403)",
      build: (p, method) => sign(p, method, `${token}-not-the-token`),
      accepts: is4xx,
    },
    {
      name: "receiver › refuses an unsigned callback",
      expected: "refused: 4xx (twilio-node's webhook() answers 400)",
      build: (p, method) => {
        const request = sign(p, method);
        const headers = { ...request.headers };
        delete headers[TWILIO_SIGNATURE_HEADER];
        return { ...request, headers };
      },
      accepts: is4xx,
    },
    {
      name: "receiver › refuses a replay with a changed body",
      expected: "refused: 4xx (twilio-node's webhook() answers 403)",
      build: (p, method) => {
        // The signature of one callback, sent with another event: what a replayed request with
        // an edited body (or, for GET, an edited query string) looks like.
        const changed = {
          ...p,
          StreamEvent: p.StreamEvent === "stream-stopped" ? "stream-started" : "stream-stopped",
        } as StreamStatusCallback;
        const original = sign(p, method);
        const tampered = sign(changed, method);
        return { ...tampered, headers: { ...tampered.headers, [TWILIO_SIGNATURE_HEADER]: original.headers[TWILIO_SIGNATURE_HEADER]! } };
      },
      accepts: is4xx,
    },
  ];
  if (signatureChecks) return { checks: [...checks, ...refusals], skipped: [] };
  return { checks, skipped: refusals.map((r) => r.name) };
}

/** Runs the checks against the receiver; a report like verify's. */
export async function checkStatusCallbackReceiver(options: ReceiverCheckOptions): Promise<SummaryReport> {
  const started = Date.now();
  const runs = options.runs ?? 5;
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const progress = options.onProgress ?? (() => {});
  const accountSid = options.accountSid ?? fc.sample(sid("account"), { seed, numRuns: 1 })[0]!;
  const { checks, skipped } = checksOf(
    options.url,
    options.signedUrl ?? options.url,
    options.authToken,
    options.expectSignatureCheck ?? false,
  );
  /** The accept checks a receiver failed by refusing a correctly signed callback (401 or 403). */
  const refusedSigned: string[] = [];
  const selected = checks.filter((c) => options.only === undefined || c.name.includes(options.only));
  let requests = 0;
  const outcomes: CheckOutcome[] = [];
  let runError: string | undefined;
  progress(`check-status-callback: ${urlForMessage(options.url)} (seed ${seed}, ${runs} callbacks per check)`);
  for (const check of selected) {
    const checkStarted = Date.now();
    let last: Sent | undefined;
    const property = fc.asyncProperty(
      fc.constantFrom(...(check.method === undefined ? HTTP_METHODS : [check.method])),
      streamStatusCallback({ accountSid, ...(check.event === undefined ? {} : { event: check.event }) }),
      async (method, params) => {
        const request = check.build(params, method);
        const attempt = await sendCallback(request, { timeoutMs });
        requests++;
        last = { request, attempt };
        if (attempt.status === undefined) {
          if (attempt.failure === "refused")
            throw new Unreachable(`cannot reach the receiver at ${urlForMessage(options.url)}: ${attempt.message ?? "connection refused"}`);
          return false;
        }
        return check.accepts(attempt.status);
      },
    );
    let details: fc.RunDetails<[StatusCallbackMethod, StreamStatusCallback]>;
    try {
      details = await fc.check(property, { numRuns: runs, seed, endOnFailure: true });
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      runError = error.message;
      break;
    }
    if (details.errorInstance instanceof Unreachable) {
      runError = details.errorInstance.message;
      break;
    }
    const failures: CheckFailure[] = [];
    if (details.failed && last !== undefined) {
      const { request, attempt } = last;
      if (check.accepts === is2xx && (attempt.status === 401 || attempt.status === 403)) refusedSigned.push(check.name);
      failures.push({
        message: `${request.method} ${request.url} → ${attempt.status ?? `${attempt.failure ?? "error"}: ${attempt.message ?? ""}`}`,
        expected: check.expected,
        actual: attempt.status === undefined ? (attempt.message ?? "no answer") : `HTTP ${attempt.status}`,
        seed: details.seed,
        ...(details.counterexamplePath === null ? {} : { replayPath: details.counterexamplePath }),
        ...(details.counterexample === null ? {} : { counterexample: details.counterexample[1] }),
      });
    }
    const outcome: CheckOutcome = {
      name: check.name,
      group: "receiver",
      status: details.failed ? "failed" : "passed",
      durationMs: Date.now() - checkStarted,
      failures,
    };
    outcomes.push(outcome);
    progress(`check-status-callback: ${details.failed ? "FAIL" : "ok  "} ${check.name}`);
  }
  for (const name of skipped) {
    if (options.only !== undefined && !name.includes(options.only)) continue;
    outcomes.push({
      name,
      group: "receiver",
      status: "skipped",
      durationMs: 0,
      message: "add --expect-signature-check to check that the receiver refuses unsigned and wrongly signed callbacks",
      failures: [],
    });
  }
  return {
    tool: "check-status-callback",
    target: urlForMessage(options.url),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    outcomes,
    seed,
    runs,
    checkedRequests: requests,
    notices: options.accountSid === undefined ? [`no --account-sid: the callbacks carry ${accountSid}`] : [],
    diagnoses: refusedSigned.length === 0 ? [] : [refusedSignedDiagnosis(refusedSigned, options)],
    ...(runError === undefined ? {} : { runError }),
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
