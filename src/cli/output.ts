/**
 * The CLI's one writer for standard output and standard error: every line any command prints
 * passes through `redact` (src/secrets.ts), so that a registered secret never reaches the
 * terminal or a CI log, whatever message carried it and however it was encoded. A secret too
 * short to mask is warned about on standard error when it is registered.
 */
import { onSecretWarning, redact } from "../secrets.js";

/** Writes `text` to standard output, secrets masked. */
export function out(text: string): void {
  process.stdout.write(redact(text));
}

/** Writes `text` to standard error, secrets masked. */
export function err(text: string): void {
  process.stderr.write(redact(text));
}

/** Writes a command's help to standard output as written: constant text, which holds no secret (masking would only blank its words). */
export function outHelp(text: string): void {
  process.stdout.write(text);
}

onSecretWarning((line) => err(`${line}\n`));
