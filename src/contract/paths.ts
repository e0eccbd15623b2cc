/**
 * The two resource paths of the contract, built and read in one place: STREAM_PATH_TEMPLATES is
 * the one spelling; the builders, the Pact path matchers and generators (contract/matchers.ts,
 * contract/interactions.ts) and drift's OpenAPI lookup fill it in.
 *
 * Reading walks the same templates (no regular expression); the segments are URL-decoded but not
 * checked: whether they are valid SIDs is the schemas' business.
 */

/** Where Twilio serves the API; the mock and the reference provider stand in for it. */
export const TWILIO_API_ORIGIN = "https://api.twilio.com";

/** The two operations' paths, as OpenAPI templates (Twilio's own spelling). */
export const STREAM_PATH_TEMPLATES = {
  CreateStream: "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json",
  UpdateStream: "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json",
} as const;

/** A template's parts: literal text at even indexes, parameter names at odd ones. */
const templateParts = {
  CreateStream: STREAM_PATH_TEMPLATES.CreateStream.split(/\{(\w+)\}/),
  UpdateStream: STREAM_PATH_TEMPLATES.UpdateStream.split(/\{(\w+)\}/),
};

/**
 * An operation's path with each `{Name}` replaced by `values[Name]`, each literal part passed
 * through `literal` (a regex escape, say). Throws on a parameter without a value: a bug here.
 */
export function fillPathTemplate(
  operation: keyof typeof STREAM_PATH_TEMPLATES,
  values: Readonly<Record<string, string>>,
  literal: (text: string) => string = (text) => text,
): string {
  let out = "";
  const parts = templateParts[operation];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i % 2 === 0) {
      out += literal(part);
    } else {
      const value = values[part];
      if (value === undefined) throw new Error(`no value for {${part}} in ${STREAM_PATH_TEMPLATES[operation]}`);
      out += value;
    }
  }
  return out;
}

/** Characters encodeURIComponent leaves as they are: a segment of only these is its own encoding. */
const UNRESERVED = /^[\w.!~*'()-]*$/;

/** encodeURIComponent, without building a copy of a segment that needs no escape (SIDs never do). */
function enc(segment: string): string {
  return UNRESERVED.test(segment) ? segment : encodeURIComponent(segment);
}

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json` */
export function createStreamPath(accountSid: string, callSid: string): string {
  return fillPathTemplate("CreateStream", { AccountSid: enc(accountSid), CallSid: enc(callSid) });
}

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json` (Sid: SID or name) */
export function streamPath(accountSid: string, callSid: string, sid: string): string {
  return fillPathTemplate("UpdateStream", { AccountSid: enc(accountSid), CallSid: enc(callSid), Sid: enc(sid) });
}

/** Which operation a request path names, with its decoded path parameters. */
export type StreamRoute =
  | { readonly operation: "CreateStream"; readonly params: { AccountSid: string; CallSid: string } }
  | { readonly operation: "UpdateStream"; readonly params: { AccountSid: string; CallSid: string; Sid: string } };

/** Reads a request path (a query string is ignored); undefined when it is neither operation's. */
export function matchStreamRoute(pathWithQuery: string): StreamRoute | undefined {
  const question = pathWithQuery.indexOf("?");
  const path = question < 0 ? pathWithQuery : pathWithQuery.slice(0, question);
  const create = matchTemplate(templateParts.CreateStream, path);
  if (create !== undefined) return { operation: "CreateStream", params: { AccountSid: create.AccountSid!, CallSid: create.CallSid! } };
  const update = matchTemplate(templateParts.UpdateStream, path);
  if (update !== undefined)
    return { operation: "UpdateStream", params: { AccountSid: update.AccountSid!, CallSid: update.CallSid!, Sid: update.Sid! } };
  return undefined;
}

/**
 * The decoded parameters of `path` if it fills the template whose parts are `parts`. A parameter
 * is one non-empty path segment, less the text the next literal puts before its "/" (the
 * `.json` of `{Sid}.json`).
 */
function matchTemplate(parts: readonly string[], path: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (i % 2 === 0) {
      if (!path.startsWith(part, at)) return undefined;
      at += part.length;
      continue;
    }
    const next = parts[i + 1] ?? "";
    const slash = path.indexOf("/", at);
    const suffix = next.includes("/") ? next.slice(0, next.indexOf("/")) : next;
    const end = (slash < 0 ? path.length : slash) - suffix.length;
    if (end <= at || !path.startsWith(suffix, end)) return undefined;
    const value = decode(path.slice(at, end));
    if (value === undefined) return undefined;
    params[part] = value;
    at = end;
  }
  return at === path.length ? params : undefined;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
