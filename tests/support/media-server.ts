/**
 * A WebSocket server on 127.0.0.1 for the Media Streams tests: plain or TLS (a self-signed
 * certificate made at test time), recording every upgrade and message, with a `behave` hook to
 * make it misbehave.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import selfsigned from "selfsigned";
import { type WebSocket, WebSocketServer } from "ws";

/** One connection as the server saw it. */
interface RecordedConnection {
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly messages: unknown[];
  readonly socket: WebSocket;
  /** Settles when the connection closes, with the close code. */
  readonly closed: Promise<number>;
}

export interface MediaTestServer {
  /** `ws://127.0.0.1:<port>` or `wss://localhost:<port>` (the certificate's name). */
  readonly origin: string;
  readonly port: number;
  readonly connections: RecordedConnection[];
  /** The next connection (resolved at once when one is waiting). */
  nextConnection(): Promise<RecordedConnection>;
  close(): Promise<void>;
}

export interface MediaTestServerOptions {
  /** PEM certificate and key: serve wss://. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Refuse upgrades with this HTTP status. */
  readonly refuseWith?: number;
  /** Accept an upgrade only when this says so (else 403). */
  readonly accept?: (request: IncomingMessage) => boolean;
  /** Called on each message (parsed JSON, or the raw text when it is not JSON). */
  readonly behave?: (socket: WebSocket, message: unknown, connection: RecordedConnection) => void;
  /** Called once a connection is open. */
  readonly onOpen?: (socket: WebSocket, connection: RecordedConnection) => void;
}

/** A self-signed certificate for `localhost` and 127.0.0.1, made now. */
export async function makeCertificate(): Promise<{ cert: string; key: string }> {
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }] }],
  });
  return { cert: pems.cert, key: pems.private };
}

export async function startMediaTestServer(options: MediaTestServerOptions = {}): Promise<MediaTestServer> {
  const server: Server = options.tls === undefined ? createHttpServer() : createHttpsServer({ cert: options.tls.cert, key: options.tls.key });
  const wss = new WebSocketServer({
    server,
    verifyClient: (info, callback) => {
      if (options.refuseWith !== undefined) return callback(false, options.refuseWith);
      if (options.accept !== undefined && !options.accept(info.req)) return callback(false, 403);
      callback(true);
    },
  });
  const connections: RecordedConnection[] = [];
  const waiting: ((c: RecordedConnection) => void)[] = [];
  let handedOut = 0;
  wss.on("connection", (socket, request) => {
    let closedWith!: (code: number) => void;
    const connection: RecordedConnection = { path: request.url ?? "", headers: request.headers, messages: [], socket, closed: new Promise((resolve) => (closedWith = resolve)) };
    socket.on("close", (code) => closedWith(code));
    connections.push(connection);
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? undefined : data.toString();
      let message: unknown = text;
      try {
        message = text === undefined ? data : JSON.parse(text);
      } catch {
        // kept as text
      }
      connection.messages.push(message);
      options.behave?.(socket, message, connection);
    });
    options.onOpen?.(socket, connection);
    const waiter = waiting.shift();
    if (waiter !== undefined) {
      handedOut++;
      waiter(connection);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: options.tls === undefined ? `ws://127.0.0.1:${port}` : `wss://localhost:${port}`,
    port,
    connections,
    nextConnection: () =>
      new Promise((resolve) => {
        const ready = connections[handedOut];
        if (ready !== undefined) {
          handedOut++;
          resolve(ready);
        } else waiting.push(resolve);
      }),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until `predicate` holds, polling every 10 ms (up to `ms`); throws with `what` otherwise. */
export async function eventually(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
