/**
 * The contract mock: Twilio's two Stream operations on node:http, strict about the client. Every
 * request is checked by the rule engine (mock policy); valid ones get contract-valid answers,
 * invalid ones the error Twilio would send, and are recorded as violations.
 */
import { StreamEngine } from "../engine/engine.js";
import { type FaultInjection, FaultSchedule, readFault } from "../engine/faults.js";
import { closeServer, CONTROL_PREFIX, createEngineServer, listen } from "../engine/http.js";
import { type ClientViolation, Journal, type RecordedRequest } from "../engine/journal.js";

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
  /** A fault to inject from the start (see `injectFault`). */
  readonly fault?: FaultInjection;
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
  /** Forgets the recorded requests and violations. */
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

/** The mock's own endpoints (JSON). */
export const MOCK_ENDPOINTS = {
  /** GET: `{ count, violations }`. */
  violations: `${CONTROL_PREFIX}violations`,
  /** GET: `{ count, requests }`. */
  requests: `${CONTROL_PREFIX}requests`,
  /** POST: forget what was recorded. */
  reset: `${CONTROL_PREFIX}reset`,
  /** POST a FaultInjection (JSON) to inject it, DELETE to clear it, GET: `{ fault, left }` or `{ fault: null }`. */
  fault: `${CONTROL_PREFIX}fault`,
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
  const engine = new StreamEngine({ policy: { kind: "mock" }, seed: options.seed ?? 0 });
  const journal = new Journal();
  const faults = new FaultSchedule();
  const injectFault = (fault: FaultInjection) => {
    const checked = readFault(fault);
    if (typeof checked === "string") throw new TypeError(`injectFault: ${checked}`);
    faults.inject(checked);
  };
  if (options.fault !== undefined) injectFault(options.fault);
  const { log } = options;
  const server = createEngineServer({
    engine,
    faults,
    control(method, path, body) {
      if (method === "GET" && path === MOCK_ENDPOINTS.violations) return { status: 200, body: { count: journal.violationCount, violations: journal.violations() } };
      if (method === "GET" && path === MOCK_ENDPOINTS.requests) return { status: 200, body: { count: journal.requestCount, requests: journal.requests() } };
      if (method === "POST" && path === MOCK_ENDPOINTS.reset) {
        journal.clear();
        return { status: 200, body: { count: 0 } };
      }
      if (path === MOCK_ENDPOINTS.fault) return faultControl(faults, method, body);
      return { status: 404, body: { error: `no such endpoint; try GET ${MOCK_ENDPOINTS.violations}, GET ${MOCK_ENDPOINTS.requests}, POST ${MOCK_ENDPOINTS.reset} or POST/GET/DELETE ${MOCK_ENDPOINTS.fault}` } };
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
    reset: () => journal.clear(),
    injectFault,
    clearFault: () => faults.clear(),
    close: () => closeServer(server),
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
