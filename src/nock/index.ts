/**
 * twilio-stream-contract/nock — the contract mock inside the test process: nock interceptors on
 * every host of Twilio's REST API (`https://api.twilio.com` and its regional hosts) that check each Streams request with the same rule engine as the mock
 * server and answer what it answers, with latency and fault injection for testing a client's
 * error handling (any status 400–599 with Twilio's code for it, Retry-After
 * on 429/503, a reset connection, no answer, a slow body; src/engine/faults.ts). nock is an
 * optional peer dependency of this entry only.
 */
import nock from "nock";
import { JSON_CONTENT_TYPE } from "../contract/media-types.js";
import { type CreateStatus, type EngineRequest, StreamEngine } from "../engine/engine.js";
import { connectionResetError, engineFault, type FaultInjection, FaultSchedule, readFault, slowBody } from "../engine/faults.js";
import { type ClientIssue, Journal, type RecordedRequest } from "../engine/journal.js";
import { headerValue, isObject } from "../lib/json.js";

export type { ClientIssue, RecordedRequest } from "../engine/journal.js";
export type { IssueKind, ForcedFault } from "../engine/engine.js";
export type { FaultInjection } from "../engine/faults.js";
export type { ContractIssue } from "../validators/issue.js";

/** Options of `interceptStreams`. @public */
export interface InterceptStreamsOptions {
  /** Seed of the SID generator (default 0): same seed and requests → same answers. */
  readonly seed?: number;
  /** The status of a successful create: 200 (default, Twilio's OpenAPI document) or 201. */
  readonly createStatus?: CreateStatus;
  /**
   * Where the client sends requests (default: every host of Twilio's REST API, TWILIO_API_HOSTS:
   * `https://api.twilio.com` and the regional `https://api.{edge}.{region}.twilio.com`).
   */
  readonly origin?: string | RegExp;
  /** Delay of every answer, in milliseconds (default 0). */
  readonly latencyMs?: number;
  /** A fault to inject from the start. */
  readonly fault?: FaultInjection;
}

/** Installed interceptors and what they recorded. @public */
export interface StreamInterceptors {
  /** The requests that broke the contract, oldest first. */
  violations(): readonly ClientIssue[];
  /** Every intercepted request and the status it got, oldest first. */
  requests(): readonly RecordedRequest[];
  /**
   * Answers the matching requests with a fault (replaces any earlier fault): every one until
   * cleared, or the next `times`. Throws a TypeError for a malformed fault.
   */
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

/** nock 14's request (an http.ClientRequest with its headers as an object), as a reply function sees it. */
interface NockRequest {
  readonly method?: string;
  headers: unknown;
}

/** nock 15 hands reply functions and "request" listeners a Fetch Request. */
function isFetchRequest(value: unknown): value is Request {
  return typeof Request === "function" && value instanceof Request;
}

/**
 * Every HTTPS host of Twilio's REST API, as twilio-node's `getHostname` builds them from the
 * `region`/`edge` options or TWILIO_REGION/TWILIO_EDGE (an edge alone implies region us1):
 *
 *     host = "api" [ "." edge ] [ "." region ] ".twilio.com"
 *
 * e.g. api.twilio.com, api.au1.twilio.com, api.sydney.au1.twilio.com. nock tests the pattern
 * against the bare hostname, against `https://host:443` and against `METHOD https://host/path`,
 * so it is anchored by `^` or `//` on the left and by `:443`, `/` or the end on the right. A
 * label is one run of characters other than dots: the pattern runs in linear time.
 * @public
 */
export const TWILIO_API_HOSTS = /(?:^|https:\/\/)api(?:\.[\da-z-]+){0,2}\.twilio\.com(?::443)?(?:\/|$)/i;

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
 * contract-valid answers (200 create — or `createStatus` —, 200 stop); invalid ones get the error Twilio would send
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
  const engine = new StreamEngine({
    policy: { kind: "mock" },
    seed: options.seed ?? 0,
    ...(options.createStatus === undefined ? {} : { createStatus: options.createStatus }),
  });
  const journal = new Journal();
  let latencyMs = options.latencyMs ?? 0;
  const faults = new FaultSchedule();
  const injectFault = (spec: FaultInjection) => {
    const checked = readFault(spec);
    if (typeof checked === "string") throw new TypeError(`injectFault: ${checked}`);
    faults.inject(checked);
  };
  if (options.fault !== undefined) injectFault(options.fault);

