/**
 * The contract mock: Twilio's two Stream operations on node:http, strict about the client. Every
 * request is checked by the rule engine (mock policy); valid ones get contract-valid answers,
 * invalid ones the error Twilio would send, and are recorded as violations.
 */
import { MediaDialer, type MediaStreamingOptions } from "../dialer/dialer.js";
import type { MediaSessionRecord, MediaIssue } from "../dialer/session.js";
import { type CreateStatus, StreamEngine } from "../engine/engine.js";
import { type FaultInjection, FaultSchedule, readFault } from "../engine/faults.js";
import {
  closeServer,
  CONTROL_PREFIX,
  type ControlAnswer,
  createEngineServer,
  listen,
  type ServerTimeouts,
  STOP_PATH,
  stopAnswer,
} from "../engine/http.js";
import { type ClientIssue, Journal, type RecordedRequest } from "../engine/journal.js";
import { allListeners, type StreamEventListener } from "../engine/stream-events.js";
import { decodeBasicAuthorization } from "../http/basic-auth.js";
import { redact, registerSecret, urlPasswords, warnOnce } from "../secrets.js";
import { type CallbackDelivery, CallbackSender, type CallbackSenderOptions, type DeliveryOutcome } from "../status-callbacks/sender.js";
import type { EngineRequest } from "../engine/engine.js";

/** Options of `startMockServer`. @public */
export interface MockServerOptions {
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** Seed of the SID generator (default 0): same seed and requests → same answers. */
  readonly seed?: number;
  /** The status of a successful create: 200 (default, Twilio's OpenAPI document) or 201. */
  readonly createStatus?: CreateStatus;
  /** Called with one line per request (method, path, status, violation); no credentials. */
  readonly log?: (line: string) => void;
  /** A fault to inject from the start (see `injectFault`). */
  readonly fault?: FaultInjection;
  /**
   * Status callbacks of Streams created with a `StatusCallback` (default `{}`: sent, to loopback
   * hosts only, signed with the CreateStream's password); `false`: never sent.
   */
  readonly statusCallbacks?: CallbackSenderOptions | false;
  /** Also told each Stream start, stop and failure (e.g. to dial the Stream's wss `Url`). */
  readonly onStreamEvent?: StreamEventListener;
  /** How long a client may take to send a request (defaults: SERVER_TIMEOUTS, src/engine/http.ts). */
  readonly timeouts?: ServerTimeouts;
  /**
   * Really stream: dial each created Stream's Url and play it as Twilio would (see
   * docs/media-streams.md); a failed socket is reported as the Stream's failure (`stream-error`).
   * Off by default: no Stream is dialled.
   */
  readonly media?: MediaStreamingOptions;
  /**
   * Lets a script end the run over HTTP: `POST /__contract/stop` stops the Streams' sockets, waits
   * for the status callbacks under way, answers with what `onStop` resolves to (JSON), then closes
   * the server. Without it, that endpoint is not served.
   */
  readonly onStop?: () => Promise<unknown>;
}

