/**
 * The node:http transport of the rule engine, shared by the reference provider and the contract
 * mock: read the body (at most MAX_BODY_BYTES), let the engine answer, write the answer. Paths
 * under CONTROL_PREFIX belong to the server itself (provider states, recorded violations).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type EngineAnswer, type EngineRequest, JSON_CONTENT_TYPE, MAX_BODY_BYTES, type StreamEngine } from "./engine.js";

/** Where a server's own endpoints live; no Twilio path starts with it. */
export const CONTROL_PREFIX = "/__contract/";

/** A request and the engine's answer to it. */
interface Exchange {
  readonly request: EngineRequest;
  readonly answer: EngineAnswer;
}

/** Answers a control request (path under CONTROL_PREFIX), with its body read. */
type ControlHandler = (method: string, path: string, body: string) => { status: number; body: unknown };

/** How to serve an engine. */
export interface EngineServerOptions {
  readonly engine: StreamEngine;
  readonly control: ControlHandler;
  /** Called after each answered Twilio request (not for control requests). */
  readonly onExchange?: (exchange: Exchange) => void;
}

/** A node:http server that hands every request to the engine. */
export function createEngineServer({ engine, control, onExchange }: EngineServerOptions): Server {
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuseTooLarge(req, res, engine, path, `${declared} bytes (Content-Length)`, onExchange);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        refuseTooLarge(req, res, engine, path, `more than ${MAX_BODY_BYTES} bytes`, onExchange);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
      if (path.startsWith(CONTROL_PREFIX)) {
        const answer = control(req.method ?? "GET", path, body.toString("utf8"));
        return send(res, answer.status, JSON.stringify(answer.body));
      }
      const request: EngineRequest = {
        method: req.method ?? "GET",
        path,
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      };
      const answer = engine.handle(request);
      send(res, answer.status, answer.body, answer.headers);
      onExchange?.({ request, answer });
    });
    req.on("error", () => res.destroy());
  });
  return server;
}

function send(res: ServerResponse, status: number, body: string, headers?: Readonly<Record<string, string>>): void {
  // A flat [name, value, …] list: node:http takes it as it is, with no object to build or walk.
  const list: (string | number)[] = ["Content-Type", JSON_CONTENT_TYPE, "Content-Length", Buffer.byteLength(body)];
  if (headers !== undefined) for (const name in headers) list.push(name, headers[name]!);
  res.writeHead(status, list as unknown as string[]);
  res.end(body);
}

/** 413, then the connection is closed: the rest of the body is not read. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, engine: StreamEngine, path: string, received: string, onExchange: EngineServerOptions["onExchange"]): void {
  const request: EngineRequest = { method: req.method ?? "GET", path, authorization: req.headers.authorization, contentType: req.headers["content-type"], body: "" };
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