  const scope = nock(options.origin ?? TWILIO_API_HOSTS).persist();
  const interceptors: nock.Interceptor[] = METHODS.map((method) => scope.intercept(isStreamsPath, method));
  // nock 14: the reply function gets (path, JSON-parsed body) and the request as `this.req`. nock
  // JSON.parses the body of a request whose Content-Type is JSON before a reply function runs, and
  // a body that is not JSON then crashes the process; so the raw body and Content-Type are taken
  // here (nock's "request" event comes first) and the Content-Type hidden from nock's parser.
  // nock 15: the reply function gets the request as a Fetch Request, body unparsed (nothing to hide).
  const sent = new WeakMap<object, { contentType: string | undefined; body: string }>();
  scope.on("request", (req: { headers: unknown }, interceptor: nock.Interceptor, body: string) => {
    if (!interceptors.includes(interceptor) || isFetchRequest(req)) return;
    const contentType = headerValue(req.headers, "content-type");
    sent.set(req, { contentType, body });
    if (contentType !== undefined && isObject(req.headers))
      req.headers = Object.fromEntries(Object.entries(req.headers).filter(([key]) => key.toLowerCase() !== "content-type"));
  });
  /** The request as it was sent, from what nock 14 or nock 15 hands the reply function. */
  const readRequest = async (context: { req?: NockRequest }, args: unknown[]): Promise<EngineRequest> => {
    const [first, parsedBody] = args;
    if (isFetchRequest(first)) {
      const url = new URL(first.url);
      return {
        method: first.method,
        path: url.pathname + url.search,
        authorization: first.headers.get("authorization") ?? undefined,
        contentType: first.headers.get("content-type") ?? undefined,
        body: await first.text(),
      };
    }
    const req = context.req ?? { headers: {} };
    const raw = sent.get(req);
    return {
      method: req.method ?? "GET",
      path: String(first),
      authorization: headerValue(req.headers, "authorization"),
      contentType: raw === undefined ? headerValue(req.headers, "content-type") : raw.contentType,
      body: raw?.body ?? (typeof parsedBody === "string" ? parsedBody : JSON.stringify(parsedBody)),
    };
  };
  for (const interceptor of interceptors) {
    // No declared parameters: nock 14 and 15 both call a function of length 0 with their
    // arguments and wait for the promise it returns (a rejection is a network error).
    interceptor.reply(async function (this: { req?: NockRequest }, ...args: unknown[]): Promise<nock.ReplyFnResult> {
      const request = await readRequest(this, args);
      const fault = faults.take(request.path);
      const answer = engine.handle(request, fault === undefined ? undefined : engineFault(fault));
      journal.record(request, answer);
      // No answer: the promise never settles, and the client's own timeout must end the wait.
      if (fault?.connection === "hang") return new Promise<never>(() => undefined);
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (fault?.connection === "reset") throw connectionResetError();
      // Content-Length is needed: nock 14 otherwise ends the body only when the socket closes, so a
      // keep-alive client (twilio's is one) never sees the answer end (nock/nock#3001).
      const headers = { ...answer.headers, "Content-Type": JSON_CONTENT_TYPE, "Content-Length": String(Buffer.byteLength(answer.body)) };
      const body = fault?.slowBodyMs === undefined ? answer.body : slowBody(answer.body, fault.slowBodyMs);
      return [answer.status, body, headers];
    });
  }

  return {
    violations: () => journal.violations(),
    requests: () => journal.requests(),
    injectFault,
    clearFault: () => faults.clear(),
    setLatency: (ms) => {
      latencyMs = ms;
    },
    reset: () => journal.clear(),
    remove: () => {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
    },
  };
}
