/**
 * The node:http transport of the rule engine, shared by the reference provider and the contract
 * mock: read the body (at most MAX_BODY_BYTES), let the engine answer, write the answer. Paths
 * under CONTROL_PREFIX belong to the server itself (provider states, recorded violations).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { JSON_CONTENT_TYPE } from "../contract/media-types.js";
import { type EngineAnswer, type EngineRequest, MAX_BODY_BYTES, type StreamEngine } from "./engine.js";
import { engineFault, type FaultInjection, type FaultSchedule, slowBody } from "./faults.js";

/** Where a server's own endpoints live; no Twilio path starts with it. */
export const CONTROL_PREFIX = "/__contract/";

/** A request and the engine's answer to it. */
interface Exchange {
  readonly request: EngineRequest;
  readonly answer: EngineAnswer;
}

/**
 * The answer to a control request: a value sent as JSON, or JSON text in pieces (a list too
 * long for one string: V8 strings end at about 512 MB, and building one that long would throw).
 */
export type ControlAnswer = (
  { readonly status: number; readonly body: unknown } | { readonly status: number; readonly chunks: Iterable<string> }
) & {
  /** Called once the answer has been sent, or its connection closed (e.g. to close the server after a stop). */
  readonly sent?: () => void;
};

/** Answers a control request (path under CONTROL_PREFIX, query included), with its body read. */
type ControlHandler = (method: string, path: string, body: string) => ControlAnswer | Promise<ControlAnswer>;

/**
 * `POST` here ends a server's run over HTTP, for scripts that cannot send a signal (under `npx`,
 * a signal's exit status replaces the command's): the server answers with its summary, then closes.
 */
export const STOP_PATH = `${CONTROL_PREFIX}stop`;

/**
 * The answer to a stop: what `finish` resolves to (JSON), then `close`. A failing `finish` is a 500,
 * and the server is closed all the same.
 */
export async function stopAnswer(finish: () => Promise<unknown>, close: () => Promise<void>): Promise<ControlAnswer> {
  try {
    return { status: 200, body: await finish(), sent: () => void close() };
  } catch (error) {
    return { status: 500, body: { error: `the stop failed: ${(error as Error).message}` }, sent: () => void close() };
  }
}

/**
 * How long a client may take, in milliseconds. Node's defaults (60 s for the headers, 300 s for
 * the whole request) let a slow or stalled client hold a socket for minutes; a test server's
 * clients are on the same machine or network, and send small requests.
 */
export interface ServerTimeouts {
  /** From connection (or the previous request) to the end of the headers (default 10,000). */
  readonly headersMs?: number;
  /** From the start of a request to the end of its body (default 30,000). */
  readonly requestMs?: number;
  /** How long an idle kept-alive connection stays open (default 5,000, Node's). */
  readonly keepAliveMs?: number;
}

/** The timeouts every engine server uses unless told otherwise. */
export const SERVER_TIMEOUTS: Required<ServerTimeouts> = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000 };

/** How to serve an engine. */
export interface EngineServerOptions {
  readonly engine: StreamEngine;
  readonly control: ControlHandler;
  /** Called with each Twilio request before the engine answers it (the mock registers the secrets it carries). */
  readonly onRequest?: (request: EngineRequest) => void;
  /** Called after each answered Twilio request (not for control requests). */
  readonly onExchange?: (exchange: Exchange) => void;
  /** Injected faults (the mock's); none when absent. */
  readonly faults?: FaultSchedule;
  readonly timeouts?: ServerTimeouts;
}

/** A node:http server that hands every request to the engine. */
export function createEngineServer({ engine, control, onRequest, onExchange, faults, timeouts = {} }: EngineServerOptions): Server {
  const { headersMs, requestMs, keepAliveMs } = { ...SERVER_TIMEOUTS, ...timeouts };
  const serverOptions = {
    headersTimeout: headersMs,
    requestTimeout: Math.max(requestMs, headersMs),
    keepAliveTimeout: keepAliveMs,
    // How often Node looks for connections past headersTimeout / requestTimeout (default 30 s,
    // which would let a slow client overstay a short timeout by that much).
    connectionsCheckingInterval: Math.max(1, Math.min(1_000, Math.floor(headersMs / 2))),
  };
  const server = createServer(serverOptions, (req, res) => {
    const path = req.url ?? "/";
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES)
      return refuseTooLarge(req, res, engine, path, `${declared} bytes (Content-Length)`, onRequest, onExchange);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        refuseTooLarge(req, res, engine, path, `more than ${MAX_BODY_BYTES} bytes`, onRequest, onExchange);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      if (path.startsWith(CONTROL_PREFIX)) return answerControl(res, () => control(req.method ?? "GET", path, body.toString("utf8")));
      const request: EngineRequest = {
        method: req.method ?? "GET",
        path,
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      };
      onRequest?.(request);
      const fault = faults?.take(path);
      const answer = engine.handle(request, fault === undefined ? undefined : engineFault(fault));
      if (fault === undefined) send(res, answer.status, answer.body, answer.headers);
      else sendFaulty(req, res, answer, fault);
      onExchange?.({ request, answer });
    });
    req.on("error", () => res.destroy());
  });
  return server;
}

