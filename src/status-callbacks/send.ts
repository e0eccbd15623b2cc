/**
 * One HTTP attempt at a status callback: send it, read (at most 64 KiB of) the answer, and say
 * what happened — a status, or why there was none. Never throws.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isLoopbackName, loopbackLookup } from "./loopback.js";
import type { OutgoingCallback } from "./request.js";

/** What one attempt got: the receiver's status, or a failure. */
export interface Attempt {
  readonly status?: number;
  readonly failure?: "refused" | "timeout" | "error";
  readonly message?: string;
}

/** Kept-alive connections for many callbacks to the same receivers. */
export interface Agents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

export function keepAliveAgents(): Agents {
  return { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** Sends `request` once, giving up after `timeoutMs`. */
export function sendCallback(
  request: OutgoingCallback,
  options: { readonly timeoutMs: number; readonly agents?: Agents },
): Promise<Attempt> {
  const { timeoutMs, agents } = options;
  return new Promise((resolve) => {
    const secure = request.url.toLowerCase().startsWith("https:");
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.method === "POST") headers["Content-Length"] = Buffer.byteLength(request.body);
    let settled = false;
    let req: ReturnType<typeof httpRequest> | undefined;
    const timer = setTimeout(() => {
      done({ failure: "timeout", message: `no answer within ${timeoutMs} ms` });
      req?.destroy();
    }, timeoutMs);
    const done = (attempt: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(attempt);
    };
    try {
      const agent = agents === undefined ? false : secure ? agents.https : agents.http;
      // `localhost` and `*.localhost` are allowed as loopback by name: they must resolve to loopback.
      const lookup = isLoopbackName(request.url) ? { lookup: loopbackLookup() } : {};
      req = (secure ? httpsRequest : httpRequest)(request.url, { method: request.method, headers, agent, ...lookup }, (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on("close", () => done({ status: res.statusCode }));
        res.on("error", () => done({ status: res.statusCode }));
      });
    } catch (error) {
      done({ failure: "error", message: (error as Error).message });
      return;
    }
    req.on("error", (error: NodeJS.ErrnoException) => {
      const refused = error.code === "ECONNREFUSED" || error.code === "ECONNRESET" || error.code === "EPIPE";
      done({
        failure: refused ? "refused" : "error",
        message: refused
          ? `connection ${error.code === "ECONNREFUSED" ? "refused" : "reset"}`
          : error.code === "ERR_NOT_LOOPBACK"
            ? error.message
            : (error.code ?? error.message),
      });
    });
    req.end(request.body);
  });
}
