/**
 * A deliberately broken provider: a loopback proxy in front of the reference provider that
 * injects exactly one bug, by rewriting the request on its way in or the answer on its way out.
 * The reference provider's own code is untouched; its states URL is used as it is.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { startReferenceProvider } from "../../../src/provider/index.js";

/** A request as the proxy received it (the bug may change it before it is forwarded). */
interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An answer as the reference provider gave it (the bug may change it before it is sent). */
export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One bug: how it changes requests and/or answers. `answer` may return a whole new answer. */
export interface Bug {
  readonly request?: (request: ProxiedRequest, upstream: Upstream) => void;
  readonly answer?: (answer: ProxiedAnswer, request: ProxiedRequest) => void;
  /** Holds every answer back this long, in milliseconds. */
  readonly delayMs?: number;
  /** Answers without asking the reference provider (undefined: forward). */
  readonly shortCircuit?: (request: ProxiedRequest) => ProxiedAnswer | undefined;
}

/** What a bug may need to know about the provider behind it. */
interface Upstream {
  readonly accountSid: string;
  readonly authToken: string;
}

/** A running broken provider. */
export interface BrokenProvider extends Upstream {
  readonly baseUrl: string;
  readonly statesUrl: string;
  close(): Promise<void>;
}

/** Starts the reference provider and, in front of it, a proxy that injects `bug`. */
export async function startBrokenProvider(bug: Bug): Promise<BrokenProvider> {
  const provider = await startReferenceProvider({ authToken: "0123456789abcdef0123456789abcdef" });
  const upstream = new URL(provider.baseUrl);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ProxiedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString("utf8"),
      };
      bug.request?.(request, provider);
      const send = (answer: ProxiedAnswer) => {
        bug.answer?.(answer, request);
        setTimeout(() => {
          res.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) });
          res.end(answer.body);
        }, bug.delayMs ?? 0);
      };
      const short = bug.shortCircuit?.(request);
      if (short !== undefined) return send(short);
      const headers = { ...request.headers, host: upstream.host, "content-length": String(Buffer.byteLength(request.body)) };
      const forward = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.path, headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => body.push(chunk));
          answer.on("end", () => {
            const kept: Record<string, string> = {};
            for (const [name, value] of Object.entries(answer.headers))
              if (typeof value === "string" && name !== "content-length" && name !== "connection" && name !== "keep-alive")
                kept[name] = value;
            send({ status: answer.statusCode ?? 502, headers: kept, body: Buffer.concat(body).toString("utf8") });
          });
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(request.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    statesUrl: provider.statesUrl,
    accountSid: provider.accountSid,
    authToken: provider.authToken,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await provider.close();
    },
  };
}

/** Rewrites a JSON answer's body (answers that are not JSON objects are left alone). */
export function rewriteJson(answer: ProxiedAnswer, change: (body: Record<string, unknown>) => void): void {
  try {
    const body = JSON.parse(answer.body) as unknown;
    if (body === null || typeof body !== "object" || Array.isArray(body)) return;
    change(body as Record<string, unknown>);
    answer.body = JSON.stringify(body);
  } catch {
    // not JSON: nothing to rewrite
  }
}
