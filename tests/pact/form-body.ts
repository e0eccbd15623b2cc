/**
 * Pact V4 form bodies with per-field matchers.
 *
 * The Pact FFI reads an `application/x-www-form-urlencoded` body given as JSON with embedded
 * matchers and records one matching rule per field (`$.Url`, `$.Track` …). pact-js 17 has no
 * builder method for it (`body()` takes raw bytes without rules; see pact-js issue #767), so this
 * calls the FFI interaction its request builder wraps.
 */
import type { ConsumerInteraction } from "@pact-foundation/pact-core";

/** Sets `form` (field → value or matcher) as the request's form-urlencoded body; `builder` is the request builder pact-js hands to `withRequest`'s callback. */
export function formBody(builder: object, form: Readonly<Record<string, unknown>>): void {
  const interaction = (builder as unknown as { interaction?: ConsumerInteraction }).interaction;
  if (interaction === undefined) throw new Error("pact-js request builder no longer exposes its FFI interaction");
  interaction.withRequestBody(JSON.stringify(form), "application/x-www-form-urlencoded");
}
