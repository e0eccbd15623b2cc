/**
 * Media Streams messages (schemas/twilio-media-message.schema.json, Twilio → your server, and
 * schemas/server-media-message.schema.json, your server → Twilio).
 *
 * A live socket carries about 100 messages a second per call, so a message is checked by one
 * compiled check, picked by its `event`, instead of trying each message schema in turn (`oneOf`).
 * A value no JSON parser makes — a Proxy whose traps throw, a throwing getter — gets an issue,
 * never an exception.
 */
import {
  checkServerClearMessage,
  checkServerMarkMessage,
  checkServerMediaMessage,
  checkTwilioConnectedMessage,
  checkTwilioDtmfMessage,
  checkTwilioMarkMessage,
  checkTwilioMediaMessage,
  checkTwilioStartMessage,
  checkTwilioStopMessage,
  testServerClearMessage,
  testServerMarkMessage,
  testServerMediaMessage,
  testTwilioConnectedMessage,
  testTwilioDtmfMessage,
  testTwilioMarkMessage,
  testTwilioMediaMessage,
  testTwilioStartMessage,
  testTwilioStopMessage,
} from "./generated/compiled.js";
import type {
  ServerClearMessage,
  ServerMarkMessage,
  ServerMediaMessage,
  ServerStreamMessage,
  TwilioConnectedMessage,
  TwilioDtmfMessage,
  TwilioMarkMessage,
  TwilioMediaMessage,
  TwilioStartMessage,
  TwilioStopMessage,
  TwilioStreamMessage,
} from "./generated/types.js";
import { checkCarefully } from "./careful.js";
import { defineValidator } from "./validator.js";
import { type CompiledCheck, type CompiledTest, type ContractIssue, describeValue, issue, type ValidationResult } from "./issue.js";

/** Who sent a message: Twilio (to your server) or your server (to Twilio). @public */
export type MediaMessageSender = "twilio" | "server";

/** The events Twilio sends, each with its check. */
const TWILIO_CHECKS: Readonly<Record<TwilioStreamMessage["event"], CompiledCheck>> = {
  connected: checkTwilioConnectedMessage,
  start: checkTwilioStartMessage,
  media: checkTwilioMediaMessage,
  dtmf: checkTwilioDtmfMessage,
  mark: checkTwilioMarkMessage,
  stop: checkTwilioStopMessage,
};

/** The events a server may send, each with its check. */
const SERVER_CHECKS: Readonly<Record<ServerStreamMessage["event"], CompiledCheck>> = {
  media: checkServerMediaMessage,
  mark: checkServerMarkMessage,
  clear: checkServerClearMessage,
};

/** The issue of a value that could not be read (a throwing getter or Proxy trap). */
function unreadable(error: unknown): ContractIssue {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : "an exception";
  return issue("", "readable", "a plain JSON value (reading it threw)", `a value whose reading threw ${describeValue(why)}`);
}

/** The issue of a value that is not an object, or whose `event` names none of `checks`. */
function wrongMessage(checks: Readonly<Record<string, CompiledCheck>>, value: unknown, event: unknown): ValidationResult<never> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { valid: false, issues: [issue("", "type", "of type object (a JSON message)", describeValue(value))] };
  }
  const events = Object.keys(checks)
    .map((e) => JSON.stringify(e))
    .join(", ");
  const received = event === undefined ? "nothing" : describeValue(event);
  return { valid: false, issues: [issue("/event", event === undefined ? "required" : "enum", `one of ${events}`, received)] };
}

/**
 * Checks a message with the check of its `event` in `checks`. One try around the whole: reading
 * `event` (a Proxy, a getter) and the check may throw, and a socket's valid messages should pay
 * for nothing but the check (no object to carry `event` out of a helper).
 */
function dispatch<T>(checks: Readonly<Record<string, CompiledCheck>>, value: unknown): ValidationResult<T> {
  let check: CompiledCheck | undefined;
  try {
    // Inside the try: Array.isArray throws on a revoked Proxy.
    if (typeof value !== "object" || value === null || Array.isArray(value)) return wrongMessage(checks, value, undefined);
    const event = (value as { event?: unknown }).event;
    check = typeof event === "string" && Object.hasOwn(checks, event) ? checks[event] : undefined;
    if (check === undefined) return wrongMessage(checks, value, event);
    const issues = check(value, "");
    return issues === null ? { valid: true, value: value as T } : { valid: false, issues };
  } catch (error) {
    return { valid: false, issues: check === undefined ? [unreadable(error)] : checkCarefully(check, value, error) };
  }
}

