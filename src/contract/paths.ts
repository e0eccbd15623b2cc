/**
 * The two resource paths of the contract, built and read in one place.
 *
 *     CreateStream  POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json
 *     UpdateStream  POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json
 *
 * Reading splits on "/" (no regular expression); the segments are URL-decoded but not checked:
 * whether they are valid SIDs is the schemas' business.
 */

/** Where Twilio serves the API; the mock and the reference provider stand in for it. */
export const TWILIO_API_ORIGIN = "https://api.twilio.com";

/** Characters encodeURIComponent leaves as they are: a segment of only these is its own encoding. */
const UNRESERVED = /^[\w.!~*'()-]*$/;

/** encodeURIComponent, without building a copy of a segment that needs no escape (SIDs never do). */
function enc(segment: string): string {
  return UNRESERVED.test(segment) ? segment : encodeURIComponent(segment);
}

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json` */
export function createStreamPath(accountSid: string, callSid: string): string {
  return `/2010-04-01/Accounts/${enc(accountSid)}/Calls/${enc(callSid)}/Streams.json`;
}

/** `/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json` (Sid: SID or name) */
export function streamPath(accountSid: string, callSid: string, sid: string): string {
  return `/2010-04-01/Accounts/${enc(accountSid)}/Calls/${enc(callSid)}/Streams/${enc(sid)}.json`;
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
