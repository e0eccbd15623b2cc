/**
 * A Stream's wire trace: every frame, both ways, with its time (ms since the dial) — the evidence
 * of a failing call (docs/calls.md) and what its timeline is drawn from. Bounded: at most
 * MAX_TRACE entries, a text frame kept up to MAX_TRACED_TEXT bytes, a binary frame described by
 * its first bytes.
 *
 * Kept at the least cost a frame: a call sends a frame every 20 ms for minutes, hundreds of calls
 * at once, and the trace is read only once the call is over. Twilio's media frames are kept as
 * their counters and a reference to the audio they carried (encoded once, shared), in arrays of
 * numbers that hold no object a frame, and are rebuilt as messages when the trace is read; other
 * frames keep their text, read as JSON only then. Nothing kept a frame outlives the young
 * generation's collection as a new object, so hundreds of calls do not slow the collector that
 * pauses them all.
 */
import { type EncodedAudio, mediaMessage } from "../media/producer.js";
import type { MediaTrack } from "../validators/generated/types.js";

/** One frame of the wire trace, as read (and written to the evidence's JSONL). */
export interface TraceEntry {
  /** ms since the dial. */
  readonly t: number;
  readonly from: "twilio" | "server";
  /** The message (a JSON frame), or, for another frame, what it was. */
  readonly message?: unknown;
  readonly frame?: string;
}

/** A `media` message ready to go: its JSON text, and its counters and audio (what the trace keeps of it). */
export class MediaFrame {
  constructor(
    readonly text: string,
    readonly track: MediaTrack,
    readonly audio: EncodedAudio,
    readonly sequence: number,
    readonly chunk: number,
    readonly timestamp: number,
  ) {}
}

/** Trace entries kept a Stream; a frame's text kept up to this many bytes. */
const MAX_TRACE = 50_000;
const MAX_TRACED_TEXT = 64 * 1024;

/** What an entry is (kinds[i]). */
const TWILIO_TEXT = 0;
const SERVER_TEXT = 1;
const SERVER_FRAME = 2;
const TWILIO_MEDIA = 3;

/** The tracks a media entry's first number stands for. */
const TRACKS: readonly MediaTrack[] = ["inbound", "outbound"];

/** The trace of one Stream's socket: read it by iterating (entries rebuilt each time). */
export class Trace implements Iterable<TraceEntry> {
  private readonly times: number[] = [];
  private readonly kinds: number[] = [];
  /** A frame's text or description; for Twilio's media, the audio it carried. */
  private readonly items: (string | EncodedAudio)[] = [];
  /** Twilio's media frames' track (index in TRACKS), sequenceNumber, chunk and timestamp, four numbers each, in order. */
  private readonly stamps: number[] = [];

  constructor(
    private readonly streamSid: string,
    private readonly max = MAX_TRACE,
  ) {}

  /** Entries kept. */
  get length(): number {
    return this.times.length;
  }

  /** Twilio sent `text` (a message's JSON, not media: see `media`) at `t`. */
  sent(t: number, text: string): void {
    this.add(t, TWILIO_TEXT, text);
  }

  /** Twilio sent a media frame at `t`: its counters and audio. */
  media(t: number, frame: MediaFrame): void {
    if (this.add(t, TWILIO_MEDIA, frame.audio)) this.stamps.push(TRACKS.indexOf(frame.track), frame.sequence, frame.chunk, frame.timestamp);
  }

  /** The server sent a frame at `t`. */
  received(t: number, bytes: Buffer, isBinary: boolean): void {
    if (this.times.length >= this.max) return;
    if (isBinary) this.add(t, SERVER_FRAME, `binary, ${bytes.length} bytes: ${bytes.subarray(0, 32).toString("hex")}`);
    else if (bytes.length > MAX_TRACED_TEXT) this.add(t, SERVER_FRAME, `text, ${bytes.length} bytes (not kept)`);
    else this.add(t, SERVER_TEXT, bytes.toString("utf8"));
  }

  /** The entries, in order, each text frame read as JSON (or kept as text when it is not). */
  *[Symbol.iterator](): Iterator<TraceEntry> {
    let stamp = 0;
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i]!;
      const item = this.items[i]!;
      const kind = this.kinds[i];
      const from = kind === TWILIO_TEXT || kind === TWILIO_MEDIA ? "twilio" : "server";
      if (typeof item !== "string") {
        const [track, sequence, chunk, timestamp] = this.stamps.slice(stamp, (stamp += 4)) as [number, number, number, number];
        yield { t, from, message: mediaMessage(this.streamSid, TRACKS[track]!, sequence, chunk, timestamp, item.payload) };
      } else if (kind === SERVER_FRAME) yield { t, from, frame: item };
      else yield readText(t, from, item);
    }
  }

  private add(t: number, kind: number, item: string | EncodedAudio): boolean {
    if (this.times.length >= this.max) return false;
    this.times.push(round(t));
    this.kinds.push(kind);
    this.items.push(item);
    return true;
  }
}

function readText(t: number, from: TraceEntry["from"], text: string): TraceEntry {
  try {
    return { t, from, message: JSON.parse(text) as unknown };
  } catch {
    return { t, from, frame: text };
  }
}

/** Milliseconds to a tenth. */
export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
