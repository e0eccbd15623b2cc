/**
 * The contract mock: Twilio's two Stream operations on node:http, strict about the client. Every
 * request is checked by the rule engine (mock policy); valid ones get contract-valid answers,
 * invalid ones the error Twilio would send, and are recorded as violations.
 */
import { StreamEngine } from "../engine/engine.js";
import { closeServer, CONTROL_PREFIX, type ControlAnswer, createEngineServer, listen, type ServerTimeouts } from "../engine/http.js";
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
  /** How long a client may take to send a request (defaults: SERVER_TIMEOUTS, src/engine/http.ts). */
  readonly timeouts?: ServerTimeouts;
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
  const { log } = options;
  const server = createEngineServer({
    engine,
    control(method, target) {
      const question = target.indexOf("?");
      const path = question < 0 ? target : target.slice(0, question);
      const query = new URLSearchParams(question < 0 ? "" : target.slice(question + 1));
      if (method === "GET" && path === MOCK_ENDPOINTS.violations) return listAnswer("violations", journal.violationCount, journal.violations(), query);
      if (method === "GET" && path === MOCK_ENDPOINTS.requests) return listAnswer("requests", journal.requestCount, journal.requests(), query);
      if (method === "POST" && path === MOCK_ENDPOINTS.reset) {
        journal.clear();
        return { status: 200, body: { count: 0 } };
      }
      return { status: 404, body: { error: `no such endpoint; try GET ${MOCK_ENDPOINTS.violations}, GET ${MOCK_ENDPOINTS.requests} or POST ${MOCK_ENDPOINTS.reset}` } };
    },
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
    reset: () => journal.clear(),
    close: () => closeServer(server),
  };
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
