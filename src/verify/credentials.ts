/**
 * The Twilio credentials the checks authenticate with: HTTP Basic, user = account SID,
 * password = auth token. The token is a secret: it goes into Authorization headers and nowhere
 * else (see src/secrets.ts).
 */

/** An account SID and its auth token. */
export interface Credentials {
  readonly accountSid: string;
  readonly authToken: string;
}

export { basicAuthorization } from "../contract/interactions.js";
