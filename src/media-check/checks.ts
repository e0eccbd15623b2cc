/**
 * The checks of `check-media-server`, as data: each is named after the bug it catches, says what
 * it asserts, when it applies, Twilio's code for a failure (the judge's SERVER_RULES for the rules
 * of a server's traffic), what one sample plays, and what a session must show for the check to
 * have tested anything. Findings (src/media-check/play.ts) name the rule they break: the check
 * of the same id.
 */
import { SERVER_RULES, type ServerRule } from "../dialer/frame-judge.js";
import type { MediaStreamErrorCode } from "../dialer/stream-errors.js";

/** When a check applies. */
export interface MediaCheckMode {
  readonly bidirectional: boolean;
  readonly expectSignatureCheck: boolean;
  readonly expectBargeIn: boolean;
}

/** What a session showed that a check can judge; a check that saw none of it is skipped. */
interface SessionEvidence {
  /** Messages (frames) the server sent. */
  readonly received: number;
  /** `media` messages the server sent. */
  readonly mediaReceived: number;
  /** Key presses made while the server's audio played. */
  readonly pressesDuringAudio: number;
}

/** The checks' ids: a rule of the server's traffic, or one of the upgrade or of barge-in. */
type MediaCheckId = ServerRule | "upgrade" | "signature" | "barge-in";

/** One check. */
export interface MediaCheck {
  readonly id: MediaCheckId;
  /** Stable name: reports, `--only` and tests use it. */
  readonly name: string;
  /** What it asserts, in one line (help text and docs). */
  readonly asserts: string;
  /** Twilio's code for a failure, when Twilio logs one: failures are reported under it. */
  readonly code?: MediaStreamErrorCode;
  readonly applies: (mode: MediaCheckMode) => boolean;
  /** When it applies, in the flags' words (the docs' table); absent: always. */
  readonly when?: string;
  /**
   * What one sample plays: a whole session; one whose caller presses a key right after a frame,
   * while the server's answer to it plays (barge-in); or one upgrade with a wrong signature.
   */
  readonly sample: "session" | "session with a key press during audio" | "wrong signature";
  /**
   * What the check judges; when no session showed any of it, the check is skipped with
   * `unseen(sessions)` as the reason. Absent: every session tests it (silence is what is checked).
   */
  readonly evidence?: { readonly of: keyof SessionEvidence; readonly unseen: (sessions: number) => string };
}

const always = () => true;
const unidirectional = (m: MediaCheckMode) => !m.bidirectional;
const sentNothing = { of: "received", unseen: (n: number) => `the server sent nothing in any of ${n} sessions` } as const;

export const MEDIA_CHECKS: readonly MediaCheck[] = [
  {
    id: "upgrade",
    name: "upgrade: accepts Twilio's signed upgrade",
    asserts: "answers 101 to an upgrade signed with the account's token over the wss:// URL",
    code: 31920,
    applies: always,
    sample: "session",
  },
  {
    id: "signature",
    name: "upgrade: refuses a wrong signature",
    asserts:
      "refuses an upgrade with random bytes, another token's signature or no X-Twilio-Signature: no 101, or a close with 1008 before any message",
    applies: (m) => m.expectSignatureCheck,
    when: "`--expect-signature-check`",
    sample: "wrong signature",
  },
  {
    id: "websocket",
    name: "websocket: frames RFC 6455 allows",
    asserts: "sends valid UTF-8 text, no RSV bit, valid close codes, no message over 8 MiB",
    code: SERVER_RULES.websocket,
    applies: always,
    sample: "session",
    evidence: sentNothing,
  },
  {
    id: "frames",
    name: "frames: text only",
    asserts: "sends no binary frame",
    code: SERVER_RULES.frames,
    applies: always,
    sample: "session",
    evidence: sentNothing,
  },
  {
    id: "messages",
    name: "messages: valid media, mark or clear",
    asserts: "every message is JSON media/mark/clear with exactly Twilio's fields (a mark has a name)",
    code: SERVER_RULES.messages,
    applies: always,
    sample: "session",
    evidence: sentNothing,
  },
  {
    id: "stream-sid",
    name: "messages: this Stream's streamSid",
    asserts: "every message carries the streamSid of the Stream's start",
    code: SERVER_RULES["stream-sid"],
    applies: always,
    sample: "session",
    evidence: sentNothing,
  },
  {
    id: "unidirectional",
    name: "unidirectional: sends nothing",
    asserts: "sends nothing on a unidirectional Stream (REST-created or <Start><Stream>)",
    code: SERVER_RULES.unidirectional,
    applies: unidirectional,
    when: "unidirectional (without `--bidirectional`)",
    sample: "session",
  },
  {
    id: "media-payload",
    name: "media: base64 μ-law without a file header",
    asserts: "media payloads are padded base64 of raw μ-law: no WAV/RIFF or other file header",
    code: SERVER_RULES["media-payload"],
    applies: always,
    sample: "session",
    evidence: { of: "mediaReceived", unseen: (n) => `the server sent no media in any of ${n} sessions` },
  },
  {
    id: "stays-open",
    name: "socket: stays open until stop",
    asserts: "does not close a unidirectional Stream's socket before Twilio's stop",
    code: SERVER_RULES["stays-open"],
    applies: unidirectional,
    when: "unidirectional (without `--bidirectional`)",
    sample: "session",
  },
  {
    id: "connection",
    name: "socket: no broken connection",
    asserts: "does not break a unidirectional Stream's connection (a reset) before Twilio's stop",
    code: SERVER_RULES.connection,
    applies: unidirectional,
    when: "unidirectional (without `--bidirectional`)",
    sample: "session",
  },
  {
    id: "reads",
    name: "socket: reads what Twilio sends",
    asserts: "takes every message Twilio sends within --timeout",
    code: SERVER_RULES.reads,
    applies: always,
    sample: "session",
  },
  {
    id: "barge-in",
    name: "barge-in: clear on a key press",
    asserts: "sends clear within 1 s (or --timeout) when the caller presses a key while its audio is playing",
    applies: (m) => m.bidirectional && m.expectBargeIn,
    when: "`--bidirectional --expect-barge-in`",
    sample: "session with a key press during audio",
    evidence: {
      of: "pressesDuringAudio",
      unseen: (n) => `the server played no audio in ${n} sessions, so no key press could interrupt it`,
    },
  },
];
