/**
 * `verifyTwilioWebhook(req, options)`: checks the X-Twilio-Signature of a request as node:http,
 * Express or Fastify hand it over, rebuilding the URL Twilio signed — the part people get wrong:
 *
 * - scheme: `https`/`wss` when the socket is TLS, else `http`/`ws` (`ws`/`wss` for a WebSocket
 *   upgrade); behind a proxy that terminates TLS, the `X-Forwarded-Proto` header, only when
 *   `trustProxy` is set (anyone can send that header);
 * - host and port: the `Host` header (`X-Forwarded-Host` with `trustProxy`); a port Twilio left
 *   out or put in is tried both ways by isValidTwilioSignature;
 * - path and query: the request target as received (`originalUrl`, else `url`), never a router's
 *   rewritten path, so a trailing slash stays as Twilio sent it.
 * `options.url` skips all that: the URL exactly as configured with Twilio.
 */
import { headerValue } from "../lib/json.js";
import {
  isValidTwilioSignature,
  type TwilioSignedParams,
  TWILIO_SIGNATURE_HEADER,
  TWILIO_SIGNATURE_SETTINGS_HEADER,
  twilioSignatureAlgorithm,
} from "./twilio-signature.js";

type HeaderValue = string | readonly string[] | undefined;

/** The parts of a request the check reads (node:http IncomingMessage, Express, Fastify). @public */
export interface TwilioWebhookRequest {
  readonly method?: string | undefined;
  /** node:http / Fastify (`req.raw.url`): the request target, path and query. */
  readonly url?: string | undefined;
  /** Express: the request target before any router stripped a mount path. */
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** A form POST's parsed body (repeated fields as arrays) or its raw text. */
  readonly body?: unknown;
  /** The raw body, needed when the URL carries `bodySHA256` (JSON bodies). */
  readonly rawBody?: string | Uint8Array | undefined;
  /** The socket: a TLS one (`encrypted: true`) means https/wss. */
  readonly socket?: unknown;
}

/** Options of verifyTwilioWebhook. @public */
export interface TwilioWebhookOptions {
  /** The account's auth token (or the SharedKey secret for HMAC_SHA256 webhooks). */
  readonly authToken: string;
  /** The URL exactly as configured with Twilio: no reconstruction. */
  readonly url?: string;
  /** Believe `X-Forwarded-Proto` and `X-Forwarded-Host` (default false): set it behind your own proxy only. */
  readonly trustProxy?: boolean;
  /** The scheme Twilio used, when neither the socket nor a trusted proxy tells (e.g. `https`). */
  readonly protocol?: "http" | "https" | "ws" | "wss";
  /** The host (and port) Twilio used, when the Host header differs (e.g. `example.com`). */
  readonly host?: string;
}

/** Why a request is not from Twilio. @public */
export type TwilioWebhookRefusal = "no-signature" | "bad-signature" | "unknown-algorithm" | "no-token" | "no-url";

/** The verdict, and the URL it was checked against (to log when validation fails unexpectedly). @public */
export type TwilioWebhookVerdict =
  { readonly valid: true; readonly url: string } | { readonly valid: false; readonly url: string; readonly reason: TwilioWebhookRefusal };

/** A header's value, its name in any letter case (a plain object need not lower-case it); "" counts as absent. */
function header(headers: TwilioWebhookRequest["headers"], name: string): string | undefined {
  return headerValue(headers, name) || undefined;
}

/** The first of a proxy's comma-separated list (the client-facing hop). */
function firstHop(value: string | undefined): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

/** The URL Twilio requested, rebuilt from the request; undefined without a host or target. */
export function twilioRequestUrl(req: TwilioWebhookRequest, options: Omit<TwilioWebhookOptions, "authToken"> = {}): string | undefined {
  if (options.url !== undefined) return options.url;
  const target = req.originalUrl ?? req.url;
  const trust = options.trustProxy ?? false;
  const host = options.host ?? (trust ? firstHop(header(req.headers, "x-forwarded-host")) : undefined) ?? header(req.headers, "host");
  if (target === undefined || host === undefined) return undefined;
  const upgrade = header(req.headers, "upgrade")?.toLowerCase() === "websocket";
  const forwarded = trust ? firstHop(header(req.headers, "x-forwarded-proto"))?.toLowerCase() : undefined;
  const secure =
    forwarded === undefined
      ? (req.socket as { encrypted?: unknown } | undefined)?.encrypted === true
      : forwarded === "https" || forwarded === "wss";
  const scheme = options.protocol ?? (upgrade ? (secure ? "wss" : "ws") : secure ? "https" : "http");
  return `${scheme}://${host}${target}`;
}

/** A form body as signed parameters: parsed already, or raw text to parse (repeated fields as arrays). */
function formParams(body: unknown): TwilioSignedParams {
  if (body === undefined || body === null) return {};
  if (typeof body === "string" || body instanceof Uint8Array) {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of new URLSearchParams(typeof body === "string" ? body : Buffer.from(body).toString("utf8"))) {
      const had = out[name];
      out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    return out;
  }
  return typeof body === "object" ? (body as TwilioSignedParams) : {};
}

/**
 * Whether a request really comes from Twilio: its X-Twilio-Signature checked against the URL
 * rebuilt from the request (or `options.url`) and, for a form POST, its parameters. Works for
 * webhooks, status callbacks and the Media Streams WebSocket upgrade. Never throws.
 * @example
 *   // node:http, with the body read as text
 *   const verdict = verifyTwilioWebhook({ ...req, url: req.url, headers: req.headers, body: text }, { authToken });
 *   if (!verdict.valid) return res.writeHead(403).end();
 *   // Express behind a TLS-terminating proxy: app.use(express.urlencoded({ extended: false }))
 *   if (!verifyTwilioWebhook(req, { authToken, trustProxy: true }).valid) return res.sendStatus(403);
 * @public
 */
export function verifyTwilioWebhook(req: TwilioWebhookRequest, options: TwilioWebhookOptions): TwilioWebhookVerdict {
  const url = twilioRequestUrl(req, options) ?? "";
  if (url === "") return { valid: false, url, reason: "no-url" };
  if (typeof options.authToken !== "string" || options.authToken === "") return { valid: false, url, reason: "no-token" };
  const signature = header(req.headers, TWILIO_SIGNATURE_HEADER);
  if (signature === undefined) return { valid: false, url, reason: "no-signature" };
  const signatureSettings = header(req.headers, TWILIO_SIGNATURE_SETTINGS_HEADER);
  if (twilioSignatureAlgorithm(signatureSettings) === undefined) return { valid: false, url, reason: "unknown-algorithm" };
  const isPost = (req.method ?? "GET").toUpperCase() === "POST";
  const raw = req.rawBody ?? (typeof req.body === "string" || req.body instanceof Uint8Array ? req.body : undefined);
  const valid = isValidTwilioSignature({
    url,
    signature,
    authToken: options.authToken,
    ...(isPost ? { params: formParams(req.body) } : {}),
    ...(raw === undefined ? {} : { body: raw }),
    ...(signatureSettings === undefined ? {} : { signatureSettings }),
  });
  return valid ? { valid, url } : { valid, url, reason: "bad-signature" };
}
