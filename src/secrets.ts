/**
 * Credentials never leave this process in clear: not in logs, errors, reports or pact files.
 *
 * Whoever learns a secret registers it, once, where it enters (`registerSecret`, or
 * `registerUrlSecrets` for the password in a URL's user info): verify, mock, check-client,
 * check-status-callback and check-media-server their auth token, the mock each client's Basic
 * password, publish and the broker client their token or password. The sinks then mask it in
 * everything that passes through them, whatever built the text: the CLI's one writer for stdout
 * and stderr (src/cli/output.ts), the report writers (src/report/write.ts), the mock's control
 * endpoints (src/mock/server.ts) and the Pact verifier child's pipe (src/verify/pact.ts). A
 * query value equal to a secret is masked as any other occurrence. Cutting text is done here too
 * (`cutRedacted`): redaction first, then the cut, then any start of a secret the cut left at the
 * end is masked as well.
 *
 * What is masked (docs/decisions.md, "Masking"): a registered secret of at least
 * MIN_SECRET_LENGTH characters, wherever it occurs and in every encoding; and a Basic or Bearer
 * credential only when it has a credential's shape (`Basic` and base64 of `user:password`,
 * `Bearer` and a token with a digit or 20+ characters), so that "Basic credentials" stays a
 * phrase. A shorter secret is not masked — it would blank ordinary words ("wrong", "test") —
 * and registering one prints a warning instead (`onSecretWarning`). Help text is constant and
 * holds no secret: it is printed as written.
 */
import { basicAuthorization } from "./http/basic-auth.js";

/** What stands in for a credential in anything printed or written. */
const MASK = "****";

/**
 * Secrets shorter than this are not masked: masking them would blank ordinary words. Twilio's
 * auth tokens and API key secrets have 32 characters; a shorter secret is a test value, and
 * registering it gives a warning instead.
 */
const MIN_SECRET_LENGTH = 8;
/**
 * The shortest form of a secret that is masked: a secret of MIN_SECRET_LENGTH or more padded
 * with spaces is printed trimmed (an Authorization header, the end of an error body), and its
 * trimmed core can be shorter.
 */
const MIN_FORM_LENGTH = 6;

/** A piece of a secret this long, left at the edge of a cut, is masked too. */
const MIN_PARTIAL_LENGTH = 6;

/** Every registered secret → the Basic users it is sent with. */
const registered = new Map<string, Set<string>>();
/** The printed forms of every registered secret, longest first (so that no form masks part of a longer one). */
let registeredForms: readonly string[] = [];

/** Where warnings about secrets that cannot be masked go (the CLI: standard error); none by default. */
let warningSink: (line: string) => void = () => {};
/** The warnings already given (each once a process). */
const warned = new Set<string>();

/** Sends the warnings about secrets that cannot be masked (too short) to `sink`; returns the sink it replaces. */
export function onSecretWarning(sink: (line: string) => void): (line: string) => void {
  const previous = warningSink;
  warningSink = sink;
  return previous;
}

/** Gives a warning once a process. */
export function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  warningSink(line);
}

/**
 * Registers a secret for every sink of this process: from now on it is masked in clear and in
 * every encoding it could be printed in. `basicUsers`: the users it is the password of.
 * `source` names it in the warning a secret too short to mask gets (e.g. `--auth-token`).
 */
export function registerSecret(
  secret: string | undefined,
  basicUsers: readonly (string | undefined)[] = [],
  source = "a credential given (token, secret or password)",
): void {
  if (secret === undefined || secret === "") return;
  if (secret.length < MIN_SECRET_LENGTH) {
    warnOnce(
      `stream-contract: warning: ${source} is shorter than ${MIN_SECRET_LENGTH} characters, too short to mask without blanking ordinary words: it is not masked in what is printed or written (Twilio's auth tokens and API key secrets have 32 characters)`,
    );
    return;
  }
  let users = registered.get(secret);
  if (users === undefined) registered.set(secret, (users = new Set()));
  else if (basicUsers.every((user) => user === undefined || users!.has(user))) {
    return; // nothing new
  }
  for (const user of basicUsers) if (user !== undefined) users.add(user);
  registeredForms = sortedForms([...registered].flatMap(([s, u]) => formsOf(s, [...u])));
}

