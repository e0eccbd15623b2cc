/**
 * SID checks. The patterns live in schemas/common.schema.json; these call the checks compiled
 * from it.
 */
import { testAccountSid, testApiKeySid, testCallSid, testStreamSid } from "./generated/compiled.js";

/** Whether `value` is an Account SID: `AC` and 32 hexadecimal digits. @public */
export function isAccountSid(value: unknown): value is string {
  return typeof value === "string" && testAccountSid(value);
}

/** Whether `value` is a Call SID: `CA` and 32 hexadecimal digits. @public */
export function isCallSid(value: unknown): value is string {
  return typeof value === "string" && testCallSid(value);
}

/** Whether `value` is a Stream SID: `MZ` and 32 hexadecimal digits. @public */
export function isStreamSid(value: unknown): value is string {
  return typeof value === "string" && testStreamSid(value);
}

/** Whether `value` is an API key SID: `SK` and 32 hexadecimal digits (a Basic user Twilio takes). @public */
export function isApiKeySid(value: unknown): value is string {
  return typeof value === "string" && testApiKeySid(value);
}
