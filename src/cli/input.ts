/**
 * Reading what a command is given: a file or standard input, bounded, as UTF-8 text (never
 * replaced silently), and JSON with a message that says where it went wrong.
 */
import { createReadStream } from "node:fs";
import { UsageError } from "./exit.js";

/** Text that is not UTF-8, and where its first bad byte is: a usage error unless a command says otherwise. */
export class NotUtf8Error extends UsageError {
  override readonly name: string = "NotUtf8Error";
  constructor(
    readonly source: string,
    /** Offset of the first byte that is not part of a well-formed UTF-8 sequence. */
    readonly offset: number,
  ) {
    super(`${source} is not UTF-8 text: invalid byte sequence at byte offset ${offset}`);
  }
}

/**
 * Reads a file, or standard input for `-`, as UTF-8 text. A missing or unreadable file is a
 * usage error; bytes that are not UTF-8 throw NotUtf8Error (never replaced silently by U+FFFD,
 * which would check a document other than the one given).
 */
export async function readInput(file: string): Promise<string> {
  const bytes = await readBytes(file, file === "-" ? "standard input" : file);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new NotUtf8Error(file === "-" ? "standard input" : file, firstInvalidUtf8(bytes));
  }
}

/**
 * The most a command reads of one file: 64 MiB. A WAV file of about an hour at 8 kHz is 58 MB,
 * Twilio's whole OpenAPI document 2 MB; past this, a file is refused before it fills the memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of a file, or of standard input for `-`, read no further than MAX_INPUT_BYTES; a
 * usage error, naming the file as `what`, when it cannot be read or is larger.
 */
export async function readBytes(file: string, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const input = file === "-" ? process.stdin : createReadStream(file);
  try {
    for await (const chunk of input) {
      total += (chunk as Buffer).length;
      if (total > MAX_INPUT_BYTES) throw new UsageError(`${what}: larger than ${MAX_INPUT_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (input !== process.stdin) input.destroy();
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what}: ${readFailure(error)}`);
  }
  return Buffer.concat(chunks, total);
}

/** Offset of the first byte of `bytes` that is not part of well-formed UTF-8 (RFC 3629 §4). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length;) {
    const lead = bytes[at] as number;
    // UTF8-2 = %xC2-DF UTF8-tail; UTF8-3 = %xE0 %xA0-BF tail / %xE1-EC 2tail / %xED %x80-9F tail / %xEE-EF 2tail;
    // UTF8-4 = %xF0 %x90-BF 2tail / %xF1-F3 3tail / %xF4 %x80-8F 2tail
    const [count, low, high] =
      lead < 0x80
        ? [0, 0, 0]
        : lead >= 0xc2 && lead <= 0xdf
          ? [1, 0x80, 0xbf]
          : lead === 0xe0
            ? [2, 0xa0, 0xbf]
            : lead === 0xed
              ? [2, 0x80, 0x9f]
              : lead >= 0xe1 && lead <= 0xef
                ? [2, 0x80, 0xbf]
                : lead === 0xf0
                  ? [3, 0x90, 0xbf]
                  : lead === 0xf4
                    ? [3, 0x80, 0x8f]
                    : lead >= 0xf1 && lead <= 0xf3
                      ? [3, 0x80, 0xbf]
                      : [-1, 0, 0];
    if (count < 0) return at;
    for (let k = 1; k <= count; k++) {
      const next = bytes[at + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return at;
    }
    at += count + 1;
  }
  return bytes.length;
}

/** Why a file could not be read, in words (no such file, a directory, permission denied, …). */
function readFailure(error: unknown): string {
  const { code } = error as NodeJS.ErrnoException;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a directory";
  if (code === "EACCES") return "permission denied";
  return (error as Error).message;
}

/** JSON.parse with a usage error that says where (line and column) the text went wrong. */
export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (at) {
      const position = Number(at[1]);
      const before = text.slice(0, position).split("\n");
      throw new UsageError(
        `${source} is not valid JSON: ${message.replace(/ in JSON at position \d.*/, "")} at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`,
      );
    }
    throw new UsageError(`${source} is not valid JSON: ${message}`);
  }
}
