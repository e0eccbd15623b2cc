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

/** `Basic base64(user:password)` */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}
