/**
 * The contract mock: Twilio's two Stream operations on node:http, strict about the client. Every
 * request is checked by the rule engine (mock policy); valid ones get contract-valid answers,
 * invalid ones the error Twilio would send, and are recorded as violations.
 */
import { MediaDialer, type MediaStreamingOptions } from "../dialer/dialer.js";
import type { MediaSessionRecord, MediaViolation } from "../dialer/session.js";
import { StreamEngine } from "../engine/engine.js";
import { closeServer, CONTROL_PREFIX, createEngineServer, listen } from "../engine/http.js";
import { type ClientViolation, Journal, type RecordedRequest } from "../engine/journal.js";
import { allListeners, type StreamEventListener } from "../engine/stream-events.js";
import { type CallbackDelivery, CallbackSender, type CallbackSenderOptions } from "../status-callbacks/sender.js";

/** Options of `startMockServer`. @public */
export interface MockServerOptions {
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** Seed of the SID generator (default 0): same seed and requests → same answers. */
  readonly seed?: number;
  /** Called with one line per request (method, path, status, violation); no credentials. */
  readonly log?: (line: string) => void;
  /**
   * Status callbacks of Streams created with a `StatusCallback` (default `{}`: sent, to loopback
   * hosts only, signed with the CreateStream's password); `false`: never sent.
   */
  readonly statusCallbacks?: CallbackSenderOptions | false;
  /** Also told each Stream start, stop and failure (e.g. to dial the Stream's wss `Url`). */
  readonly onStreamEvent?: StreamEventListener;
  /**
   * Really stream: dial each created Stream's Url and play it as Twilio would (see
   * docs/media-streams.md); a failed socket is reported as the Stream's failure (`stream-error`).
   * Off by default: no Stream is dialled.
   */
  readonly media?: MediaStreamingOptions;
}

/** A running contract mock. @public */
export interface MockServer {
  /** `http://127.0.0.1:<port>`: use it in place of `https://api.twilio.com`. */
  readonly baseUrl: string;
  /** The requests that broke the contract, oldest first. */
  violations(): readonly ClientViolation[];
  /** Every request and the status it got, oldest first. */
  requests(): readonly RecordedRequest[];
  /** How many requests and violations there were (exact, also past the recorded lists' limit). */
  counts(): { readonly requests: number; readonly violations: number };
  /** The status callbacks sent so far and what their receivers answered, oldest first. */
  callbacks(): readonly CallbackDelivery[];
  /** With `media`: each Stream's socket — dialled or not, why, violations. Oldest first. */
  mediaSessions(): readonly MediaSessionRecord[];
  /** With `media`: what the WebSocket servers did wrong, under Twilio's codes. */
  mediaViolations(): readonly MediaViolation[];
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
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/** The mock's own endpoints (JSON). */
export const MOCK_ENDPOINTS = {
  /** GET: `{ count, violations }`. */
  violations: `${CONTROL_PREFIX}violations`,
  /** GET: `{ count, requests }`. */
  requests: `${CONTROL_PREFIX}requests`,
  /** POST: forget what was recorded. */
  reset: `${CONTROL_PREFIX}reset`,
  /** GET: `{ counts, callbacks }`, the status callbacks sent (waits for those under way). */
  callbacks: `${CONTROL_PREFIX}callbacks`,
  /** POST `{ accountSid, callSid }`: the call ends. */
  endCall: `${CONTROL_PREFIX}end-call`,
  /** POST `{ accountSid, callSid, sid, error }`: the Stream (SID or name) failed. */
  failStream: `${CONTROL_PREFIX}fail-stream`,
  /** GET: `{ count, violations, sessions }`, the Streams' sockets (with `media`). */
  media: `${CONTROL_PREFIX}media`,
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
  const { log } = options;
  const sender = options.statusCallbacks === false ? undefined : new CallbackSender({ log, ...options.statusCallbacks });
  // A failed socket fails its Stream: status callbacks then send stream-error and stream-stopped.
  const dialer = options.media === undefined ? undefined : new MediaDialer({ ...options.media, onStreamFailed: (s, error) => engine.failStream(s.accountSid, s.callSid, s.streamSid, error) });
  const onStreamEvent = allListeners(sender?.listener, dialer?.listener, options.onStreamEvent);
  const engine: StreamEngine = new StreamEngine({ policy: { kind: "mock" }, seed: options.seed ?? 0, ...(onStreamEvent === undefined ? {} : { onStreamEvent }) });
  const journal = new Journal();
  const server = createEngineServer({
    engine,
    control(method, path, body) {
      if (method === "GET" && path === MOCK_ENDPOINTS.violations) return { status: 200, body: { count: journal.violationCount, violations: journal.violations() } };
      if (method === "GET" && path === MOCK_ENDPOINTS.requests) return { status: 200, body: { count: journal.requestCount, requests: journal.requests() } };
      if (method === "POST" && path === MOCK_ENDPOINTS.reset) {
        journal.clear();
        sender?.reset();
        dialer?.clear();
        return { status: 200, body: { count: 0 } };
      }
      if (method === "GET" && path === MOCK_ENDPOINTS.media) {
        const sessions = dialer?.sessions() ?? [];
        return { status: 200, body: { count: sessions.length, violations: dialer?.totalViolations ?? 0, sessions } };
      }
      if (method === "GET" && path === MOCK_ENDPOINTS.callbacks) return { status: 200, body: { counts: sender?.counts() ?? {}, callbacks: sender?.deliveries() ?? [] } };
      if (method === "POST" && (path === MOCK_ENDPOINTS.endCall || path === MOCK_ENDPOINTS.failStream)) {
        const call = readCallControl(body, path === MOCK_ENDPOINTS.failStream);
        if (typeof call === "string") return { status: 400, body: { error: call } };
        if (path === MOCK_ENDPOINTS.endCall) {
          engine.endCall(call.accountSid, call.callSid);
          return { status: 200, body: { ended: true } };
        }
        return { status: 200, body: { failed: engine.failStream(call.accountSid, call.callSid, call.sid, call.error) } };
      }
      return { status: 404, body: { error: `no such endpoint; try GET ${MOCK_ENDPOINTS.violations}, GET ${MOCK_ENDPOINTS.requests}, GET ${MOCK_ENDPOINTS.callbacks}, GET ${MOCK_ENDPOINTS.media} or POST ${MOCK_ENDPOINTS.reset}` } };
    },
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
    callbacks: () => sender?.deliveries() ?? [],
    mediaSessions: () => dialer?.sessions() ?? [],
    mediaViolations: () => dialer?.violations() ?? [],
    failStream: (accountSid, callSid, sidOrName, error) => engine.failStream(accountSid, callSid, sidOrName, error),
    endCall: (accountSid, callSid) => engine.endCall(accountSid, callSid),
    drainCallbacks: async () => sender?.drain(),
    reset: () => {
      journal.clear();
      sender?.reset();
      dialer?.clear();
    },
    close: async () => {
      await dialer?.close(); // `stop` to every Stream still playing
      await closeServer(server);
      await sender?.close();
    },
  };
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
