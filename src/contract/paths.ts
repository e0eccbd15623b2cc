/**
 * The two resource paths of the contract, built and read in one place: STREAM_PATH_TEMPLATES is
 * the one spelling; the builders, the Pact path matchers and generators (contract/matchers.ts,
 * contract/interactions.ts) and drift's OpenAPI lookup fill it in.
 *
 * Reading splits on "/" (no regular expression); the segments are URL-decoded but not checked:
 * whether they are valid SIDs is the schemas' business.
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
  const parts = path.split("/");
  // ["", "2010-04-01", "Accounts", A, "Calls", C, "Streams.json"] or [..., "Streams", "S.json"]
  if (parts[0] !== "" || parts[1] !== "2010-04-01" || parts[2] !== "Accounts" || parts[4] !== "Calls") return undefined;
  const accountSid = decode(parts[3]);
  const callSid = decode(parts[5]);
  if (accountSid === undefined || callSid === undefined) return undefined;
  if (parts.length === 7 && parts[6] === "Streams.json") {
    return { operation: "CreateStream", params: { AccountSid: accountSid, CallSid: callSid } };
  }
  const last = parts[7];
  if (parts.length === 8 && parts[6] === "Streams" && last !== undefined && last.endsWith(".json")) {
    const sid = decode(last.slice(0, -".json".length));
    if (sid !== undefined) return { operation: "UpdateStream", params: { AccountSid: accountSid, CallSid: callSid, Sid: sid } };
  }
  return undefined;
}

function decode(segment: string | undefined): string | undefined {
  if (segment === undefined || segment === "") return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
