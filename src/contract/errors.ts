/**
 * Twilio's REST error bodies (schemas/twilio-error.schema.json), as the reference provider, the
 * mock and nock send them. The contract fixes the codes of 401 (20003) and 404 (20404); for the
 * others it asks only for the right status and a valid error body.
 */
import type { TwilioError } from "../validators/generated/types.js";

/** Twilio error codes this suite sends. */
export const TWILIO_ERROR_CODES = {
  /** 400: a parameter is missing or invalid. */
  invalidParameter: 20001,
  /** 401: authentication failed. */
  authenticationFailed: 20003,
  /** 405: method not allowed. */
  methodNotAllowed: 20004,
  /** 404: the resource was not found. */
  notFound: 20404,
  /** 413: request entity too large (not a Twilio-documented code: 20000 + status, as Twilio does). */
  payloadTooLarge: 20413,
  /** 429: too many requests. */
  tooManyRequests: 20429,
  /** 500: internal server error. */
  internalError: 20500,
} as const;

/** A Twilio error body. */
export function twilioError(status: number, code: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}
