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
import { isAccountSid, isCallSid } from "../validators/sid.js";

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
   * Really stream: dial each created Stream's Url and play it as Twilio would (see
   * docs/media-streams.md). Off by default: no Stream is dialled.
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
  /** With `media`: each Stream's socket — dialled or not, why, violations. Oldest first. */
  mediaSessions(): readonly MediaSessionRecord[];
  /** With `media`: what the WebSocket servers did wrong, under Twilio's codes. */
  mediaViolations(): readonly MediaViolation[];
  /** Ends a call: `stop` on its Streams' sockets; its Streams are forgotten. */
  endCall(accountSid: string, callSid: string): void;
  /** Forgets the recorded requests and violations. */
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
  /** GET: `{ count, sessions }`, the Streams' sockets (with `media`). */
  media: `${CONTROL_PREFIX}media`,
  /** POST `{"accountSid","callSid"}`: the call ends (its Streams get `stop`). */
  endCall: `${CONTROL_PREFIX}end-call`,
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
  const dialer = options.media === undefined ? undefined : new MediaDialer(options.media);
  const engine = new StreamEngine({ policy: { kind: "mock" }, seed: options.seed ?? 0, ...(dialer === undefined ? {} : { onStreamEvent: dialer.handle }) });
  const journal = new Journal();
  const { log } = options;
  const server = createEngineServer({
    engine,
    control(method, path, body) {
      if (method === "GET" && path === MOCK_ENDPOINTS.violations) return { status: 200, body: { count: journal.violationCount, violations: journal.violations() } };
      if (method === "GET" && path === MOCK_ENDPOINTS.requests) return { status: 200, body: { count: journal.requestCount, requests: journal.requests() } };
      if (method === "POST" && path === MOCK_ENDPOINTS.reset) {
        journal.clear();
        dialer?.clear();
        return { status: 200, body: { count: 0 } };
      }
      if (method === "GET" && path === MOCK_ENDPOINTS.media) {
        const sessions = dialer?.sessions() ?? [];
        return { status: 200, body: { count: sessions.length, violations: dialer?.totalViolations ?? 0, sessions } };
      }
      if (method === "POST" && path === MOCK_ENDPOINTS.endCall) {
        const call = readCall(body);
        if (call === undefined) return { status: 400, body: { error: 'the body must be JSON {"accountSid": "AC…", "callSid": "CA…"}' } };
        engine.endCall(call.accountSid, call.callSid);
        return { status: 200, body: call };
      }
      return { status: 404, body: { error: `no such endpoint; try GET ${MOCK_ENDPOINTS.violations}, GET ${MOCK_ENDPOINTS.requests}, GET ${MOCK_ENDPOINTS.media}, POST ${MOCK_ENDPOINTS.endCall} or POST ${MOCK_ENDPOINTS.reset}` } };
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
    mediaSessions: () => dialer?.sessions() ?? [],
    mediaViolations: () => dialer?.violations() ?? [],
    endCall: (accountSid, callSid) => engine.endCall(accountSid, callSid),
    reset: () => {
      journal.clear();
      dialer?.clear();
    },
    close: async () => {
      await dialer?.close(); // `stop` to every Stream still playing, as when the calls end
      await closeServer(server);
    },
  };
}

/** The call of an end-call request body, if it names one. */
function readCall(text: string): { accountSid: string; callSid: string } | undefined {
  try {
    const { accountSid, callSid } = JSON.parse(text) as { accountSid?: unknown; callSid?: unknown };
    return isAccountSid(accountSid) && isCallSid(callSid) ? { accountSid, callSid } : undefined;
  } catch {
    return undefined;
  }
}
