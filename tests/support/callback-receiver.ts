/**
 * A status-callback receiver for tests: a node:http server on 127.0.0.1 that records every
 * request (method, URL, headers, body) and answers what `answer` says.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly path: string;
  /** The full URL Twilio requested: `http://127.0.0.1:<port>` + path. */
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** The form or query parameters, as an object (last value wins). */
  readonly params: Record<string, string>;
}

export interface CallbackReceiver {
  readonly baseUrl: string;
  readonly received: ReceivedRequest[];
  /** Resolves when `count` requests have arrived (or after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export type Answer = (request: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export async function startCallbackReceiver(answer: Answer = (_, res) => void res.writeHead(204).end()): Promise<CallbackReceiver> {
  const received: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  let baseUrl = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const query = path.includes("?") ? path.slice(path.indexOf("?") + 1) : "";
      const params = Object.fromEntries(new URLSearchParams(req.method === "GET" ? query : body));
      const request = { method: req.method ?? "", path, url: baseUrl + path, headers: req.headers, body, params };
      received.push(request);
      for (const wake of waiters.splice(0)) wake();
      void Promise.resolve(answer(request, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    received,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
