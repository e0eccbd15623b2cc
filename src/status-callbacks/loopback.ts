/**
 * Whether a callback URL stays on this machine. The mock and the reference provider call back to
 * loopback hosts only, unless told otherwise: tests and CI must not send requests elsewhere.
 * No name is resolved: `localhost` counts, any other name does not.
 */
import { isIPv4 } from "node:net";

/** Whether `url`'s host is `localhost`, an address in 127.0.0.0/8 or `[::1]`. */
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
