/**
 * twilio-stream-contract/nock — the contract mock inside the test process: nock interceptors on
 * `https://api.twilio.com` that check each Streams request with the same rule engine as the mock
 * server and answer what it answers, with fault injection (forced 400/401/404/429/500, latency)
 * for testing a client's error handling. nock is an optional peer dependency of this entry only.
 */
import nock from "nock";
import { matchStreamRoute, TWILIO_API_ORIGIN } from "../contract/paths.js";
import { type ForcedFault, JSON_CONTENT_TYPE, StreamEngine } from "../engine/engine.js";
import { type ClientViolation, Journal, type RecordedRequest } from "../engine/journal.js";
import { headerValue } from "../lib/json.js";

export type { ClientViolation, RecordedRequest } from "../engine/journal.js";
export type { BreachKind, ForcedFault } from "../engine/engine.js";
export type { ContractIssue } from "../validators/issue.js";

/** A fault to inject: the status to answer instead of the real answer. @public */
export interface FaultInjection extends ForcedFault {
  /** Only for this operation (default: both). */
  readonly operation?: "CreateStream" | "UpdateStream";
  /** For this many requests, then the real answers again (default: until cleared). */
  readonly times?: number;
}

/** Options of `interceptStreams`. @public */
export interface InterceptStreamsOptions {
  /** Seed of the SID generator (default 0): same seed and requests → same answers. */
  readonly seed?: number;
  /** Where the client sends requests (default `https://api.twilio.com`). */
  readonly origin?: string;
  /** Delay of every answer, in milliseconds (default 0). */
  readonly latencyMs?: number;
  /** A fault to inject from the start. */
  readonly fault?: FaultInjection;
}

/** Installed interceptors and what they recorded. @public */
export interface StreamInterceptors {
  /** The requests that broke the contract, oldest first. */
  violations(): readonly ClientViolation[];
  /** Every intercepted request and the status it got, oldest first. */
  requests(): readonly RecordedRequest[];
  /** Answers the next matching requests with a fault (replaces any earlier fault). */
  injectFault(fault: FaultInjection): void;
  /** Back to the real answers. */
  clearFault(): void;
  /** Sets the delay of every answer. */
  setLatency(ms: number): void;
  /** Forgets the recorded requests and violations. */
  reset(): void;
  /** Removes the interceptors (other nock interceptors stay). */
  remove(): void;
}

const METHODS = ["POST", "GET", "PUT", "PATCH", "DELETE"] as const;

/**
 * Whether a path is meant for the Streams API: under `/2010-04-01/Accounts/` and mentioning
 * "stream". Such paths are intercepted even when they are wrong (`…/Stream.json`), so that a
 * client's wrong path is a recorded violation rather than a nock "no match" error; other Twilio
 * APIs are left alone.
 */
function isStreamsPath(uri: string): boolean {
  return uri.startsWith("/2010-04-01/Accounts/") && uri.toLowerCase().includes("stream");
}

/**
 * Installs persistent nock interceptors for CreateStream and UpdateStream. Valid requests get
 * contract-valid answers (201 create, 200 stop); invalid ones get the error Twilio would send
 * and are recorded as violations. Call `remove()` when done (e.g. in `afterEach`).
 * @example
 *   const streams = interceptStreams({ seed: 1 });
 *   await client.calls(callSid).streams.create({ url: "wss://example.com/media" });
 *   expect(streams.violations()).toEqual([]);
 *   streams.injectFault({ status: 429, times: 1 }); // the next request gets 429
 *   streams.remove();
 * @public
 */
export function interceptStreams(options: InterceptStreamsOptions = {}): StreamInterceptors {
  const engine = new StreamEngine({ policy: { kind: "mock" }, seed: options.seed ?? 0 });
  const journal = new Journal();
  let latencyMs = options.latencyMs ?? 0;
  let fault: { spec: FaultInjection; left: number } | undefined;
  const injectFault = (spec: FaultInjection) => {
    fault = { spec, left: spec.times ?? Number.POSITIVE_INFINITY };
  };
  if (options.fault !== undefined) injectFault(options.fault);

  const scope = nock(options.origin ?? TWILIO_API_ORIGIN).persist();
  const interceptors: nock.Interceptor[] = METHODS.map((method) => scope.intercept(isStreamsPath, method));
  // The request as it was sent. nock JSON.parses the body of a request whose Content-Type is JSON
  // before a reply function runs, and a body that is not JSON then crashes the process; so the
  // raw body and Content-Type are taken here (nock's "request" event comes first) and the
  // Content-Type hidden from nock's parser.
  const sent = new WeakMap<object, { contentType: string | undefined; body: string }>();
  scope.on("request", (req: { headers: Record<string, string | string[] | undefined> }, interceptor: nock.Interceptor, body: string) => {
    if (!interceptors.includes(interceptor)) return;
    const contentType = headerValue(req.headers, "content-type");
    sent.set(req, { contentType, body });
    if (contentType !== undefined) req.headers = Object.fromEntries(Object.entries(req.headers).filter(([key]) => key.toLowerCase() !== "content-type"));
  });
  for (const interceptor of interceptors) {
    interceptor.reply(function (uri, parsedBody, callback) {
      const raw = sent.get(this.req);
      const request = {
        method: this.req.method ?? "GET",
        path: uri,
        authorization: headerValue(this.req.headers, "authorization"),
        contentType: raw === undefined ? headerValue(this.req.headers, "content-type") : raw.contentType,
        body: raw?.body ?? (typeof parsedBody === "string" ? parsedBody : JSON.stringify(parsedBody)),
      };
      const answer = engine.handle(request, takeFault(request.path));
      journal.record(request, answer);
      // Content-Length is needed: nock 14 otherwise ends the body only when the socket closes, so a
      // keep-alive client (twilio's is one) never sees the answer end (nock/nock#3001).
      const headers = { ...answer.headers, "Content-Type": JSON_CONTENT_TYPE, "Content-Length": String(Buffer.byteLength(answer.body)) };
      const result: nock.ReplyFnResult = [answer.status, answer.body, headers];
      if (latencyMs > 0) setTimeout(() => callback(null, result), latencyMs);
      else callback(null, result);
    });
  }

  function takeFault(path: string): ForcedFault | undefined {
    if (fault === undefined) return undefined;
    const { spec } = fault;
    if (spec.operation !== undefined && matchStreamRoute(path)?.operation !== spec.operation) return undefined;
    fault.left--;
    if (fault.left <= 0) fault = undefined;
    return { status: spec.status, ...(spec.message === undefined ? {} : { message: spec.message }) };
  }

  return {
    violations: () => journal.violations(),
    requests: () => journal.requests(),
    injectFault,
    clearFault: () => {
      fault = undefined;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    reset: () => journal.clear(),
    remove: () => {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
    },
  };
}
