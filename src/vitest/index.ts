/**
 * twilio-stream-contract/vitest: the contract as vitest matchers.
 *
 *     expect(await res.json()).toBeValidStream();
 *     expect(body).toBeValidCreateStreamRequest({ AccountSid, CallSid });
 *     expect(stream.sid).toBeStreamSid();
 *     expect(stream.date_updated).toBeRfc2822DateTime();
 *
 * Register them with `setupFiles: ["twilio-stream-contract/vitest/setup"]`, or call
 * `expect.extend(streamContractMatchers)` yourself. A failure lists every ContractIssue.
 */
import common from "../../schemas/common.schema.json" with { type: "json" };
import { validateCreateStreamRequest } from "../validators/create-stream-request.js";
import type { FormInput } from "../validators/form.js";
import { isRfc2822DateTime, type Rfc2822Options } from "../validators/formats/rfc2822.js";
import type { ContractIssue, ValidationResult } from "../validators/issue.js";
import type { PathInput } from "../validators/request.js";
import { isStreamSid } from "../validators/sid.js";
import { validateStream } from "../validators/stream.js";
import type { MatcherState } from "vitest";
import { isObject } from "../lib/json.js";

/** The matchers' signatures, as they appear on `expect(value)`. @public */
export interface StreamContractMatchers<R = unknown> {
  /** The value is a Stream resource (schemas/stream.schema.json). */
  toBeValidStream(): R;
  /** The value is a CreateStream form body (string, URLSearchParams or object), and `path` valid path parameters when given. */
  toBeValidCreateStreamRequest(path?: PathInput): R;
  /** The value is a Stream SID: `MZ` and 32 hexadecimal digits. */
  toBeStreamSid(): R;
  /** The value is an RFC 2822 date-time (`{ obsolete: true }` also accepts the obsolete syntax). */
  toBeRfc2822DateTime(options?: Rfc2822Options): R;
}

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type -- vitest's own declaration is `Matchers<T = any>`; augmentation must repeat it
  interface Matchers<T = any> extends StreamContractMatchers<T> {}
}

/** What a matcher returns (vitest's SyncExpectationResult, which vitest does not export). */
interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
}
type MatcherContext = Pick<MatcherState, "isNot">;

const defs = common.$defs;
const show = (value: unknown) => (value === undefined ? "undefined" : JSON.stringify(value));

function fromValidation(context: MatcherContext, result: ValidationResult<unknown>, received: unknown, what: string): MatcherResult {
  const issues: readonly ContractIssue[] = result.valid ? [] : result.issues;
  return {
    pass: result.valid,
    message: () =>
      context.isNot
        ? `expected ${show(received)} not to be ${what}, but it is one`
        : `expected ${what}, but it breaks the contract (${issues.length} issue${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - [${i.rule}] ${i.message}`).join("\n")}`,
    actual: received,
  };
}

function fromPredicate(context: MatcherContext, pass: boolean, received: unknown, what: string): MatcherResult {
  return { pass, message: () => `expected ${show(received)} ${context.isNot ? "not " : ""}to be ${what}`, actual: received };
}

/** The matchers, for `expect.extend`. @public */
export const streamContractMatchers = {
  toBeValidStream(this: MatcherContext, received: unknown): MatcherResult {
    return fromValidation(this, validateStream(received), received, "a valid Stream");
  },
  toBeValidCreateStreamRequest(this: MatcherContext, received: unknown, path?: PathInput): MatcherResult {
    const isForm = typeof received === "string" || received instanceof URLSearchParams || isObject(received);
    if (!isForm) return fromPredicate(this, false, received, "a CreateStream form body (a string, URLSearchParams or plain object)");
    return fromValidation(
      this,
      validateCreateStreamRequest({ path, body: received as FormInput }),
      received,
      "a valid CreateStream request",
    );
  },
  toBeStreamSid(this: MatcherContext, received: unknown): MatcherResult {
    return fromPredicate(this, isStreamSid(received), received, `a ${defs.streamSid.title} (${defs.streamSid.pattern})`);
  },
  toBeRfc2822DateTime(this: MatcherContext, received: unknown, options?: Rfc2822Options): MatcherResult {
    const what = `an ${defs.rfc2822DateTime.title}${options?.obsolete ? " (obsolete syntax allowed)" : ""} such as ${defs.rfc2822DateTime.examples[0]}`;
    return fromPredicate(this, isRfc2822DateTime(received, options), received, what);
  },
};
