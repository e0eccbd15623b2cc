/**
 * Twilio's REST error bodies (schemas/twilio-error.schema.json) and the one table of Twilio error
 * codes by HTTP status that the reference provider, the mock, nock's and the mock's injected
 * faults, the pact checks and verify all read. The contract fixes the codes of 401 (20003) and
 * 404 (20404); for the others it asks only for the right status and a valid error body.
 */
import type { TwilioError } from "../validators/generated/types.js";

/** What the suite knows of one error status. */
interface StatusError {
  /** The Twilio error code sent with it (https://www.twilio.com/docs/errors/{code}). */
  readonly code: number;
  /** A status a conformant Streams server may answer (verify's status code conformance). */
  readonly documented: boolean;
  /** The contract requires exactly this code with this status (pacts, verify). */
  readonly pinned: boolean;
}

/**
 * Twilio error codes by HTTP status: the one table. Twilio's generic API errors are 20000 plus
 * the status (20403, 20404, 20429, 20500, 20503), except 400 (20001, a parameter is missing or
 * invalid), 401 (20003, authentication failed) and 405 (20004, method not allowed). A status
 * not listed here gets the same rule, 20000 + status (`twilioErrorCode`).
 */
const TWILIO_ERRORS_BY_STATUS: Readonly<Record<number, StatusError>> = {
  400: { code: 20001, documented: true, pinned: false },
  401: { code: 20003, documented: true, pinned: true },
  403: { code: 20403, documented: true, pinned: false },
  404: { code: 20404, documented: true, pinned: true },
  405: { code: 20004, documented: true, pinned: false },
  409: { code: 20409, documented: true, pinned: false },
  // Not a Twilio-documented code: 20000 + status, as Twilio does.
  413: { code: 20413, documented: true, pinned: false },
  429: { code: 20429, documented: true, pinned: false },
  500: { code: 20500, documented: false, pinned: false },
  503: { code: 20503, documented: false, pinned: false },
};

/** The Twilio error code of an error status (400–599): the table's, else 20000 + status. */
export function twilioErrorCode(status: number): number {
  return TWILIO_ERRORS_BY_STATUS[status]?.code ?? 20000 + status;
}

/** The error statuses a conformant server may answer, ascending. */
export const DOCUMENTED_ERROR_STATUSES: readonly number[] = statusesWhere((e) => e.documented);

/** The statuses whose Twilio code the contract fixes, with the code. */
export const PINNED_ERROR_CODES: Readonly<Record<number, number>> = Object.fromEntries(statusesWhere((e) => e.pinned).map((s) => [s, twilioErrorCode(s)]));

/** Twilio error codes this suite sends, by name (from the table). */
export const TWILIO_ERROR_CODES = {
  /** 400: a parameter is missing or invalid. */
  invalidParameter: twilioErrorCode(400),
  /** 401: authentication failed. */
  authenticationFailed: twilioErrorCode(401),
  /** 405: method not allowed. */
  methodNotAllowed: twilioErrorCode(405),
  /** 404: the resource was not found. */
  notFound: twilioErrorCode(404),
  /** 413: request entity too large. */
  payloadTooLarge: twilioErrorCode(413),
  /** 429: too many requests. */
  tooManyRequests: twilioErrorCode(429),
  /** 500: internal server error. */
  internalError: twilioErrorCode(500),
} as const;

/** A Twilio error body. */
export function twilioError(status: number, code: number, message: string): TwilioError {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function statusesWhere(keep: (error: StatusError) => boolean): number[] {
  return Object.entries(TWILIO_ERRORS_BY_STATUS)
    .filter(([, error]) => keep(error))
    .map(([status]) => Number(status))
    .sort((a, b) => a - b);
}
