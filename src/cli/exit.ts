/**
 * Exit codes CI can rely on, and the usage error that prints a message and no stack (exit 2).
 */
/** 0 conformant, 1 contract violation, 2 usage or I/O error. */
export const EXIT = { ok: 0, violation: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake of the user's (bad flag, unreadable file, no server): a message, exit 2, no stack. */
export class UsageError extends Error {
  override readonly name: string = "UsageError";
}
