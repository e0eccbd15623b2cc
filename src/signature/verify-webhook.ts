/**
 * `verifyTwilioWebhook(req, options)`: checks the X-Twilio-Signature of a request as node:http,
 * Express or Fastify hand it over, rebuilding the URL Twilio signed — the part people get wrong:
 *
 * - scheme: `wss` for a WebSocket upgrade, always — Twilio dials only `wss://` URLs, so a server
 *   behind TLS termination or reached over `ws://` in a test still checks the URL Twilio signed;
 *   else `https` when the socket is TLS, or, behind a proxy that terminates TLS, when the
 *   `X-Forwarded-Proto` header says so, only with `trustProxy` (anyone can send that header);
 *   else `http`;
 * - host and port: the `Host` header (`X-Forwarded-Host` with `trustProxy`); a port Twilio left
 *   out or put in is tried both ways by isValidTwilioSignature;
 * - path and query: the request target as received (`originalUrl`, else `url`), never a router's
 *   rewritten path, so a trailing slash stays as Twilio sent it.
 * `options.url` skips all that: the URL exactly as configured with Twilio.
 *
 * Nothing in a request is trusted to be well-formed: every field is checked for its type, and a
 * read that throws (a getter, a Proxy) makes the verdict `unreadable`.
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
  /** Only a POST carries signed form parameters; a request of another method that has some is refused. */
  readonly method?: string | undefined;
  /** node:http / Fastify (`req.raw.url`): the request target, path and query. */
  readonly url?: string | undefined;
  /** Express: the request target before any router stripped a mount path. */
  readonly originalUrl?: string | undefined;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  /** A form POST's parsed body (repeated fields as arrays), its raw text or a URLSearchParams. */
  readonly body?: unknown;
  /** The raw body, needed when the URL carries `bodySHA256` (JSON bodies). */
  readonly rawBody?: string | Uint8Array | undefined;
  /** The socket: a TLS one (`encrypted: true`) means https. */
  readonly socket?: unknown;
}

/** Options of verifyTwilioWebhook. @public */
export interface TwilioWebhookOptions {
  /** The account's auth token (or the SharedKey secret for HMAC_SHA256 webhooks). */
  readonly authToken: string;
  /** The public URL exactly as configured with Twilio (a Stream's `Url`, a StatusCallback): no reconstruction. */
  readonly url?: string;
  /** Believe `X-Forwarded-Proto` and `X-Forwarded-Host` (default false): set it behind your own proxy only. */
  readonly trustProxy?: boolean;
  /** The scheme Twilio used, when neither the socket nor a trusted proxy tells (e.g. `https`). */
  readonly protocol?: "http" | "https" | "ws" | "wss";
  /** The host (and port) Twilio used, when the Host header differs (e.g. `example.com`). */
  readonly host?: string;
}

/** Why a request is not from Twilio; `unreadable`: reading the request or the options threw. @public */
export type TwilioWebhookRefusal = "no-signature" | "bad-signature" | "unknown-algorithm" | "no-token" | "no-url" | "unreadable";

/** The verdict, and the URL it was checked against (to log when validation fails unexpectedly). @public */
export type TwilioWebhookVerdict =
  { readonly valid: true; readonly url: string } | { readonly valid: false; readonly url: string; readonly reason: TwilioWebhookRefusal };

