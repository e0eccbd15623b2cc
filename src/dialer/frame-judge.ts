/**
 * The one judge of what a Media Streams server sends Twilio: the one engine of Twilio's side
 * (leg.ts) calls it for every player — the mock's dialer, check-media-server's sessions and
 * calls —, so that the same frame gets the same verdict. A frame is judged in one order — size, binary or text, nesting depth, JSON,
 * the server messages' schema (event, fields, mark name, media payload), the Stream's streamSid,
 * then whether the Stream's direction allows a message at all — and every rule it breaks is a
 * issue under the rule's name; Twilio's code for each rule is in SERVER_RULES. The judge is
 * total: any bytes get a verdict, and what it shows of them is cut and depth-bounded.
 */
import type { RawData } from "ws";
import { describeValue } from "../validators/describe.js";
import { validateServerStreamMessage } from "../validators/media-message.js";
import type { MediaStreamErrorCode } from "./stream-errors.js";

/**
 * The rules a server's traffic must keep, with Twilio's code for a broken one (shared notes §A.3,
 * §A.8). `websocket` is RFC 6455 itself (31924 Protocol Error: "non-conformant WebSocket
 * traffic"); `stays-open` is a unidirectional Stream's socket kept until Twilio's `stop`, and
 * `connection` the same socket not broken (reset) meanwhile; `reads`: the server reads what
 * Twilio sends (31930 Media Buffer Overflow: Twilio drops audio it cannot deliver).
 */
export const SERVER_RULES = {
  frames: 31950,
  messages: 31951,
  "stream-sid": 31951,
  "media-payload": 31951,
  unidirectional: 31951,
  websocket: 31924,
  "stays-open": 31921,
  connection: 31903,
  reads: 31930,
} as const satisfies Record<string, MediaStreamErrorCode>;

/** A rule of SERVER_RULES. */
export type ServerRule = keyof typeof SERVER_RULES;

/** A rule a server broke, and how. */
export interface FrameIssue {
  readonly rule: ServerRule;
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
}

/** A valid message, as Twilio acts on it (bidirectional Streams): `media` with its audio's length and base64 payload. */
export type AcceptedMessage =
  | { readonly event: "media"; readonly bytes: number; readonly payload: string }
  | { readonly event: "mark"; readonly name: string }
  | { readonly event: "clear" };

/** The verdict on one frame. */
export interface FrameVerdict {
  readonly issues: readonly FrameIssue[];
  /** What Twilio does with it, when the frame breaks no rule and the Stream is bidirectional. */
  readonly accepted?: AcceptedMessage;
  /** The message's event, when it is one of a server's (`media`, `mark`, `clear`). */
  readonly event?: AcceptedMessage["event"];
}

/** The Stream a frame arrived on. */
export interface FrameContext {
  readonly streamSid: string;
  readonly bidirectional: boolean;
}

/**
 * The largest message a dialler reads (ws `maxPayload`; larger ones close the socket with 1009 and
 * are a `websocket` issue). Twilio states no limit ("the audio can be of any size"), so the cap
 * is generous: 8 MiB of base64 is about 13 minutes of μ-law audio in one message.
 */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** Nesting a server message may have: Twilio's are 3 deep (`{"media":{"payload":…}}`); deeper is refused unread. */
const MAX_DEPTH = 16;

/** Judges one frame from the server. Never throws. */
export function judgeServerFrame(data: RawData, isBinary: boolean, context: FrameContext): FrameVerdict {
  const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const issues: FrameIssue[] = [];
  const verdict = judgeContent(bytes, isBinary, context, issues);
  if (!context.bidirectional)
    issues.push({
      rule: "unidirectional",
      message: `the server sent ${isBinary ? "a binary frame" : "a message"} on a unidirectional Stream (one created through the REST API or <Start><Stream> only carries audio to the server): ${excerpt(bytes, isBinary)}`,
      expected: "nothing from the server",
      actual: excerpt(bytes, isBinary),
    });
  const accepted = issues.length === 0 ? verdict.accepted : undefined;
  return { issues, ...(accepted === undefined ? {} : { accepted }), ...(verdict.event === undefined ? {} : { event: verdict.event }) };
}

