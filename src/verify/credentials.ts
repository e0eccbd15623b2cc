/**
 * The Twilio credentials the checks authenticate with: HTTP Basic, either the account SID with
 * its auth token or an API key SID (`SK…`) with its secret; the account SID names the account in
 * every path either way. Token and secret are secrets: they go into Authorization headers and
 * nowhere else (see src/secrets.ts).
 */
import { basicAuthorization, type BasicCredentials } from "../http/basic-auth.js";

/** An account, and its auth token and/or one of its API keys (at least one of the two). */
export interface Credentials {
  readonly accountSid: string;
  readonly authToken?: string | undefined;
  /** An API key of the account (`SK…`), with `apiKeySecret`. */
  readonly apiKeySid?: string | undefined;
  readonly apiKeySecret?: string | undefined;
}

export { basicAuthorization } from "../http/basic-auth.js";

/** The API key pair, when both halves are given. */
export function apiKeyOf(credentials: Pick<Credentials, "apiKeySid" | "apiKeySecret">): BasicCredentials | undefined {
  const { apiKeySid, apiKeySecret } = credentials;
  return apiKeySid === undefined || apiKeySid === "" || apiKeySecret === undefined || apiKeySecret === "" ? undefined : { user: apiKeySid, password: apiKeySecret };
}

/** The auth-token pair, when the token is given. */
function authTokenOf(credentials: Credentials): BasicCredentials | undefined {
  const { accountSid, authToken } = credentials;
  return authToken === undefined || authToken === "" ? undefined : { user: accountSid, password: authToken };
}

/**
 * The Basic pair a request authenticates with. With both kinds, `preferApiKey` picks (the
 * checks alternate, so that a server must take both); with one kind, that one.
 */
export function basicPairOf(credentials: Credentials, preferApiKey = false): BasicCredentials {
  const token = authTokenOf(credentials);
  const key = apiKeyOf(credentials);
  const pair = preferApiKey ? (key ?? token) : (token ?? key);
  if (pair === undefined) throw new Error("no credentials: give an auth token or an API key and its secret");
  return pair;
}

/** `Authorization: Basic …` for the credentials (see basicPairOf). */
export function authorizationOf(credentials: Credentials, preferApiKey = false): string {
  const { user, password } = basicPairOf(credentials, preferApiKey);
  return basicAuthorization(user, password);
}

/** What `redact` must mask for these credentials: the secrets, and the Basic users they pair with. */
export function redactionOf(credentials: Credentials): { secrets: (string | undefined)[]; users: string[] } {
  return {
    secrets: [credentials.authToken, credentials.apiKeySecret],
    users: [credentials.accountSid, ...(credentials.apiKeySid === undefined ? [] : [credentials.apiKeySid])],
  };
}
