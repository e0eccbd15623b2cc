/**
 * SID checks. The patterns live in schemas/common.schema.json; these call the checks compiled
 * from it.
 */
import { checkAccountSid, checkApiKeySid, checkCallSid, checkStreamSid } from "./generated/compiled.js";

/** Whether `value` is an Account SID: `AC` and 32 hexadecimal digits. @public */
export function isAccountSid(value: unknown): value is string {
  return typeof value === "string" && checkAccountSid(value, "", true) === null;
}

/** Whether `value` is a Call SID: `CA` and 32 hexadecimal digits. @public */
export function isCallSid(value: unknown): value is string {
  return typeof value === "string" && checkCallSid(value, "", true) === null;
}

/** Whether `value` is a Stream SID: `MZ` and 32 hexadecimal digits. @public */
export function isStreamSid(value: unknown): value is string {
  return typeof value === "string" && checkStreamSid(value, "", true) === null;
}

/** Whether `value` is an API key SID: `SK` and 32 hexadecimal digits (a Basic user Twilio takes). @public */
export function isApiKeySid(value: unknown): value is string {
  return typeof value === "string" && checkApiKeySid(value, "", true) === null;
}
