/**
 * Status-callback receivers built on twilio-node's own `webhook()` middleware (twilio 5), served
 * by node:http through a minimal Express-shaped adapter: `req.header()`, `req.protocol`,
 * `req.originalUrl`, `req.body` (repeated fields as arrays, as express.urlencoded gives them)
 * and `res.type().status().send()`.
 */
import type { ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { type CallbackReceiver, type ReceivedRequest, startCallbackReceiver } from "./callback-receiver.js";

type Middleware = (req: unknown, res: unknown, next: () => void) => void;
const require = createRequire(import.meta.url);
const { webhook } = require("twilio/lib/webhooks/webhooks.js") as { webhook(...args: unknown[]): Middleware };

function formObject(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

/** Runs twilio-node's middleware on a request; `then` answers requests it lets through. */
export function viaTwilioWebhook(
  middleware: Middleware,
  then: (request: ReceivedRequest, res: ServerResponse) => void = (_, res) => void res.writeHead(204).end(),
) {
  return (request: ReceivedRequest, res: ServerResponse) => {
    const req = {
      protocol: "http",
      originalUrl: request.path,
      headers: request.headers,
      body: request.method === "POST" ? formObject(request.body) : {},
      header: (name: string) => request.headers[name.toLowerCase()],
    };
    const response = {
      type(value: string) {
        res.setHeader("Content-Type", value);
        return response;
      },
      status(code: number) {
        res.statusCode = code;
        return response;
      },
      send(body: string) {
        res.end(body);
      },
    };
    middleware(req, response, () => then(request, res));
  };
}

/** A correct receiver: twilio-node's webhook() with the account's token; 204 once validated. */
export function startTwilioWebhookReceiver(
  token: string,
  options: Record<string, unknown> = {},
  then?: Parameters<typeof viaTwilioWebhook>[1],
): Promise<CallbackReceiver> {
  return startCallbackReceiver(viaTwilioWebhook(webhook(token, options), then));
}