/**
 * Validates a message Twilio sends on a Media Stream (parsed JSON): `connected`, `start`,
 * `media`, `dtmf`, `mark` or `stop`, picked by `event`. Never throws.
 * @example
 *   socket.on("message", (data) => { const result = validateTwilioStreamMessage(JSON.parse(String(data))); … });
 * @public
 */
export function validateTwilioStreamMessage(value: unknown): ValidationResult<TwilioStreamMessage> {
  return dispatch<TwilioStreamMessage>(TWILIO_CHECKS, value);
}

/**
 * Validates a message a server sends to Twilio on a bidirectional Media Stream (parsed JSON):
 * `media`, `mark` or `clear`, picked by `event`. Unknown fields are issues, as they are for
 * Twilio (error 31951). Never throws.
 * @public
 */
export function validateServerStreamMessage(value: unknown): ValidationResult<ServerStreamMessage> {
  return dispatch<ServerStreamMessage>(SERVER_CHECKS, value);
}

/** Options of {@link validateMediaMessage}. @public */
export interface MediaMessageOptions {
  /** Who sent the message; default `"twilio"`. */
  readonly from?: MediaMessageSender;
}

/**
 * Validates a Media Streams message of either direction: Twilio's (the default) or, with
 * `{ from: "server" }`, a server's. Never throws.
 * @example
 *   validateMediaMessage({ event: "clear", streamSid }, { from: "server" })
 * @public
 */
export function validateMediaMessage(value: unknown, options: { readonly from: "server" }): ValidationResult<ServerStreamMessage>;
export function validateMediaMessage(value: unknown, options?: { readonly from?: "twilio" }): ValidationResult<TwilioStreamMessage>;
export function validateMediaMessage(
  value: unknown,
  options?: MediaMessageOptions,
): ValidationResult<TwilioStreamMessage | ServerStreamMessage>;
export function validateMediaMessage(
  value: unknown,
  options?: MediaMessageOptions,
): ValidationResult<TwilioStreamMessage | ServerStreamMessage> {
  return options?.from === "server" ? validateServerStreamMessage(value) : validateTwilioStreamMessage(value);
}

/** Whether `value` is a valid message from Twilio. Never throws. @public */
export function isTwilioStreamMessage(value: unknown): value is TwilioStreamMessage {
  return validateTwilioStreamMessage(value).valid;
}

/** Whether `value` is a valid message from a server to Twilio. Never throws. @public */
export function isServerStreamMessage(value: unknown): value is ServerStreamMessage {
  return validateServerStreamMessage(value).valid;
}

/** One message's validator: its check, and never a throw. */
function messageValidator<T>(check: CompiledCheck, test: CompiledTest): (value: unknown) => ValidationResult<T> {
  return defineValidator<T>(check, test, "Media Streams message").validate;
}

/** Validates Twilio's `connected` message. @public */
export const validateTwilioConnectedMessage = messageValidator<TwilioConnectedMessage>(
  checkTwilioConnectedMessage,
  testTwilioConnectedMessage,
);
/** Validates Twilio's `start` message. @public */
export const validateTwilioStartMessage = messageValidator<TwilioStartMessage>(checkTwilioStartMessage, testTwilioStartMessage);
/** Validates Twilio's `media` message. @public */
export const validateTwilioMediaMessage = messageValidator<TwilioMediaMessage>(checkTwilioMediaMessage, testTwilioMediaMessage);
/** Validates Twilio's `dtmf` message. @public */
export const validateTwilioDtmfMessage = messageValidator<TwilioDtmfMessage>(checkTwilioDtmfMessage, testTwilioDtmfMessage);
/** Validates Twilio's `mark` message (the echo of a server's mark). @public */
export const validateTwilioMarkMessage = messageValidator<TwilioMarkMessage>(checkTwilioMarkMessage, testTwilioMarkMessage);
/** Validates Twilio's `stop` message. @public */
export const validateTwilioStopMessage = messageValidator<TwilioStopMessage>(checkTwilioStopMessage, testTwilioStopMessage);
/** Validates a server's `media` message. @public */
export const validateServerMediaMessage = messageValidator<ServerMediaMessage>(checkServerMediaMessage, testServerMediaMessage);
/** Validates a server's `mark` message. @public */
export const validateServerMarkMessage = messageValidator<ServerMarkMessage>(checkServerMarkMessage, testServerMarkMessage);
/** Validates a server's `clear` message. @public */
export const validateServerClearMessage = messageValidator<ServerClearMessage>(checkServerClearMessage, testServerClearMessage);