/** A control answer; whatever goes wrong becomes a 500 (a reporting endpoint must never crash the server). */
function answerControl(res: ServerResponse, answer: () => ControlAnswer | Promise<ControlAnswer>): void {
  let given: ControlAnswer | Promise<ControlAnswer>;
  try {
    given = answer();
  } catch (error) {
    return failedControl(res, error);
  }
  if (given instanceof Promise)
    given.then(
      (ready) => writeControl(res, ready),
      (error: unknown) => failedControl(res, error),
    );
  else writeControl(res, given);
}

function failedControl(res: ServerResponse, error: unknown): void {
  send(res, 500, JSON.stringify({ error: `the endpoint failed: ${(error as Error).message}` }));
}

function writeControl(res: ServerResponse, given: ControlAnswer): void {
  if (given.sent !== undefined) {
    if (res.closed || res.destroyed)
      given.sent(); // the client went away while the answer was made
    else res.once("close", given.sent);
  }
  let chunks: Iterator<string>;
  let status: number;
  try {
    status = given.status;
    if (!("chunks" in given)) return send(res, status, JSON.stringify(given.body));
    chunks = given.chunks[Symbol.iterator]();
  } catch (error) {
    return failedControl(res, error);
  }
  res.writeHead(status, ["Content-Type", JSON_CONTENT_TYPE]); // chunked: the length is not known
  const pump = (): void => {
    try {
      for (let next = chunks.next(); !next.done; next = chunks.next()) {
        if (!res.write(next.value)) {
          res.once("drain", pump); // back-pressure: a slow reader never makes the server buffer the whole list
          return;
        }
      }
      res.end();
    } catch {
      res.destroy(); // the status is sent: cutting the connection is the only way left to say "failed"
    }
  };
  pump();
}

function send(res: ServerResponse, status: number, body: string, headers?: Readonly<Record<string, string>>): void {
  // A flat [name, value, …] list: node:http takes it as it is, with no object to build or walk.
  const list: (string | number)[] = ["Content-Type", JSON_CONTENT_TYPE, "Content-Length", Buffer.byteLength(body)];
  if (headers !== undefined) for (const name in headers) list.push(name, headers[name]!);
  res.writeHead(status, list as unknown as string[]);
  res.end(body);
}

/**
 * An answer with a fault: a reset (RST, not a clean close), no answer at all (the socket stays
 * open until the client gives up or the server closes), or a body spread over time.
 */
function sendFaulty(req: IncomingMessage, res: ServerResponse, answer: EngineAnswer, fault: FaultInjection): void {
  if (fault.connection === "reset") return void req.socket.resetAndDestroy();
  if (fault.connection === "hang") return;
  if (fault.slowBodyMs === undefined) return send(res, answer.status, answer.body, answer.headers);
  res.writeHead(answer.status, { ...answer.headers, "Content-Type": JSON_CONTENT_TYPE, "Content-Length": Buffer.byteLength(answer.body) });
  res.flushHeaders();
  slowBody(answer.body, fault.slowBodyMs).pipe(res);
}

/** 413, then the connection is closed: the rest of the body is not read. */
function refuseTooLarge(
  req: IncomingMessage,
  res: ServerResponse,
  engine: StreamEngine,
  path: string,
  received: string,
  onRequest: EngineServerOptions["onRequest"],
  onExchange: EngineServerOptions["onExchange"],
): void {
  const request: EngineRequest = {
    method: req.method ?? "GET",
    path,
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
    body: "",
  };
  onRequest?.(request);
  const answer = engine.tooLarge(request, received);
  send(res, answer.status, answer.body, { Connection: "close" });
  onExchange?.({ request, answer });
  req.resume(); // drain what the client is still sending until the socket closes
}

/** Starts listening; resolves with the base URL (`http://host:port`). */
export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}

/** Stops accepting connections and ends the open ones. */
export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
