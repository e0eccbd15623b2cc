/**
 * Credentials never leave this process in clear: not in logs, errors, reports or pact files.
 *
 * Whoever learns a secret registers it (`registerSecret`: verify its auth token, publish and the
 * broker client their token or password). The sinks then mask it in everything that passes
 * through them, whatever built the text: the CLI's one writer for stdout and stderr
 * (src/cli/output.ts), the report writers (src/report/write.ts) and the Pact verifier child's
 * pipe (src/verify/pact.ts). Cutting text is done here too (`cutRedacted`): redaction first, then
 * the cut, then any start of a secret the cut left at the end is masked as well.
 */
import { basicAuthorization } from "./http/basic-auth.js";

/** What stands in for a credential in anything printed or written. */
const MASK = "****";

/** Secrets shorter than this are not searched for (they would mask ordinary words). */
const MIN_SECRET_LENGTH = 4;

/** A piece of a secret this long, left at the edge of a cut, is masked too. */
const MIN_PARTIAL_LENGTH = 6;

/** Every registered secret → the Basic users it is sent with. */
const registered = new Map<string, Set<string>>();
/** The printed forms of every registered secret, longest first (so that no form masks part of a longer one). */
let registeredForms: readonly string[] = [];

/**
 * Registers a secret for every sink of this process: from now on it is masked in clear and in
 * every encoding it could be printed in. `basicUsers`: the users it is the password of.
 */
export function registerSecret(secret: string | undefined, basicUsers: readonly (string | undefined)[] = []): void {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) return;
  let users = registered.get(secret);
  if (users === undefined) registered.set(secret, (users = new Set()));
  for (const user of basicUsers) if (user !== undefined) users.add(user);
  registeredForms = sortedForms([...registered].flatMap(([s, u]) => formsOf(s, [...u])));
}

/** The ways a secret can show in text this tool prints: raw, trimmed, JSON-escaped (once and twice), URL-, form- and XML-encoded, in Basic credentials. */
function formsOf(secret: string, basicUsers: readonly string[]): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  // Trimmed too: text is trimmed before it is printed (a secret at the end of an error body).
  const forms = [
    secret,
    secret.trim(),
    json,
    JSON.stringify(json).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    xmlEscaped(secret),
  ];
  // The base64 of `user:secret`, as an Authorization header carries it.
  for (const user of basicUsers) forms.push(basicAuthorization(user, secret).slice("Basic ".length));
  return forms;
}

function xmlEscaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

function sortedForms(forms: readonly string[]): string[] {
  return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * Masks every registered secret in `text` (and `secrets`, with `basicUsers` as their Basic users),
 * in every form; the start of a secret cut off by a `…` (and the end of one after a `…`); and any
 * Basic or Bearer credential not already masked.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = [], basicUsers: readonly string[] = []): string {
  const extra = secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  const forms = extra.length === 0 ? registeredForms : sortedForms([...registeredForms, ...extra.flatMap((s) => formsOf(s, basicUsers))]);
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  if (out.includes("…")) out = maskAroundEllipses(out, forms);
  return out.replace(/\b(Basic|Bearer) [A-Za-z0-9+/=._~-]{8,}/g, `$1 ${MASK}`);
}

/**
 * `text` redacted, then cut to at most `max` characters (`…` marking the cut), with any start of a
 * secret the cut left at the end masked. The order matters: redact first, for a secret cut in
 * two would no longer be found.
 */
export function cutRedacted(
  text: string,
  max: number,
  secrets: readonly (string | undefined)[] = [],
  basicUsers: readonly string[] = [],
): string {
  const clean = redact(text, secrets, basicUsers);
  if (clean.length <= max) return clean;
  return redact(`${clean.slice(0, Math.max(0, max - 1))}…`, secrets, basicUsers);
}

/**
 * The last `max` characters of `text`, redacted (a log's tail), with any end of a secret the
 * cut left at the start masked.
 */
export function tailRedacted(
  text: string,
  max: number,
  secrets: readonly (string | undefined)[] = [],
  basicUsers: readonly string[] = [],
): string {
  const clean = redact(text, secrets, basicUsers);
  if (clean.length <= max) return clean;
  return redact(`…${clean.slice(clean.length - max + 1)}`, secrets, basicUsers);
}

/** Masks a start of a form (6+ characters) right before a `…`, and an end of one right after. */
function maskAroundEllipses(text: string, forms: readonly string[]): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf("…"); at >= 0; at = text.indexOf("…", at + 1)) {
    let before = text.slice(from, at);
    for (const form of forms) {
      const k = longestOverlap(before, form, "end");
      if (k > 0) {
        before = before.slice(0, before.length - k) + MASK;
        break;
      }
    }
    out += `${before}…`;
    from = at + 1;
    const after = text.slice(from);
    for (const form of forms) {
      const k = longestOverlap(after, form, "start");
      if (k > 0) {
        out += MASK;
        from += k;
        break;
      }
    }
  }
  return out + text.slice(from);
}

/**
 * The length (≥ MIN_PARTIAL_LENGTH, < the form's) of the longest start of `form` that `text`
 * ends with (`end`), or of the longest end of `form` that `text` starts with (`start`); 0 if none.
 */
function longestOverlap(text: string, form: string, edge: "end" | "start"): number {
  for (let k = Math.min(form.length - 1, text.length); k >= MIN_PARTIAL_LENGTH; k--) {
    if (edge === "end" ? text.endsWith(form.slice(0, k)) : text.startsWith(form.slice(form.length - k))) return k;
  }
  return 0;
}

/**
 * A URL as it may be shown in a message: anything between the scheme and the last `@` (a user
 * and password, `https://user:pass@host`) masked, also in a string that is not a valid URL.
 */
export function urlForMessage(text: string): string {
  const at = text.lastIndexOf("@");
  if (at < 0) return redact(text);
  const scheme = text.indexOf("://");
  const start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
  return redact(`${text.slice(0, start)}${MASK}${text.slice(at)}`);
}