/** `value[key]` when `value` is an object (a Proxy's or a getter's throw is the caller's to catch). */
function read(value: unknown, key: string): unknown {
  return (typeof value === "object" || typeof value === "function") && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A header's value, its name in any letter case (a plain object need not lower-case it); "" counts as absent. */
function header(headers: unknown, name: string): string | undefined {
  return headerValue(headers, name) || undefined;
}

/** The first of a proxy's comma-separated list (the client-facing hop). */
function firstHop(value: string | undefined): string | undefined {
  return value?.split(",")[0]?.trim() || undefined;
}

/**
 * The URL Twilio requested, rebuilt from the request; undefined without a host or target, or when
 * reading the request throws.
 * @public
 */
export function twilioRequestUrl(req: TwilioWebhookRequest, options: Omit<TwilioWebhookOptions, "authToken"> = {}): string | undefined {
  try {
    return requestUrl(req, options);
  } catch {
    return undefined;
  }
}

function requestUrl(req: unknown, options: unknown): string | undefined {
  const url = read(options, "url");
  if (url !== undefined) return text(url);
  const target = text(read(req, "originalUrl")) ?? text(read(req, "url"));
  const headers = read(req, "headers");
  const trust = read(options, "trustProxy") === true;
  const host =
    text(read(options, "host")) ?? (trust ? firstHop(header(headers, "x-forwarded-host")) : undefined) ?? header(headers, "host");
  if (target === undefined || host === undefined) return undefined;
  const protocol = read(options, "protocol");
  const scheme =
    protocol === "http" || protocol === "https" || protocol === "ws" || protocol === "wss"
      ? protocol
      : header(headers, "upgrade")?.toLowerCase() === "websocket"
        ? "wss"
        : isSecure(req, headers, trust)
          ? "https"
          : "http";
  return `${scheme}://${host}${target}`;
}

function isSecure(req: unknown, headers: unknown, trust: boolean): boolean {
  const forwarded = trust ? firstHop(header(headers, "x-forwarded-proto"))?.toLowerCase() : undefined;
  return forwarded === undefined ? read(read(req, "socket"), "encrypted") === true : forwarded === "https" || forwarded === "wss";
}

/** A form body as signed parameters: parsed already, or raw text (or a URLSearchParams) to read, repeated fields as arrays. */
function formParams(body: unknown): TwilioSignedParams {
  if (body === undefined || body === null) return {};
  if (typeof body === "string" || body instanceof Uint8Array || body instanceof URLSearchParams) {
    const fields =
      body instanceof URLSearchParams ? body : new URLSearchParams(typeof body === "string" ? body : Buffer.from(body).toString("utf8"));
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of fields) {
      const had = out[name];
      out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
    }
    return out;
  }
  // Copied, so that a body that cannot be read is found unreadable here, not merely unsigned.
  return typeof body === "object" ? (Object.fromEntries(Object.entries(body)) as TwilioSignedParams) : {};
}

function bytesOrText(value: unknown): string | Uint8Array | undefined {
  return typeof value === "string" || value instanceof Uint8Array ? value : undefined;
}

/**
 * Whether a request really comes from Twilio: its X-Twilio-Signature checked against the URL
 * rebuilt from the request (or `options.url`) and, for a form POST, its parameters. Works for
 * webhooks, status callbacks and the Media Streams WebSocket upgrade (checked as `wss://`, the
 * only scheme Twilio dials, even on a plain socket). Never throws: any request and options get a
 * verdict.
 * @example
 *   // node:http, with the body read as text
 *   const verdict = verifyTwilioWebhook({ ...req, url: req.url, headers: req.headers, body: text }, { authToken });
 *   if (!verdict.valid) return res.writeHead(403).end();
 *   // Express behind a TLS-terminating proxy: app.use(express.urlencoded({ extended: false }))
 *   if (!verifyTwilioWebhook(req, { authToken, trustProxy: true }).valid) return res.sendStatus(403);
 *   // A WebSocket upgrade whose public URL differs from what the server sees
 *   if (!verifyTwilioWebhook(req, { authToken, url: "wss://media.example.com/stream" }).valid) socket.destroy();
 * @public
 */
export function verifyTwilioWebhook(req: TwilioWebhookRequest, options: TwilioWebhookOptions): TwilioWebhookVerdict {
  let url = "";
  try {
    url = requestUrl(req, options) ?? "";
    return verdict(req, options, url);
  } catch {
    return { valid: false, url, reason: "unreadable" };
  }
}

function verdict(req: unknown, options: unknown, url: string): TwilioWebhookVerdict {
  if (url === "") return { valid: false, url, reason: "no-url" };
  const authToken = text(read(options, "authToken"));
  if (authToken === undefined) return { valid: false, url, reason: "no-token" };
  const headers = read(req, "headers");
  const signature = header(headers, TWILIO_SIGNATURE_HEADER);
  if (signature === undefined) return { valid: false, url, reason: "no-signature" };
  const signatureSettings = header(headers, TWILIO_SIGNATURE_SETTINGS_HEADER);
  if (twilioSignatureAlgorithm(signatureSettings) === undefined) return { valid: false, url, reason: "unknown-algorithm" };
  const method = read(req, "method");
  const body = read(req, "body");
  const params = formParams(body);
  // Twilio sends form parameters in a POST only: any other request carrying some is not its own.
  const isPost = typeof method === "string" && method.toUpperCase() === "POST";
  if (!isPost && Object.keys(params).length > 0) return { valid: false, url, reason: "bad-signature" };
  const raw = bytesOrText(read(req, "rawBody")) ?? bytesOrText(body);
  const valid = isValidTwilioSignature({
    url,
    signature,
    authToken,
    ...(isPost ? { params } : {}),
    ...(raw === undefined ? {} : { body: raw }),
    ...(signatureSettings === undefined ? {} : { signatureSettings }),
  });
  return valid ? { valid, url } : { valid, url, reason: "bad-signature" };
}
