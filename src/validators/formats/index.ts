/**
 * The contract's string formats, a table of name → check. The compiled validators call these;
 * `addStreamFormats` registers the same table on a user's own ajv instance.
 */
import { isIso8601DateTime } from "./iso8601.js";
import { checkRfc2822DateTime } from "./rfc2822.js";
import { isMulawBase64 } from "./mulaw-base64.js";
import { isHttpUrl, isWssUrl } from "./url.js";

/** @lintignore knip: generated/compiled.js (build output, seen by TypeScript as compiled.d.ts) calls these. */
export const formats = {
  /** RFC 2822 section 3.3 date-time with a numeric zone (see rfc2822.ts). */
  "date-time-rfc-2822": checkRfc2822DateTime,
  /** Absolute wss:// URL, no fragment (RFC 3986, RFC 6455 section 3). */
  "wss-url": isWssUrl,
  /** Absolute http:// or https:// URL (RFC 3986). */
  "http-url": isHttpUrl,
  /** Base64 (RFC 4648 section 4) of raw μ-law audio, no audio file header (see mulaw-base64.ts). */
  "mulaw-base64": isMulawBase64,
  /** RFC 3339 section 5.6 date-time, ISO 8601's internet profile (see iso8601.ts). */
  "date-time-iso-8601": isIso8601DateTime,
} as const satisfies Record<string, (value: string) => boolean>;

/** The name of a format the contract's schemas use. */
export type StreamFormatName = keyof typeof formats;

/** The part of an ajv instance `addStreamFormats` needs (kept structural: `.` does not import ajv). */
export interface FormatRegistry {
  addFormat(name: string, format: { type: "string"; validate: (value: string) => boolean }): unknown;
}

/**
 * Registers the contract's formats (`date-time-rfc-2822`, `wss-url`, `http-url`, `mulaw-base64`, `date-time-iso-8601`) on your own
 * ajv instance, so that it can compile the schemas in `twilio-stream-contract/schemas/*.json`.
 * @example
 *   const ajv = new Ajv2020(); addStreamFormats(ajv);
 * @public
 */
export function addStreamFormats<T extends FormatRegistry>(ajv: T): T {
  for (const [name, validate] of Object.entries(formats)) ajv.addFormat(name, { type: "string", validate });
  return ajv;
}
