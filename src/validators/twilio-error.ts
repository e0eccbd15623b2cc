/** Twilio's REST error body (schemas/twilio-error.schema.json). */
import { checkTwilioError } from "./generated/compiled.js";
import type { TwilioError } from "./generated/types.js";
import type { ValidationResult } from "./issue.js";
import { defineValidator } from "./validator.js";

const twilioError = defineValidator<TwilioError>(checkTwilioError, "Twilio error");

/** Validates a Twilio error body (parsed JSON). @public */
export const validateTwilioError: (value: unknown) => ValidationResult<TwilioError> = twilioError.validate;
/** Whether `value` is a valid Twilio error body. @public */
export const isTwilioError: (value: unknown) => value is TwilioError = twilioError.is;
/** Throws a ContractViolationError unless `value` is a valid Twilio error body. @public */
export const assertTwilioError: (value: unknown) => asserts value is TwilioError = twilioError.assert;
