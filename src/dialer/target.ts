/**
 * Where a Media Stream may be dialled, and how. Twilio dials any public `wss://` host; a test
 * tool must not: the mock and `check-media-server` dial loopback hosts by default and other hosts
 * only when told to (a client's tests full of `wss://example.com/…` Urls must cause no traffic),
 * and plain `ws://` only to a loopback host, so that a local test needs no certificate and no
 * audio ever crosses a network unencrypted.
 */
import { isLoopbackName, isLoopbackUrl } from "../status-callbacks/loopback.js";

/** What a dialler is allowed. */
export interface DialPolicy {
  /** Dial hosts other than loopback ones (default false). */
  readonly allowRemoteHosts?: boolean;
  /**
   * The mock: dial a loopback `wss://` Url as plain `ws://` (the client still gives `wss://`, as
   * the contract requires; the mock's end drops TLS). check-media-server: accept a `ws://` URL.
   */
  readonly plainLoopback?: boolean;
}

/** A URL to dial: where to connect, and the URL Twilio signs (always the `wss://` form). */
export interface DialTarget {
  readonly connectUrl: string;
  readonly signedUrl: string;
  /** A loopback name (`localhost`, `*.localhost`): it must resolve to loopback addresses only (RFC 6761 §6.3). */
  readonly loopbackOnly?: boolean;
}

/**
 * The target of a Stream's Url, or why it is not dialled. The query string is dropped: Twilio
 * does not support one in a Stream Url and users report it is stripped (shared notes §A.1).
 */
export function dialTarget(url: string, policy: DialPolicy): DialTarget | { readonly refused: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { refused: `${JSON.stringify(url)} is not an absolute URL` };
  }
  if (parsed.protocol !== "wss:" && parsed.protocol !== "ws:")
    return { refused: `${parsed.protocol}// is not a WebSocket scheme (wss:// or ws://)` };
  if (parsed.username !== "" || parsed.password !== "") return { refused: "the URL carries user information" };
  const loopback = isLoopbackUrl(parsed.href); // the same rule as status callbacks
  if (!loopback && policy.allowRemoteHosts !== true)
    return { refused: `${parsed.host} is not a loopback host (dialling other hosts must be allowed explicitly)` };
  const plain = parsed.protocol === "ws:" || policy.plainLoopback === true;
  if (plain && !loopback) return { refused: `plain ws:// only to a loopback host, not ${parsed.host}` };
  if (parsed.protocol === "ws:" && policy.plainLoopback !== true) return { refused: "plain ws:// must be allowed explicitly" };
  // Built as text: assigning URL.protocol would drop or change a port that is the default of one
  // scheme but not of the other (ws://h:443/…).
  const port = parsed.port === "" ? (parsed.protocol === "ws:" ? "80" : "443") : parsed.port;
  const connect = `${plain ? "ws" : "wss"}://${parsed.hostname}:${port}${parsed.pathname}`;
  const signed = `wss://${parsed.hostname}${port === "443" ? "" : `:${port}`}${parsed.pathname}`;
  // `localhost` and `*.localhost` (not an address) resolve at connection time, to loopback addresses only.
  const loopbackOnly = isLoopbackName(parsed.href);
  return { connectUrl: connect, signedUrl: signed, ...(loopbackOnly ? { loopbackOnly } : {}) };
}
