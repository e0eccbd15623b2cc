/**
 * What every invalid generator yields: the broken value, why it is broken, and where.
 */

/**
 * An invalid value together with the rule it breaks.
 * @public
 */
export interface InvalidSample<T> {
  /** The invalid value. */
  readonly value: T;
  /** Why it is invalid, in a few words (`"lower-case prefix"`, `"29 Feb in a non-leap year"`). */
  readonly reason: string;
  /**
   * JSON Pointer (RFC 6901) to the offending value, as the validators report it: `""` for a
   * value on its own, `/sid`, `/body/Url`, `/path/CallSid` inside a resource or request.
   */
  readonly path: string;
}