/**
 * Registers the password of `url`'s user info (`https://user:password@host/…`) with its user;
 * nothing when it has none or is not a URL.
 */
export function registerUrlSecrets(url: string | undefined, source: string): void {
  for (const { user, password } of urlPasswords(url)) registerSecret(password, [user], `the password in ${source}`);
}

/** The password of `url`'s user info, decoded and as written (when they differ), with its user. */
export function urlPasswords(url: string | undefined): { user: string; password: string }[] {
  if (url === undefined) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (parsed.password === "") return [];
  const user = decodedOrRaw(parsed.username);
  const password = decodedOrRaw(parsed.password);
  return password === parsed.password
    ? [{ user, password }]
    : [
        { user, password },
        { user, password: parsed.password },
      ];
}

function decodedOrRaw(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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
  return [...new Set(forms)].filter((f) => f.length >= MIN_FORM_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * Masks every registered secret in `text` (and `secrets`, with `basicUsers` as their Basic users),
 * in every form; the start of a secret cut off by a `…` (and the end of one after a `…`); and any
 * Basic or Bearer credential not already masked.
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = [], basicUsers: readonly string[] = []): string {
  const extra = secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH);
  const forms = extra.length === 0 ? registeredForms : sortedForms([...registeredForms, ...extra.flatMap((s) => formsOf(s, basicUsers))]);
  let out = maskAll(text, forms);
  if (out.includes("…")) out = maskAroundEllipses(out, forms);
  return out.replace(/\b(Basic|Bearer) ([A-Za-z0-9+/=._~-]{4,})/g, (whole, scheme: string, value: string) =>
    isCredential(scheme, value) ? `${scheme} ${MASK}` : whole,
  );
}

/**
 * `text` with every occurrence of every form masked. Occurrences are found in the text as given
 * and overlapping ones masked as one: masking one secret first could cut another that overlaps
 * it, whose rest would then no longer be found (and be printed).
 */
function maskAll(text: string, forms: readonly string[]): string {
  const spans: [number, number][] = [];
  for (const form of forms) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) spans.push([at, at + form.length]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let done = 0;
  let [start, end] = spans[0]!;
  for (const [from, to] of spans) {
    if (from <= end) {
      end = Math.max(end, to);
      continue;
    }
    out += text.slice(done, start) + MASK;
    done = end;
    [start, end] = [from, to];
  }
  return out + text.slice(done, start) + MASK + text.slice(end);
}

/**
 * Whether the word after `Basic` / `Bearer` is a credential rather than prose ("Basic
 * credentials", "Bearer tokens"). Basic: its base64 is 16 characters or more (a cut one
 * included), or whole and decodes to `user:password`. Bearer: it has a digit, or 20 characters
 * or more.
 */
function isCredential(scheme: string, value: string): boolean {
  if (scheme === "Bearer") return /\d/.test(value) || value.length >= 20;
  const base64 = /^[A-Za-z0-9+/]*={0,2}/.exec(value)?.[0] ?? "";
  if (base64.length >= 16) return true;
  return base64.length % 4 === 0 && Buffer.from(base64, "base64").toString("latin1").includes(":");
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
  return redactedWithin(text, max, secrets, basicUsers, (clean) => `${clean.slice(0, Math.max(0, max - 1))}…`);
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
  return redactedWithin(text, max, secrets, basicUsers, (clean) => `…${clean.slice(clean.length - max + 1)}`);
}

/** `text` redacted; when longer than `max`, cut by `cut` and redacted again (a secret the cut left in part is masked). */
function redactedWithin(
  text: string,
  max: number,
  secrets: readonly (string | undefined)[],
  basicUsers: readonly string[],
  cut: (clean: string) => string,
): string {
  const clean = redact(text, secrets, basicUsers);
  return clean.length <= max ? clean : redact(cut(clean), secrets, basicUsers);
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
