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
  checkServerStreamMessage,
  checkTwilioConnectedMessage,
  checkTwilioDtmfMessage,
  checkTwilioMarkMessage,
  checkTwilioMediaMessage,
  checkTwilioStartMessage,
  checkTwilioStopMessage,
  checkTwilioStreamMessage,
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
import { defineValidator } from "./validator.js";
import type { CompiledCheck, ValidationResult } from "./issue.js";

/** Who sent a message: Twilio (to your server) or your server (to Twilio). @public */
export type MediaMessageSender = "twilio" | "server";

// Each direction's messages are one union, compiled from the schema's `oneOf` (compile-schema.mjs):
// a message goes to the one check its `event` names, never through each schema in turn.
const twilioMessage = defineValidator<TwilioStreamMessage>(checkTwilioStreamMessage, "Media Streams message");
const serverMessage = defineValidator<ServerStreamMessage>(checkServerStreamMessage, "Media Streams message");

/**
 * Validates a message Twilio sends on a Media Stream (parsed JSON): `connected`, `start`,
 * `media`, `dtmf`, `mark` or `stop`, picked by `event`. Never throws.
 * @example
 *   socket.on("message", (data) => { const result = validateTwilioStreamMessage(JSON.parse(String(data))); … });
 * @public
 */
export function validateTwilioStreamMessage(value: unknown): ValidationResult<TwilioStreamMessage> {
  return twilioMessage.validate(value);
}

/**
 * Validates a message a server sends to Twilio on a bidirectional Media Stream (parsed JSON):
 * `media`, `mark` or `clear`, picked by `event`. Unknown fields are issues, as they are for
 * Twilio (error 31951). Never throws.
 * @public
 */
export function validateServerStreamMessage(value: unknown): ValidationResult<ServerStreamMessage> {
  return serverMessage.validate(value);
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
  return fromServer(options) ? validateServerStreamMessage(value) : validateTwilioStreamMessage(value);
}

/** Whether the options say `from: "server"`; options that cannot be read say nothing (the default, Twilio's). */
function fromServer(options: MediaMessageOptions | undefined): boolean {
  try {
    return options?.from === "server";
  } catch {
    return false;
  }
}

/** Whether `value` is a valid message from Twilio. Never throws. @public */
export function isTwilioStreamMessage(value: unknown): value is TwilioStreamMessage {
  return twilioMessage.is(value);
}

/** Whether `value` is a valid message from a server to Twilio. Never throws. @public */
export function isServerStreamMessage(value: unknown): value is ServerStreamMessage {
  return serverMessage.is(value);
}

/** One message's validator: its check, and never a throw. */
function messageValidator<T>(check: CompiledCheck): (value: unknown) => ValidationResult<T> {
  return defineValidator<T>(check, "Media Streams message").validate;
}

/** Validates Twilio's `connected` message. @public */
export const validateTwilioConnectedMessage = messageValidator<TwilioConnectedMessage>(checkTwilioConnectedMessage);
/** Validates Twilio's `start` message. @public */
export const validateTwilioStartMessage = messageValidator<TwilioStartMessage>(checkTwilioStartMessage);
/** Validates Twilio's `media` message. @public */
export const validateTwilioMediaMessage = messageValidator<TwilioMediaMessage>(checkTwilioMediaMessage);
/** Validates Twilio's `dtmf` message. @public */
export const validateTwilioDtmfMessage = messageValidator<TwilioDtmfMessage>(checkTwilioDtmfMessage);
/** Validates Twilio's `mark` message (the echo of a server's mark). @public */
export const validateTwilioMarkMessage = messageValidator<TwilioMarkMessage>(checkTwilioMarkMessage);
/** Validates Twilio's `stop` message. @public */
export const validateTwilioStopMessage = messageValidator<TwilioStopMessage>(checkTwilioStopMessage);
/** Validates a server's `media` message. @public */
export const validateServerMediaMessage = messageValidator<ServerMediaMessage>(checkServerMediaMessage);
/** Validates a server's `mark` message. @public */
export const validateServerMarkMessage = messageValidator<ServerMarkMessage>(checkServerMarkMessage);
/** Validates a server's `clear` message. @public */
export const validateServerClearMessage = messageValidator<ServerClearMessage>(checkServerClearMessage);