/** Everything but the Stream's direction. */
function judgeContent(
  bytes: Buffer,
  isBinary: boolean,
  context: FrameContext,
  issues: FrameIssue[],
): { accepted?: AcceptedMessage; event?: AcceptedMessage["event"] } {
  if (bytes.length > MAX_MESSAGE_BYTES) {
    issues.push({
      rule: "websocket",
      message: `the server sent a message of ${bytes.length} bytes, more than the ${MAX_MESSAGE_BYTES} this dialler reads`,
      expected: `a message of at most ${MAX_MESSAGE_BYTES} bytes`,
      actual: `${bytes.length} bytes`,
    });
    return {};
  }
  if (isBinary) {
    issues.push({
      rule: "frames",
      message: `the server sent a binary frame of ${bytes.length} bytes (Media Streams messages are JSON text frames)`,
      expected: "JSON text frames",
      actual: excerpt(bytes, true),
    });
    return {};
  }
  const text = bytes.toString("utf8"); // ws has refused invalid UTF-8 (a `websocket` issue) before a message gets here
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH) {
    issues.push({
      rule: "messages",
      message: `the server sent a message nested more than ${MAX_DEPTH} levels deep (a Media Streams message is 3): ${excerpt(bytes, false)}`,
      expected: "a Media Streams message: media, mark or clear",
      actual: excerpt(bytes, false),
    });
    return {};
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    issues.push({
      rule: "messages",
      message: `the server sent a text frame that is not JSON: ${excerpt(bytes, false)}`,
      expected: "a JSON message",
      actual: excerpt(bytes, false),
    });
    return {};
  }
  const result = validateServerStreamMessage(message);
  const event = eventOf(message);
  const streamSid = fieldOf(message, "streamSid");
  const wrongSid = streamSid !== undefined && streamSid !== context.streamSid;
  if (!result.valid && result.issues.some((issue) => issue.path === "/event" || issue.path === "")) {
    const object = typeof message === "object" && message !== null && !Array.isArray(message);
    issues.push({
      rule: "messages",
      message: `the server sent ${object ? "an unknown event" : "JSON that is not an object"}: ${excerpt(bytes, false)}`,
      expected: 'a JSON object whose event is "media", "mark" or "clear"',
      actual: excerpt(bytes, false),
    });
    return {};
  }
  if (wrongSid)
    issues.push({
      rule: "stream-sid",
      message: `the server sent "${event}" with streamSid ${describeValue(streamSid)}, not this Stream's ${context.streamSid}`,
      expected: context.streamSid,
      actual: describeValue(streamSid),
    });
  if (!result.valid) {
    const payload = result.issues.filter((i) => i.path.startsWith("/media/payload"));
    const other = result.issues.filter((i) => !i.path.startsWith("/media/payload") && !(wrongSid && i.path === "/streamSid"));
    if (payload.length > 0)
      issues.push({
        rule: "media-payload",
        message: `the server's media payload is not raw μ-law in base64: ${payload.map((i) => i.message).join("; ")}`,
        expected: payload.map((i) => i.expected).join("; "),
        actual: payload.map((i) => i.received).join("; "),
      });
    if (other.length > 0)
      issues.push({
        rule: "messages",
        message: `the server sent an invalid "${event}": ${other.map((i) => i.message).join("; ")}`,
        expected: other.map((i) => `${i.path}: ${i.expected}`).join("; "),
        actual: excerpt(bytes, false),
      });
  }
  if (!result.valid || wrongSid) return { event };
  const valid = result.value;
  if (valid.event === "media") {
    const payload = valid.media.payload;
    return { event, accepted: { event: "media", bytes: Buffer.byteLength(payload, "base64"), payload } };
  }
  if (valid.event === "mark") return { event, accepted: { event: "mark", name: valid.mark.name } };
  return { event, accepted: { event: "clear" } };
}

/**
 * An error of an open socket: a frame ws refused as RFC 6455 forbids it (codes WS_ERR_*: invalid
 * UTF-8, RSV bits, a bad close code, a message over MAX_MESSAGE_BYTES …), or a broken connection.
 */
export function judgeSocketError(error: Error): FrameIssue {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (code.startsWith("WS_ERR_"))
    return {
      rule: "websocket",
      message: `the server broke the WebSocket protocol (RFC 6455): ${error.message}`,
      expected: "frames RFC 6455 allows",
      actual: error.message,
    };
  return {
    rule: "connection",
    message: `the connection broke: ${error.message}`,
    expected: "the socket open until stop",
    actual: code === "" ? error.message : code,
  };
}

/** The server closed a unidirectional Stream's socket (with `code`) before Twilio's `stop`. */
export function judgeEarlyClose(code: number): FrameIssue {
  return {
    rule: "stays-open",
    message: `the server closed the WebSocket (code ${code}) before Twilio sent stop`,
    expected: "the socket open until stop",
    actual: `closed with code ${code}`,
  };
}

/** How deep `[` and `{` nest in a JSON text, counted up to MAX_DEPTH + 1 (strings skipped); linear. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > MAX_DEPTH) return deepest;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

function fieldOf(message: unknown, key: string): unknown {
  return typeof message === "object" && message !== null && !Array.isArray(message) ? (message as Record<string, unknown>)[key] : undefined;
}

function eventOf(message: unknown): AcceptedMessage["event"] | undefined {
  const event = fieldOf(message, "event");
  return event === "media" || event === "mark" || event === "clear" ? event : undefined;
}

/** A frame as shown in an issue: text cut to 120 characters (as a JSON string), binary as its first bytes in hex. */
function excerpt(bytes: Buffer, binary: boolean): string {
  if (binary) return `<${bytes.subarray(0, 16).toString("hex")}${bytes.length > 16 ? "…" : ""}>`;
  const text = bytes.subarray(0, 480).toString("utf8");
  return text.length > 120 || bytes.length > 480 ? `${JSON.stringify(text.slice(0, 120))}…` : JSON.stringify(text);
}
