/**
 * A Stream's wire trace: every frame, both ways, with its time (ms since the dial) — the evidence
 * of a failing call (docs/calls.md) and what its timeline is drawn from. Bounded: at most
 * MAX_TRACE entries, a text frame kept up to MAX_TRACED_TEXT bytes, a binary frame described by
 * its first bytes.
 *
 * Kept at the least cost a frame: a call sends a frame every 20 ms for minutes, hundreds of calls
 * at once, and the trace is read only once the call is over. Twilio's media frames are kept as
 * their counters and a reference to the audio they carried (encoded once, shared), in chunked
 * lists (src/lib/chunked-list.ts) that hold no object a frame, and are rebuilt as messages when
 * the trace is read; other frames keep their text, read as JSON only then. A media frame that continues its track (the next
 * sequenceNumber, its track's next chunk, 20 ms on) keeps no counters at all: its kind says so.
 * What a frame keeps outlives young-generation collections, and each one copies what is new, so
 * the less a frame keeps, the shorter the collector's pauses that hold up every call's frames.
 */
import { type EncodedAudio, FRAME_MS, type MediaFrame, mediaMessage } from "../media/producer.js";
import { ChunkedList } from "../lib/chunked-list.js";
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

/** Trace entries kept a Stream; a frame's text kept up to this many bytes. */
const MAX_TRACE = 50_000;
const MAX_TRACED_TEXT = 64 * 1024;

/** What an entry is (kinds[i]). */
const TWILIO_TEXT = 0;
const SERVER_TEXT = 1;
const SERVER_FRAME = 2;
const TWILIO_MEDIA = 3;
/** A media frame that continues its track (inbound, outbound): its counters are the last ones, one on. */
const TWILIO_MEDIA_NEXT = [4, 5] as const;

/** The tracks a media entry's first number stands for. */
const TRACKS: readonly MediaTrack[] = ["inbound", "outbound"];

/** The trace of one Stream's socket: read it by iterating (entries rebuilt each time). */
export class Trace implements Iterable<TraceEntry> {
  /** Each entry's time, in tenths of a ms, and kind: `tenths × 8 + kind` (an integer V8 keeps unboxed). */
  private readonly stamps = new ChunkedList<number>();
  /** A frame's text or description; for Twilio's media, the audio it carried. */
  private readonly items = new ChunkedList<string | EncodedAudio>();
  /** Twilio's media frames' track (index in TRACKS), sequenceNumber, chunk and timestamp, four numbers each, in order, but for those that continue their track. */
  private readonly counters: number[] = [];
  /** The last media frame's counters: its sequenceNumber, and each track's chunk and timestamp. */
  private readonly last = new Counters();

  constructor(
    private readonly streamSid: string,
    private readonly max = MAX_TRACE,
  ) {}

  /** Entries kept. */
  get length(): number {
    return this.items.length;
  }

  /** Twilio sent `text` (a message's JSON, not media: see `media`) at `t`. */
  sent(t: number, text: string): void {
    this.add(t, TWILIO_TEXT, text);
  }

  /** Twilio sent a media frame at `t`: its counters and audio. */
  media(t: number, frame: MediaFrame): void {
    const track = frame.track === "inbound" ? 0 : 1;
    const next = this.last.continues(track, frame.sequence, frame.chunk, frame.timestamp);
    if (!this.add(t, next ? TWILIO_MEDIA_NEXT[track] : TWILIO_MEDIA, frame.audio)) return;
    if (!next) this.counters.push(track, frame.sequence, frame.chunk, frame.timestamp);
    this.last.set(track, frame.sequence, frame.chunk, frame.timestamp);
  }

  /** The server sent a frame at `t`. */
  received(t: number, bytes: Buffer, isBinary: boolean): void {
    if (this.items.length >= this.max) return;
    if (isBinary) this.add(t, SERVER_FRAME, `binary, ${bytes.length} bytes: ${bytes.subarray(0, 32).toString("hex")}`);
    else if (bytes.length > MAX_TRACED_TEXT) this.add(t, SERVER_FRAME, `text, ${bytes.length} bytes (not kept)`);
    else this.add(t, SERVER_TEXT, bytes.toString("utf8"));
  }

  /** The entries, in order, each text frame read as JSON (or kept as text when it is not). */
  *[Symbol.iterator](): Iterator<TraceEntry> {
    let counter = 0;
    const last = new Counters();
    for (let i = 0; i < this.items.length; i++) {
      const stamp = this.stamps.at(i);
      const t = Math.floor(stamp / 8) / 10;
      const kind = stamp % 8;
      const item = this.items.at(i);
      if (typeof item !== "string") {
        const [track, sequence, chunk, timestamp] =
          kind === TWILIO_MEDIA
            ? (this.counters.slice(counter, (counter += 4)) as Counted)
            : last.next(kind === TWILIO_MEDIA_NEXT[0] ? 0 : 1);
        last.set(track, sequence, chunk, timestamp);
        yield { t, from: "twilio", message: mediaMessage(this.streamSid, TRACKS[track]!, sequence, chunk, timestamp, item.payload) };
      } else if (kind === SERVER_FRAME) yield { t, from: "server", frame: item };
      else yield readText(t, kind === TWILIO_TEXT ? "twilio" : "server", item);
    }
  }

  private add(t: number, kind: number, item: string | EncodedAudio): boolean {
    if (this.items.length >= this.max) return false;
    this.stamps.push(Math.round(Math.max(0, t) * 10) * 8 + kind);
    this.items.push(item);
    return true;
  }
}

/** A media frame's track (index in TRACKS), sequenceNumber, chunk and timestamp. */
type Counted = [number, number, number, number];

/** The last media frame's counters, to tell (and rebuild) a frame that continues its track. */
class Counters {
  private sequence = Number.NaN;
  private readonly chunk = [Number.NaN, Number.NaN];
  private readonly timestamp = [Number.NaN, Number.NaN];

  set(track: number, sequence: number, chunk: number, timestamp: number): void {
    this.sequence = sequence;
    this.chunk[track] = chunk;
    this.timestamp[track] = timestamp;
  }

  /** The counters of the frame that would continue `track`. */
  next(track: number): Counted {
    return [track, this.sequence + 1, this.chunk[track]! + 1, this.timestamp[track]! + FRAME_MS];
  }

  /** Whether these counters continue `track` (nothing allocated: it runs a frame). */
  continues(track: number, sequence: number, chunk: number, timestamp: number): boolean {
    return sequence === this.sequence + 1 && chunk === this.chunk[track]! + 1 && timestamp === this.timestamp[track]! + FRAME_MS;
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
