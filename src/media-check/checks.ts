/**
 * The checks of `check-media-server`, as data: each is named after the bug it catches, says what
 * it asserts, and when it applies. Findings (src/media-check/play.ts) name the check they fail.
 */
import type { MediaStreamErrorCode } from "../dialer/stream-errors.js";
import type { MediaCheckId } from "./play.js";

/** When a check applies. */
export interface MediaCheckMode {
  readonly bidirectional: boolean;
  readonly expectSignatureCheck: boolean;
  readonly expectBargeIn: boolean;
}

/** One check. */
export interface MediaCheck {
  readonly id: MediaCheckId;
  /** Stable name: reports, `--only` and tests use it. */
  readonly name: string;
  /** What it asserts, in one line (help text and docs). */
  readonly asserts: string;
  /** Twilio's code for a failure, when Twilio logs one. */
  readonly code?: MediaStreamErrorCode;
  readonly applies: (mode: MediaCheckMode) => boolean;
}

const always = () => true;

export const MEDIA_CHECKS: readonly MediaCheck[] = [
  { id: "upgrade", name: "upgrade: accepts Twilio's signed upgrade", asserts: "answers 101 to an upgrade signed with the account's token over the wss:// URL", code: 31920, applies: always },
  { id: "signature", name: "upgrade: refuses a wrong signature", asserts: "answers no 101 to an upgrade with a wrong or missing X-Twilio-Signature", applies: (m) => m.expectSignatureCheck },
  { id: "frames", name: "frames: text only", asserts: "sends no binary frame", code: 31950, applies: always },
  { id: "messages", name: "messages: valid media, mark or clear", asserts: "every message is JSON media/mark/clear with exactly Twilio's fields", code: 31951, applies: always },
  { id: "stream-sid", name: "messages: this Stream's streamSid", asserts: "every message carries the streamSid of the Stream's start", code: 31951, applies: always },
  { id: "unidirectional", name: "unidirectional: sends nothing", asserts: "sends nothing on a unidirectional Stream (REST-created or <Start><Stream>)", code: 31951, applies: (m) => !m.bidirectional },
  { id: "media-payload", name: "media: base64 μ-law without a file header", asserts: "media payloads are padded base64 of raw μ-law: no WAV/RIFF or other file header", code: 31951, applies: (m) => m.bidirectional },
  { id: "stays-open", name: "socket: stays open until stop", asserts: "does not close a unidirectional Stream's socket before Twilio's stop", code: 31921, applies: (m) => !m.bidirectional },
  { id: "barge-in", name: "barge-in: clear on a key press", asserts: "sends clear when the caller presses a key while its audio is playing", applies: (m) => m.bidirectional && m.expectBargeIn },
];
