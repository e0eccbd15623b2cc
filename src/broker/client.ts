/**
 * A small HAL client for the Pact Broker, on Node's fetch: it retries what is worth retrying
 * (5xx, network errors, timeouts) with bounded exponential backoff, and nothing it prints or
 * throws can carry a credential — every line goes through `redact`.
 */
import { basicAuthorization } from "../http/basic-auth.js";
import { cutRedacted, redact, registerSecret } from "../secrets.js";
import { isObject } from "../lib/json.js";

/** No single backoff is longer than this. */
const MAX_RETRY_DELAY_MS = 8_000;

/** How to authenticate: a bearer token, or Basic username and password. */
export interface BrokerAuth {
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
}

/** The broker credentials, from the environment only (a flag would land in shell history and process lists). */
export function brokerAuthFromEnv(env: Readonly<Record<string, string | undefined>>): BrokerAuth {
  return { token: env.PACT_BROKER_TOKEN || undefined, username: env.PACT_BROKER_USERNAME || undefined, password: env.PACT_BROKER_PASSWORD || undefined };
}

export interface BrokerClientOptions {
  /** The broker's base URL, without credentials. */
  readonly baseUrl: string;
  readonly auth: BrokerAuth;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Attempts after the first, for 5xx and network errors. */
  readonly retries: number;
  /** The first backoff; each further one doubles. */
  readonly retryDelayMs: number;
  /** Debug lines (requests, answers, retries), already redacted. */
  readonly debug?: (line: string) => void;
  /** Progress lines for the user (retries), already redacted. */
  readonly progress?: (line: string) => void;
}

/** A broker answer that was not a success, or no answer at all (`status` undefined). */
export class BrokerError extends Error {
  override readonly name = "BrokerError";
  constructor(
    message: string,
    readonly status?: number,
    /** The parsed JSON body of the answer, when there was one. */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** An answer: status and parsed JSON body (undefined when the body was empty or not JSON). */
interface BrokerResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The broker's API as `publish` and `verify` use it. */
export interface BrokerClient {
  /** GETs the HAL index and returns the href of `relation`, or undefined when it is not there. */
  relation(relation: string): Promise<string | undefined>;
  /** GETs JSON; resolves on 2xx, throws BrokerError otherwise (after retries for 5xx). */
  getJson(url: string): Promise<BrokerResponse>;
  /** POSTs JSON; resolves on 2xx, throws BrokerError otherwise (after retries for 5xx). */
  postJson(url: string, payload: unknown): Promise<BrokerResponse>;
  /** PUTs JSON; resolves on 2xx, throws BrokerError otherwise (after retries for 5xx). */
  putJson(url: string, payload: unknown): Promise<BrokerResponse>;
  /** Masks every credential in `text`. */
  redact(text: string): string;
}

/** Makes a client. */
export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const { auth } = options;
  registerSecret(auth.token);
  registerSecret(auth.password, [auth.username]);
  const secrets = [auth.token, auth.password];
  const users = auth.username === undefined ? [] : [auth.username];
  const clean = (text: string) => redact(text, secrets, users);
  const debug = (line: string) => options.debug?.(clean(line));
  const headers: Record<string, string> = { Accept: "application/hal+json, application/json" };
  if (auth.token !== undefined) headers.Authorization = `Bearer ${auth.token}`;
  else if (auth.username !== undefined) headers.Authorization = basicAuthorization(auth.username, auth.password ?? "");

  async function send(method: "GET" | "POST" | "PUT", url: string, payload?: unknown): Promise<BrokerResponse> {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const requestHeaders = body === undefined ? headers : { ...headers, "Content-Type": "application/json" };
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= options.retries;
      let failure: string;
      debug(`→ ${method} ${url} (attempt ${attempt + 1}) headers ${JSON.stringify(requestHeaders)}${body === undefined ? "" : ` body ${body.length} bytes`}`);
      try {
        const response = await fetch(url, { method, headers: requestHeaders, body, signal: AbortSignal.timeout(options.timeoutMs), redirect: "follow" });
        const text = await response.text();
        debug(`← ${response.status} ${url} ${cutRedacted(text, 2000)}`);
        const parsed = parseBody(text);
        if (response.ok) return { status: response.status, body: parsed };
        if (response.status < 500 || last) {
          throw new BrokerError(clean(`${method} ${url} answered ${response.status}${last && response.status >= 500 ? ` after ${attempt + 1} attempts` : ""}`), response.status, parsed);
        }
        failure = `${response.status}`;
      } catch (error) {
        if (error instanceof BrokerError) throw error;
        const why = networkReason(error, options.timeoutMs);
        if (last) throw new BrokerError(clean(`${method} ${url} failed: ${why}${attempt > 0 ? ` (after ${attempt + 1} attempts)` : ""}`));
        failure = why;
      }
      // Publishing the same content (or the same verification result) again is harmless, so even
      // a POST may be retried.
      const delay = Math.min(options.retryDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS);
      options.progress?.(clean(`broker: ${method} ${url} ${failure}; retrying in ${delay} ms`));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  return {
    async relation(relation) {
      const index = await send("GET", options.baseUrl);
      const links = isObject(index.body) && isObject(index.body._links) ? index.body._links : {};
      const link = links[relation];
      return isObject(link) && typeof link.href === "string" ? link.href : undefined;
    },
    getJson: (url) => send("GET", url),
    postJson: (url, payload) => send("POST", url, payload),
    putJson: (url, payload) => send("PUT", url, payload),
    redact: clean,
  };
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Why a request got no answer, in words. */
function networkReason(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError" || e.name === "AbortError") return `no answer within ${timeoutMs} ms`;
  const code = e.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused (is the broker running at that address?)";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was reset";
  if (code === "ENOTFOUND") return "host not found";
  return e.cause?.message ?? e.message ?? String(error);
}
