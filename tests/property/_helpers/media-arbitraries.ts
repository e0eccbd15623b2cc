/**
 * The Media Streams arbitraries and what their values must satisfy, for the table of
 * tests/property/arbitraries.test.ts (determinism, validity, shrinking).
 */
import { expect } from "vitest";
import type fc from "fast-check";
import * as arbitraries from "../../../src/arbitraries/index.js";
import type { BrokenMediaSession, InvalidSample, MediaSessionSample } from "../../../src/arbitraries/index.js";
import {
  checkMediaSession,
  type ContractIssue,
  isMulawBase64,
  type ValidationResult,
  validateServerStreamMessage,
  validateTwilioStreamMessage,
} from "../../../src/index.js";

interface Checked {
  readonly arb: fc.Arbitrary<unknown>;
  readonly holds: (value: unknown) => boolean;
}
function checked<T>(arb: fc.Arbitrary<T>, holds: (value: T) => boolean): Checked {
  return { arb, holds: (value) => holds(value as T) };
}

/** Rejected, and every issue at the sample's path. */
function rejectedAt(result: ValidationResult<unknown>, path: string): boolean {
  if (result.valid) return false;
  expect(
    result.issues.filter((e: ContractIssue) => e.path !== path),
    `issues other than at ${JSON.stringify(path)}`,
  ).toEqual([]);
  return result.issues.length > 0;
}

const errors = (result: ValidationResult<unknown>) => (result.valid ? [] : result.issues.map((e) => e.message));

/** A session checkMediaSession accepts, with its own options and with chunk counting left open. */
export function acceptedSession({ messages, options }: MediaSessionSample): boolean {
  for (const check of [options, { ...options, chunkCounter: "either" as const }]) {
    const result = checkMediaSession(messages, check);
    expect(result.valid ? undefined : result.violation).toBeUndefined();
  }
  return true;
}

/** A broken session whose first violation is the tagged one. */
export function brokenWhereTagged(sample: BrokenMediaSession): boolean {
  const result = checkMediaSession(sample.value.messages, sample.value.options);
  expect(result.valid ? undefined : { index: result.violation.index, rule: result.violation.rule }, sample.reason).toEqual({
    index: sample.index,
    rule: sample.rule,
  });
  return sample.path === `/messages/${sample.index}`;
}

export const MEDIA_VALID: Record<string, Checked> = {
  mulawAudio: checked(arbitraries.mulawAudio(), (bytes) => bytes.length > 0 && isMulawBase64(Buffer.from(bytes).toString("base64"))),
  mulawPayload: checked(arbitraries.mulawPayload(), isMulawBase64),
  twilioStreamMessage: checked(
    arbitraries.twilioStreamMessage(),
    (m) => expect(errors(validateTwilioStreamMessage(m))).toEqual([]) ?? true,
  ),
  "twilioStreamMessage(start)": checked(
    arbitraries.twilioStreamMessage({ event: "start", streamSid: "MZ" + "0".repeat(32) }),
    (m) => m.event === "start" && validateTwilioStreamMessage(m).valid,
  ),
  serverStreamMessage: checked(
    arbitraries.serverStreamMessage(),
    (m) => expect(errors(validateServerStreamMessage(m))).toEqual([]) ?? true,
  ),
  "serverStreamMessage(clear)": checked(
    arbitraries.serverStreamMessage({ event: "clear" }),
    (m) => m.event === "clear" && validateServerStreamMessage(m).valid,
  ),
  mediaSession: checked(arbitraries.mediaSession(), acceptedSession),
  "mediaSession(unidirectional, per-track)": checked(
    arbitraries.mediaSession({ kind: "unidirectional", chunkCounter: "per-track" }),
    acceptedSession,
  ),
};

export const MEDIA_INVALID: Record<string, Checked> = {
  invalidMulawPayload: checked(arbitraries.invalidMulawPayload(), (s: InvalidSample<string>) => !isMulawBase64(s.value)),
  invalidTwilioStreamMessage: checked(arbitraries.invalidTwilioStreamMessage(), (s) =>
    rejectedAt(validateTwilioStreamMessage(s.value), s.path),
  ),
  invalidServerStreamMessage: checked(arbitraries.invalidServerStreamMessage(), (s) =>
    rejectedAt(validateServerStreamMessage(s.value), s.path),
  ),
  brokenMediaSession: checked(arbitraries.brokenMediaSession(), brokenWhereTagged),
};
