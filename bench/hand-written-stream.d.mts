// Types of bench/hand-written-stream.mjs, for the test that checks it agrees with validateStream.
export interface HandWrittenIssue {
  readonly path: string;
  readonly rule: string;
  readonly expected: string;
  readonly received: string;
  readonly message: string;
}
/** null when `value` is a valid Stream, else its issues. */
export function handCheckStream(value: unknown): HandWrittenIssue[] | null;
/** Whether `text` is an RFC 2822 section 3.3 date-time. */
export function isRfc2822(text: string): boolean;
