/**
 * Whether a URL stays on this machine. The mock and the reference provider call back (and the
 * dialers dial) loopback hosts only, unless told otherwise: tests and CI must not send requests
 * elsewhere. A URL's host counts when it is `localhost`, a `*.localhost` name, an address in
 * 127.0.0.0/8 or `[::1]`; a name is only a promise, so a connection to one goes through
 * `loopbackLookup`, which resolves it and refuses any address that is not loopback (status
 * callbacks: src/status-callbacks/send.ts; WebSockets: src/dialer/upgrade.ts).
 */
import { lookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { isIPv4, isIPv6 } from "node:net";

/** Whether `url`'s host is `localhost`, a `*.localhost` name, an address in 127.0.0.0/8 or `[::1]`. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (host === "localhost" || host.endsWith(".localhost") || host === "[::1]") return true;
  return isIPv4(host) && host.startsWith("127.");
}

/**
 * Whether `url`'s host is a loopback *name*: `localhost` or a `*.localhost` name. RFC 6761 §6.3
 * has such names always resolve to a loopback address; a connection to one goes through
 * `loopbackLookup`, whatever else is allowed.
 */
export function isLoopbackName(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host.endsWith(".localhost");
}

/** Whether an IP address (as a resolver gives it) is a loopback one: 127.0.0.0/8, ::1, or ::ffff:127.x.x.x. */
export function isLoopbackAddress(address: string): boolean {
  const lower = address.toLowerCase();
  if (isIPv4(lower)) return lower.startsWith("127.");
  if (!isIPv6(lower)) return false;
  // The URL parser writes an IPv6 address in its canonical form: ::1, or ::ffff:7f00:1 for 127.0.0.1.
  let canonical: string;
  try {
    canonical = new URL(`http://[${lower}]/`).hostname;
  } catch {
    return false; // a zone index (fe80::1%eth0): link-local, not loopback
  }
  if (canonical === "[::1]") return true;
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}\]$/.exec(canonical);
  return mapped !== null && Number.parseInt(mapped[1]!, 16) >> 8 === 127;
}

type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/http/ws connections to a loopback-named host: resolves the name (with
 * `resolve`, by default the system's resolver) and fails with code ERR_NOT_LOOPBACK when any
 * address is not a loopback one, so that `evil.localhost` pointing elsewhere is never dialled.
 */
export function loopbackLookup(resolve: Resolve = lookup as unknown as Resolve) {
  return (
    hostname: string,
    options: { readonly all?: boolean; readonly family?: number | string } | undefined,
    callback: LookupCallback,
  ): void => {
    const family = options?.family === 4 || options?.family === 6 ? options.family : 0;
    resolve(hostname, { all: true, family }, (error, addresses) => {
      if (error !== null) return callback(error, []);
      const stray = addresses.find((a) => !isLoopbackAddress(a.address));
      const first = addresses[0];
      if (stray !== undefined || first === undefined) {
        const refusal: NodeJS.ErrnoException = new Error(
          `${hostname} resolves to ${stray?.address ?? "no address"}, not a loopback address: not dialled`,
        );
        refusal.code = "ERR_NOT_LOOPBACK";
        return callback(refusal, []);
      }
      if (options?.all === true) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