/** A running contract mock. @public */
export interface MockServer {
  /** `http://127.0.0.1:<port>`: use it in place of `https://api.twilio.com`. */
  readonly baseUrl: string;
  /** The requests that broke the contract, oldest first. */
  violations(): readonly ClientIssue[];
  /** Every request and the status it got, oldest first. */
  requests(): readonly RecordedRequest[];
  /** How many requests and violations there were (exact, also past the recorded lists' limit). */
  counts(): { readonly requests: number; readonly violations: number };
  /** How often each part of the contract (src/contract/coverage.ts) was exercised: what coverage counts. */
  exercised(): ReadonlyMap<string, number>;
  /** The status callbacks sent so far and what their receivers answered, oldest first (the latest 10,000). */
  callbacks(): readonly CallbackDelivery[];
  /** How many status callbacks ended each way (exact, also past the kept list's limit). */
  callbackCounts(): Readonly<Partial<Record<DeliveryOutcome, number>>>;
  /** With `media`: each Stream's socket — dialled or not, why, violations. Oldest first. */
  mediaSessions(): readonly MediaSessionRecord[];
  /** With `media`: what the WebSocket servers did wrong, under Twilio's codes. */
  mediaViolations(): readonly MediaIssue[];
  /**
   * The hook for a Stream whose WebSocket failed (handshake refused, connection broken): its
   * receiver gets `stream-error` with `error`, then `stream-stopped`.
   * @returns whether a Stream in progress had that SID or name on that call.
   */
  failStream(accountSid: string, callSid: string, sidOrName: string, error: string): boolean;
  /** The call ended: its Streams in progress stop (`stream-stopped` to their receivers). */
  endCall(accountSid: string, callSid: string): void;
  /** Resolves once every status callback queued so far has been answered or given up. */
  drainCallbacks(): Promise<void>;
  /** Forgets the recorded requests, violations and callbacks. */
  reset(): void;
  /**
   * Answers the matching requests with a fault (replaces any earlier fault): every one until
   * cleared, or the next `times`. Throws a TypeError for a malformed fault. Over HTTP:
   * `POST /__contract/fault`.
   */
  injectFault(fault: FaultInjection): void;
  /** Back to the real answers. */
  clearFault(): void;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/**
 * The mock's own endpoints (JSON). The two lists are streamed, never built as one string, and
 * take `?offset=N&limit=M` to fetch a page; `count` is every one seen, `kept` how many are listed.
 */
export const MOCK_ENDPOINTS = {
  /** GET: `{ count, kept, offset, violations }`. */
  violations: `${CONTROL_PREFIX}violations`,
  /** GET: `{ count, kept, offset, requests }`. */
  requests: `${CONTROL_PREFIX}requests`,
  /** POST: forget what was recorded. */
  reset: `${CONTROL_PREFIX}reset`,
  /** POST a FaultInjection (JSON) to inject it, DELETE to clear it, GET: `{ fault, left }` or `{ fault: null }`. */
  fault: `${CONTROL_PREFIX}fault`,
  /** GET: `{ counts, callbacks }`, the status callbacks sent (waits for those under way). */
  callbacks: `${CONTROL_PREFIX}callbacks`,
  /** POST `{ accountSid, callSid }`: the call ends. */
  endCall: `${CONTROL_PREFIX}end-call`,
  /** POST `{ accountSid, callSid, sid, error }`: the Stream (SID or name) failed. */
  failStream: `${CONTROL_PREFIX}fail-stream`,
  /** GET: `{ count, violations, sessions }`, the Streams' sockets (with `media`). */
  media: `${CONTROL_PREFIX}media`,
  /** POST (with the `onStop` option): end the run; answered with the summary, then the server closes. */
  stop: STOP_PATH,
} as const;

/**
 * Starts the contract mock. Any call with a valid SID is in progress; a Stream stopped by a SID
 * or name the mock has not seen is taken to exist. The recorded violations are also served at
 * `GET <baseUrl>/__contract/violations`.
 * @example
 *   const mock = await startMockServer({ seed: 1 });
 *   // … point the client at mock.baseUrl instead of https://api.twilio.com, run it …
 *   expect(mock.violations()).toEqual([]);
 *   await mock.close();
 * @public
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const faults = new FaultSchedule();
  const injectFault = (fault: FaultInjection) => {
    const checked = readFault(fault);
    if (typeof checked === "string") throw new TypeError(`injectFault: ${checked}`);
    faults.inject(checked);
  };
  if (options.fault !== undefined) injectFault(options.fault);
  const { log } = options;
  const sender = options.statusCallbacks === false ? undefined : new CallbackSender({ log, ...options.statusCallbacks });
  // A failed socket fails its Stream: status callbacks then send stream-error and stream-stopped.
  const dialer =
    options.media === undefined
      ? undefined
      : new MediaDialer({ ...options.media, onStreamFailed: (s, error) => engine.failStream(s.accountSid, s.callSid, s.streamSid, error) });
  const onStreamEvent = allListeners(unknownTokenWarning(options, dialer), sender?.listener, dialer?.listener, options.onStreamEvent);
  const engine: StreamEngine = new StreamEngine({
    policy: { kind: "mock" },
    seed: options.seed ?? 0,
    ...(onStreamEvent === undefined ? {} : { onStreamEvent }),
    ...(options.createStatus === undefined ? {} : { createStatus: options.createStatus }),
  });
  const journal = new Journal();
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await dialer?.close(); // `stop` to every Stream still playing
      await closeServer(server);
      await sender?.close();
    })());
  const reset = () => {
    journal.clear();
    sender?.reset();
    dialer?.clear();
  };
  let stopping: Promise<ControlAnswer> | undefined;
  const { onStop } = options;
  const stop =
    onStop === undefined
      ? undefined
      : () =>
          (stopping ??= stopAnswer(async () => {
            await dialer?.close();
            await sender?.drain();
            return onStop();
          }, close));
  const parts: ControlParts = { journal, faults, engine, sender, dialer, reset, stop };
  const server = createEngineServer({
    engine,
    faults,
    onRequest: registerRequestSecrets,
    // Served redacted: a client's password is registered as it arrives (registerRequestSecrets).
    control: (method, target, body) => redactedAnswer(control(parts, method, target, body)),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
    onExchange({ request, answer }) {
      const violation = journal.record(request, answer);
      if (log !== undefined) {
        const what = violation === undefined ? (answer.operation ?? "") : `VIOLATION ${violation.message}`;
        log(`${request.method} ${request.path} → ${answer.status} ${what}`);
      }
    },
  });
  const baseUrl = await listen(server, options.host ?? "127.0.0.1", options.port ?? 0);
  return {
    baseUrl,
    violations: () => journal.violations(),
    requests: () => journal.requests(),
    counts: () => ({ requests: journal.requestCount, violations: journal.violationCount }),
    exercised: () => journal.exercised(),
    callbacks: () => sender?.deliveries() ?? [],
    callbackCounts: () => sender?.counts() ?? {},
    mediaSessions: () => dialer?.sessions() ?? [],
    mediaViolations: () => dialer?.violations() ?? [],
    failStream: (accountSid, callSid, sidOrName, error) => engine.failStream(accountSid, callSid, sidOrName, error),
    endCall: (accountSid, callSid) => engine.endCall(accountSid, callSid),
    drainCallbacks: async () => sender?.drain(),
    reset,
    close,
    injectFault,
    clearFault: () => faults.clear(),
  };
}

/** What the control endpoints act on. */
interface ControlParts {
  readonly journal: Journal;
  readonly faults: FaultSchedule;
  readonly engine: StreamEngine;
  readonly sender: CallbackSender | undefined;
  readonly dialer: MediaDialer | undefined;
  readonly reset: () => void;
  /** `POST …/stop`, when the mock was started with `onStop`. */
  readonly stop: (() => Promise<ControlAnswer>) | undefined;
}

/** The answer of a control endpoint (`/__contract/…`). */
function control(mock: ControlParts, method: string, target: string, body: string): ControlAnswer | Promise<ControlAnswer> {
  const { journal, faults, engine, sender, dialer } = mock;
  const question = target.indexOf("?");
  const path = question < 0 ? target : target.slice(0, question);
  const query = new URLSearchParams(question < 0 ? "" : target.slice(question + 1));
  if (method === "GET" && path === MOCK_ENDPOINTS.violations)
    return listAnswer("violations", journal.violationCount, journal.violations(), query);
  if (method === "GET" && path === MOCK_ENDPOINTS.requests) return listAnswer("requests", journal.requestCount, journal.requests(), query);
  if (method === "POST" && path === MOCK_ENDPOINTS.reset) {
    mock.reset();
    return { status: 200, body: { count: 0 } };
  }
  if (path === MOCK_ENDPOINTS.fault) return faultControl(faults, method, body);
  if (method === "POST" && path === MOCK_ENDPOINTS.stop && mock.stop !== undefined) return mock.stop();
  if (method === "GET" && path === MOCK_ENDPOINTS.media) {
    const sessions = dialer?.sessions() ?? [];
    return { status: 200, body: { count: sessions.length, violations: dialer?.totalViolations ?? 0, sessions } };
  }
  if (method === "GET" && path === MOCK_ENDPOINTS.callbacks)
    return { status: 200, body: { counts: sender?.counts() ?? {}, callbacks: sender?.deliveries() ?? [] } };
  if (method === "POST" && (path === MOCK_ENDPOINTS.endCall || path === MOCK_ENDPOINTS.failStream)) {
    const call = readCallControl(body, path === MOCK_ENDPOINTS.failStream);
    if (typeof call === "string") return { status: 400, body: { error: call } };
    if (path === MOCK_ENDPOINTS.endCall) {
      engine.endCall(call.accountSid, call.callSid);
      return { status: 200, body: { ended: true } };
    }
    return { status: 200, body: { failed: engine.failStream(call.accountSid, call.callSid, call.sid, call.error) } };
  }
  return {
    status: 404,
    body: {
      error: `no such endpoint; try GET ${MOCK_ENDPOINTS.violations}, GET ${MOCK_ENDPOINTS.requests}, GET ${MOCK_ENDPOINTS.callbacks}, GET ${MOCK_ENDPOINTS.media}, POST ${MOCK_ENDPOINTS.reset} or POST/GET/DELETE ${MOCK_ENDPOINTS.fault}`,
    },
  };
}

/**
 * A warning, said at once before any callback or upgrade is refused for it (once a key and
 * process), when a Stream is created with an API key and the mock signs with its secret.
 */
function unknownTokenWarning(options: MockServerOptions, dialer: MediaDialer | undefined): StreamEventListener | undefined {
  const signsWithKey =
    (options.statusCallbacks !== false && options.statusCallbacks?.authToken === undefined) ||
    (dialer !== undefined && options.media?.authToken === undefined);
  if (!signsWithKey) return undefined;
  return ({ event, statusCallback, createRequest }) => {
    const apiKeySid = createRequest?.apiKeySid;
    if (event === "stream-started" && apiKeySid !== undefined && (statusCallback !== undefined || dialer !== undefined))
      warnOnce(
        `stream-contract: warning: a Stream was created with API key ${apiKeySid}: Twilio signs status callbacks and WebSocket upgrades with the account's auth token, which the mock was not given (--auth-token or TWILIO_AUTH_TOKEN), so it signs them with the key's secret; a correct receiver or server refuses them, and the mock counts that as its own configuration problem, not as their violation`,
      );
  };
}

/**
 * How many client passwords a mock process registers: each one costs every printed line a search,
 * and a client's tests use a few.
 */
const MAX_LEARNED = 64;
/** The client passwords registered (at most MAX_LEARNED). */
const learned = new Set<string>();

/**
 * Registers the secrets a client's request carries, before anything can print or serve them: the
 * password of its Basic credentials (the account's auth token or an API key's secret) and of any
 * user info in its Url or StatusCallback.
 */
function registerRequestSecrets(request: EngineRequest): void {
  const credentials = request.authorization === undefined ? undefined : decodeBasicAuthorization(request.authorization);
  if (credentials !== undefined) learn(credentials.password, credentials.user, "a client's Basic password");
  const { body } = request;
  if (!body.includes("@") && !body.includes("%40")) return;
  const fields = new URLSearchParams(typeof body === "string" ? body : body.toString("utf8"));
  for (const name of ["Url", "StatusCallback"])
    for (const url of fields.getAll(name))
      for (const { user, password } of urlPasswords(url)) learn(password, user, `the password in a CreateStream's ${name}`);
}

function learn(secret: string, user: string, source: string): void {
  if (learned.has(secret)) return;
  if (learned.size >= MAX_LEARNED) {
    warnOnce(`stream-contract: warning: more than ${MAX_LEARNED} different passwords from clients: the later ones are not masked`);
    return;
  }
  learned.add(secret);
  registerSecret(secret, [user], source);
}

/** A control answer with every registered secret masked (each entry of a list on its own). */
function redactedAnswer(given: ControlAnswer | Promise<ControlAnswer>): ControlAnswer | Promise<ControlAnswer> {
  if (given instanceof Promise) return given.then(redactedAnswer);
  const sent = given.sent === undefined ? {} : { sent: given.sent };
  if (!("chunks" in given)) return { status: given.status, chunks: [redact(JSON.stringify(given.body))], ...sent };
  const { chunks } = given;
  return {
    status: given.status,
    chunks: (function* () {
      for (const chunk of chunks) yield redact(chunk);
    })(),
    ...sent,
  };
}

/** `/__contract/fault`: POST a fault (JSON) to inject it, GET the one in force, DELETE to clear it. */
function faultControl(faults: FaultSchedule, method: string, body: string): { status: number; body: unknown } {
  const inForce = () => faults.current() ?? { fault: null };
  if (method === "GET") return { status: 200, body: inForce() };
  if (method === "DELETE") {
    faults.clear();
    return { status: 200, body: inForce() };
  }
  if (method !== "POST") return { status: 405, body: { error: `${MOCK_ENDPOINTS.fault} takes POST, GET or DELETE` } };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { status: 400, body: { error: 'the body must be a JSON fault such as {"status": 503, "times": 1}' } };
  }
  const fault = readFault(value);
  if (typeof fault === "string") return { status: 400, body: { error: fault } };
  faults.inject(fault);
  return { status: 200, body: inForce() };
}

