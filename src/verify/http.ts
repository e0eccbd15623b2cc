/**
 * The HTTP client every check sends its requests through: keep-alive connections (so that
 * checking is fast over loopback), a hard deadline on every exchange (so that a server that
 * hangs or drops connections is reported within `--timeout`, never waited on), and the whole
 * exchange kept as data for the report.
 */
import http from "node:http";
import https from "node:https";
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from "node:zlib";

/** A request as the checks build it: path relative to the base URL, a form or no body. */
export interface HttpRequest {
  readonly method: string;
  /** Path and query, e.g. `/2010-04-01/Accounts/AC…/Calls/CA…/Streams.json`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A request and the response it got. */
export interface HttpExchange {
  readonly request: HttpRequest;
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as text, decoded per its Content-Encoding. */
  readonly body: string;
  readonly durationMs: number;
  /** Why the body could not be decoded as its Content-Encoding says (then `body` is the raw bytes as text). */
  readonly decodingError?: string;
}

/** Why no response came: the server is not there, hung up, or did not answer in time. */
export type ConnectionFailureKind = "refused" | "reset" | "timeout" | "unreachable";

/** No HTTP response at all. Not a contract violation: the run cannot go on (exit 2). */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  constructor(
    readonly kind: ConnectionFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** Sends requests to one server. */
export interface HttpClient {
  readonly baseUrl: URL;
  send(request: HttpRequest): Promise<HttpExchange>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/** Bodies beyond this are cut: a check never needs more, and a hostile server cannot fill memory. */
const MAX_RESPONSE_BODY_BYTES = 1 << 20;

/** A client for `baseUrl` (http or https); every exchange ends within `timeoutMs`. */
export function createHttpClient(baseUrl: URL, timeoutMs: number): HttpClient {
  const secure = baseUrl.protocol === "https:";
  const transport = secure ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 16 });
  const prefix = baseUrl.pathname.replace(/\/+$/, "");
  const url = baseUrl.toString();
  const reusedSockets = new WeakSet<HttpRequest>();
  return {
    baseUrl,
    close: () => agent.destroy(),
    async send(request) {
      try {
        return await attempt(request);
      } catch (error) {
        // A kept-alive socket the server closed while idle fails on reuse: that is not the
        // server hanging up on this request, so it gets one fresh connection — a new one, not
        // another idle socket of the pool, which on a loaded machine may have gone stale too.
        if (error instanceof ConnectionError && error.kind === "reset" && reusedSockets.has(request)) return attempt(request, true);
        throw error;
      }
    },
  };

  function attempt(request: HttpRequest, fresh = false): Promise<HttpExchange> {
    const started = performance.now();
    return new Promise<HttpExchange>((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(request.body));
      const req = transport.request(
        {
          protocol: baseUrl.protocol,
          hostname: baseUrl.hostname,
          port: baseUrl.port,
          path: prefix + request.path,
          method: request.method,
          headers,
          agent: fresh ? false : agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_RESPONSE_BODY_BYTES) chunks.push(chunk);
          });
          res.on("error", (error) => fail(error));
          res.on("end", () => {
            clearTimeout(timer);
            const raw = Buffer.concat(chunks);
            const decoded = decodeBody(raw, res.headers["content-encoding"]);
            resolve({
              request,
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: (typeof decoded === "string" ? raw : decoded).toString("utf8"),
              durationMs: performance.now() - started,
              ...(typeof decoded === "string" ? { decodingError: decoded } : {}),
            });
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(
          new ConnectionError("timeout", `no complete answer from ${url} within ${timeoutMs} ms (${request.method} ${request.path})`),
        );
      }, timeoutMs);
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error instanceof ConnectionError ? error : describe(error, url));
      }
      req.on("error", fail);
      req.on("socket", () => {
        if (req.reusedSocket) reusedSockets.add(request);
        else reusedSockets.delete(request);
      });
      req.end(request.body);
    });
  }
}

/**
 * The body decoded as its Content-Encoding says (RFC 9110 §8.4: codings listed in the order they
 * were applied), or why it cannot be: every real client decodes what the server declares, so a
 * plain body labelled gzip is as broken for them as a corrupt one.
 */
function decodeBody(raw: Buffer, header: string | undefined): Buffer | string {
  const codings = (header ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== "" && c !== "identity");
  let body = raw;
  for (const coding of codings.reverse()) {
    const options = { maxOutputLength: MAX_RESPONSE_BODY_BYTES };
    try {
      if (coding === "gzip" || coding === "x-gzip") body = gunzipSync(body, options);
      else if (coding === "br") body = brotliDecompressSync(body, options);
      else if (coding === "deflate") body = inflateOrRaw(body, options);
      else return `Content-Encoding ${JSON.stringify(coding)} is not a coding HTTP clients know (gzip, deflate, br)`;
    } catch (error) {
      return `the body is not ${coding}-encoded, as its Content-Encoding says: ${(error as Error).message}`;
    }
  }
  return body;
}

/** "deflate" is zlib-wrapped by the RFC, raw in some servers; clients accept both. */
function inflateOrRaw(body: Buffer, options: { maxOutputLength: number }): Buffer {
  try {
    return inflateSync(body, options);
  } catch {
    return inflateRawSync(body, options);
  }
}

function describe(error: NodeJS.ErrnoException, url: string): ConnectionError {
  switch (error.code) {
    case "ECONNREFUSED":
      return new ConnectionError("refused", `cannot connect to ${url}: connection refused (is the server running?)`);
    case "ECONNRESET":
    case "EPIPE":
    case "HPE_INVALID_CONSTANT":
    case "UND_ERR_SOCKET":
      return new ConnectionError("reset", `${url} closed the connection without a complete HTTP response`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ConnectionError("unreachable", `cannot resolve the host of ${url}`);
    default:
      if (error.message === "socket hang up") {
        return new ConnectionError("reset", `${url} closed the connection without a complete HTTP response`);
      }
      return new ConnectionError("unreachable", `cannot reach ${url}: ${error.message}`);
  }
}
