/**
 * Credentials never leave this process in clear: not in logs, errors, reports or pact files.
 * Every piece of text that could carry one (a curl command, a verifier's output, an error from
 * a broker) goes through `redact` first.
 */

/** What stands in for a credential in anything printed or written. */
const MASK = "****";

/**
 * Replaces every occurrence of each secret in `text` — in clear, base64-encoded as part of
 * `user:secret` Basic credentials, and URL-encoded — with MASK. Secrets shorter than 4
 * characters are not searched for (they would mask ordinary words).
 */
export function redact(text: string, secrets: readonly (string | undefined)[], basicUsers: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    const forms = new Set([secret, encodeURIComponent(secret)]);
    for (const user of basicUsers) forms.add(Buffer.from(`${user}:${secret}`).toString("base64"));
    for (const form of forms) out = out.split(form).join(MASK);
  }
  // Any Basic or Bearer credential that is not already masked.
  return out.replace(/\b(Basic|Bearer) [A-Za-z0-9+/=._~-]{8,}/g, `$1 ${MASK}`);
}