/** The JSON body of end-call / fail-stream: the call's SIDs, and for a failure the Stream and why. */
function readCallControl(text: string, failure: boolean): { accountSid: string; callSid: string; sid: string; error: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "the body must be JSON";
  }
  const { accountSid, callSid, sid, error } = (value ?? {}) as Record<string, unknown>;
  if (typeof accountSid !== "string" || typeof callSid !== "string") return "accountSid and callSid must be strings";
  if (!failure) return { accountSid, callSid, sid: "", error: "" };
  if (typeof sid !== "string" || sid === "") return "sid must be the Stream's SID or name";
  return { accountSid, callSid, sid, error: typeof error === "string" && error !== "" ? error : "Stream - WebSocket - Connection Error" };
}

/** Entries per written chunk of a streamed list. */
const CHUNK_ENTRIES = 256;

/** A recorded list as JSON in chunks, from `?offset` (default 0), at most `?limit` entries (default all). */
function listAnswer(name: string, count: number, list: readonly unknown[], query: URLSearchParams): ControlAnswer {
  const offset = queryNumber(query.get("offset"), 0);
  const limit = queryNumber(query.get("limit"), Number.MAX_SAFE_INTEGER);
  if (offset === undefined || limit === undefined) return { status: 400, body: { error: "offset and limit must be whole numbers ≥ 0" } };
  const start = offset;
  const end = Math.min(list.length, offset + limit); // fixed now: entries recorded meanwhile are not listed
  function* chunks(): Generator<string> {
    yield `{"count":${count},"kept":${list.length},"offset":${start},${JSON.stringify(name)}:[`;
    for (let at = start; at < end; at += CHUNK_ENTRIES) {
      const part = list.slice(at, Math.min(end, at + CHUNK_ENTRIES)).map((entry) => JSON.stringify(entry));
      yield (at === start ? "" : ",") + part.join(",");
    }
    yield "]}";
  }
  return { status: 200, chunks: chunks() };
}

function queryNumber(text: string | null, fallback: number): number | undefined {
  if (text === null) return fallback;
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
