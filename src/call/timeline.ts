/**
 * A call's timeline, for the reports (the HTML page draws it, docs/report.md): on one time axis,
 * ms since the dial, the caller's audio and what the caller heard through Twilio's playback
 * model as peaks, the caller's speech (over the server's audio: a barge-in), the server's audio,
 * marks from sent to echoed, `clear`, Twilio's start, key presses and stop, and the measured
 * latencies where they happened. Built from a CallRecord only; the wire trace is read through
 * `traceOf`, the one place that knows how call.ts keeps it.
 */
import { decodeMulaw, FRAME_BYTES, MULAW_SILENCE } from "../dialer/audio.js";
import { FRAME_MS, MULAW_BYTES_PER_MS } from "../media/producer.js";
import type { CallTimeline, TimelineEvent } from "../report/types.js";
import type { CallRecord } from "./call.js";
import { Playback } from "../dialer/playback.js";

/** At most this many buckets a waveform (a bucket is a multiple of 20 ms). */
const MAX_BUCKETS = 400;
/** Events kept a call (a server that sends a mark every 20 ms for minutes gets a note, not a huge page). */
const MAX_EVENTS = 300;
/** A label's longest text (a mark's name or an unknown frame is the server's). */
const MAX_LABEL = 80;
/** The calls whose audio the page embeds: failing calls first, then the others in order. */
const MAX_CALLS_WITH_AUDIO = 4;
/** Audio embedded a call, from its start. */
const MAX_AUDIO_MS = 60_000;
/** A pause in the caller's speech shorter than this does not end it. */
const SPEECH_PAUSE_MS = 300;
/** The server's media messages less than this apart are one stretch of its audio. */
const MEDIA_PAUSE_MS = 500;
/** base64url's digits: a peak of 0–63, one character. */
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** One frame of the wire trace, as the timeline reads it. */
interface Traced {
  readonly t: number;
  readonly from: "twilio" | "server";
  readonly message?: unknown;
  readonly frame?: string;
}

/** The call's wire trace, in order, its media frames rebuilt as messages (once a call, after it ended): the one reader of how call.ts stores it. */
function traceOf(call: CallRecord): readonly Traced[] {
  return [...call.trace];
}

/**
 * The timelines of a run's calls, in order; the audio of MAX_CALLS_WITH_AUDIO of them embedded,
 * the failing calls first (the others say why theirs is not).
 */
export function callTimelines(calls: readonly { readonly call: CallRecord; readonly failed: boolean }[]): CallTimeline[] {
  const order = [...calls.keys()].sort((a, b) => Number(calls[b]!.failed) - Number(calls[a]!.failed) || a - b);
  const withAudio = new Set(order.slice(0, MAX_CALLS_WITH_AUDIO));
  const leftOut = `the page embeds the audio of ${MAX_CALLS_WITH_AUDIO} calls at most, failing calls first (this run played ${calls.length}); --artifacts DIR keeps the recording of every failing call`;
  return calls.map(({ call }, i) => callTimeline(call, withAudio.has(i) ? undefined : leftOut));
}

/** One call's timeline; its audio embedded unless `audioLeftOut` says why not. */
export function callTimeline(call: CallRecord, audioLeftOut?: string): CallTimeline {
  const trace = traceOf(call);
  const durationMs = Math.max(call.durationMs, call.heard.length / MULAW_BYTES_PER_MS);
  const bucketMs = FRAME_MS * Math.max(1, Math.ceil(durationMs / MAX_BUCKETS / FRAME_MS));
  const originMs = saidOrigin(trace);
  const spoken = speechEvents(speechOf(call.said, originMs), trace);
  const events = [...spoken, ...messageEvents(trace), ...measuredEvents(call, spoken, trace)].sort((a, b) => a.atMs - b.atMs);
  return {
    durationMs: round(durationMs),
    bucketMs,
    said: peaks(call.said, originMs, durationMs, bucketMs),
    heard: peaks(call.heard, 0, durationMs, bucketMs),
    events: events.slice(0, MAX_EVENTS),
    eventsLeftOut: Math.max(0, events.length - MAX_EVENTS),
    audio: audioOf(call, originMs, audioLeftOut),
  };
}

/** When the caller's first frame went out (its `timestamp` is 0 at the call's first tick); 0 without one. */
function saidOrigin(trace: readonly Traced[]): number {
  for (const entry of trace) {
    const m = entry.message as { event?: unknown; media?: { timestamp?: unknown } } | undefined;
    if (entry.from === "twilio" && m?.event === "media") return Math.max(0, entry.t - Number(m.media?.timestamp ?? 0));
  }
  return 0;
}

/** A stretch of the caller's speech: from its first frame to after its last. */
interface Speech {
  readonly atMs: number;
  readonly toMs: number;
}

/** The caller's speech: frames that are not silence, pauses under SPEECH_PAUSE_MS bridged. */
function speechOf(said: Uint8Array, originMs: number): Speech[] {
  const runs: { first: number; last: number }[] = [];
  for (let frame = 0; frame * FRAME_BYTES < said.length; frame++) {
    const bytes = said.subarray(frame * FRAME_BYTES, (frame + 1) * FRAME_BYTES);
    if (bytes.every((b) => b === MULAW_SILENCE)) continue;
    const last = runs.at(-1);
    if (last !== undefined && (frame - last.last - 1) * FRAME_MS < SPEECH_PAUSE_MS) last.last = frame;
    else runs.push({ first: frame, last: frame });
  }
  return runs.map((r) => ({ atMs: round(originMs + r.first * FRAME_MS), toMs: round(originMs + (r.last + 1) * FRAME_MS) }));
}

/** The caller's speech, each stretch said over the server's audio a barge-in (Twilio's playback model, replayed). */
function speechEvents(speech: readonly Speech[], trace: readonly Traced[]): TimelineEvent[] {
  const playback = new Playback();
  let next = 0;
  return speech.map((s) => {
    for (; next < trace.length && trace[next]!.t <= s.atMs; next++) {
      const { from, message, t } = trace[next]!;
      const m = message as { event?: unknown; media?: { payload?: unknown } } | undefined;
      if (from !== "server") continue;
      if (m?.event === "media" && typeof m.media?.payload === "string") playback.media(t, Buffer.from(m.media.payload, "base64"));
      else if (m?.event === "clear") playback.clear(t);
    }
    const over = playback.playing(s.atMs);
    return {
      kind: over ? "barge-in" : "speech",
      atMs: s.atMs,
      toMs: s.toMs,
      label: `the caller speaks${over ? " over the server's audio (barge-in)" : ""}, ${Math.round(s.toMs - s.atMs)} ms`,
    };
  });
}

/** The messages both ways: the server's audio as stretches, its marks to their echoes, clear, Twilio's start, keys and stop. */
function messageEvents(trace: readonly Traced[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const marks: { name: unknown; atMs: number; echoedMs?: number }[] = [];
  let media: { atMs: number; toMs: number; messages: number; bytes: number } | undefined;
  const endMedia = () => {
    if (media !== undefined)
      events.push({
        kind: "media",
        atMs: media.atMs,
        toMs: media.toMs,
        label: `the server's audio: ${media.messages} media message(s), ${Math.round(media.bytes / MULAW_BYTES_PER_MS)} ms of audio`,
      });
    media = undefined;
  };
  for (const { t, from, message, frame } of trace) {
    const m = (typeof message === "object" && message !== null ? message : {}) as {
      event?: unknown;
      media?: { payload?: unknown };
      mark?: { name?: unknown };
      dtmf?: { digit?: unknown };
    };
    if (from === "twilio") {
      if (m.event === "start") events.push({ kind: "start", atMs: t, label: "Twilio: start" });
      else if (m.event === "stop") events.push({ kind: "stop", atMs: t, label: "Twilio: stop (the caller hangs up)" });
      else if (m.event === "dtmf") events.push({ kind: "dtmf", atMs: t, label: `the caller presses ${String(m.dtmf?.digit)}` });
      else if (m.event === "mark") {
        const sent = marks.find((k) => k.echoedMs === undefined && k.name === m.mark?.name);
        if (sent !== undefined) sent.echoedMs = t;
      }
      continue;
    }
    if (m.event === "media") {
      const bytes = typeof m.media?.payload === "string" ? Buffer.byteLength(m.media.payload, "base64") : 0;
      if (media !== undefined && t - media.toMs >= MEDIA_PAUSE_MS) endMedia();
      media ??= { atMs: t, toMs: t, messages: 0, bytes: 0 };
      media.toMs = t;
      media.messages++;
      media.bytes += bytes;
    } else if (m.event === "mark") marks.push({ name: m.mark?.name, atMs: t });
    else if (m.event === "clear") events.push({ kind: "clear", atMs: t, label: "the server: clear" });
    else
      events.push({
        kind: "message",
        atMs: t,
        label: cut(frame !== undefined ? `the server: ${frame}` : `the server: ${JSON.stringify(m.event ?? message) ?? "a message"}`),
      });
  }
  endMedia();
  for (const mark of marks) {
    const name = typeof mark.name === "string" ? `mark ${JSON.stringify(mark.name)}` : "a mark with no name";
    events.push({
      kind: "mark",
      atMs: mark.atMs,
      ...(mark.echoedMs === undefined ? {} : { toMs: mark.echoedMs }),
      label: cut(`${name}: ${mark.echoedMs === undefined ? "never echoed" : `echoed after ${Math.round(mark.echoedMs - mark.atMs)} ms`}`),
    });
  }
  return events;
}

/**
 * The metrics where they were measured: each turn's first audio from the end of the caller's
 * speech it answers (the n-th turn follows the n-th stretch of speech), the barge-in to its clear.
 */
function measuredEvents(call: CallRecord, speech: readonly TimelineEvent[], trace: readonly Traced[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  call.metrics.turns.forEach((turn, i) => {
    const said = speech[i];
    if (said?.toMs === undefined) return;
    // The caller's last frame went out at the start of its 20 ms.
    const from = said.toMs - FRAME_MS;
    events.push(
      turn.firstAudioMs === null
        ? { kind: "first-audio", atMs: from, toMs: from + turn.waitedMs, label: `no answer within ${Math.round(turn.waitedMs)} ms` }
        : {
            kind: "first-audio",
            atMs: from,
            toMs: round(from + turn.firstAudioMs),
            label: `first audio after ${Math.round(turn.firstAudioMs)} ms`,
          },
    );
  });
  const bargeIn = call.metrics.bargeIn;
  if (bargeIn?.duringAudio === true) {
    const clears = trace.filter((e) => e.from === "server" && (e.message as { event?: unknown } | undefined)?.event === "clear");
    const at = speech.find((e) => e.kind === "barge-in")?.atMs;
    // The clear measured: the first after the barge-in began (its speech goes out at the next tick).
    const clearedAt = bargeIn.clearMs === null ? undefined : clears.find((c) => at !== undefined && c.t >= at - FRAME_MS)?.t;
    if (bargeIn.clearMs !== null && clearedAt !== undefined)
      events.push({
        kind: "clear-latency",
        atMs: round(clearedAt - bargeIn.clearMs),
        toMs: clearedAt,
        label: `barge-in → clear ${Math.round(bargeIn.clearMs)} ms`,
      });
    else if (at !== undefined && bargeIn.clearMs === null)
      events.push({
        kind: "clear-latency",
        atMs: at,
        toMs: at + bargeIn.waitedMs,
        label: `barge-in → no clear within ${Math.round(bargeIn.waitedMs)} ms`,
      });
  }
  return events;
}

/** The loudest sample of each bucket of `audio` (starting at `originMs`), 0–63, one digit each. */
function peaks(audio: Uint8Array, originMs: number, durationMs: number, bucketMs: number): string {
  const buckets = new Uint8Array(Math.ceil(durationMs / bucketMs));
  const samples = decodeMulaw(audio);
  for (let i = 0; i < samples.length; i++) {
    const bucket = Math.floor((originMs + i / MULAW_BYTES_PER_MS) / bucketMs);
    if (bucket >= buckets.length) break;
    const level = Math.ceil((Math.abs(samples[i]!) / 32768) * 63);
    if (level > buckets[bucket]!) buckets[bucket] = Math.min(63, level);
  }
  return Array.from(buckets, (level) => DIGITS[level]).join("");
}

/** Both sides as μ-law from 0 ms (the caller's padded to its first frame), at most MAX_AUDIO_MS. */
function audioOf(call: CallRecord, originMs: number, leftOut: string | undefined): CallTimeline["audio"] {
  if (leftOut !== undefined) return { leftOut };
  if (call.said.length === 0) return { leftOut: "the call carried no audio" };
  const limit = MAX_AUDIO_MS * MULAW_BYTES_PER_MS;
  const said = new Uint8Array(Math.round(originMs * MULAW_BYTES_PER_MS) + call.said.length).fill(MULAW_SILENCE);
  said.set(call.said, said.length - call.said.length);
  const cut = said.length > limit || call.heard.length > limit;
  return {
    said: Buffer.from(said.subarray(0, limit)).toString("base64"),
    heard: Buffer.from(call.heard.subarray(0, limit)).toString("base64"),
    ...(cut ? { cutAtMs: MAX_AUDIO_MS } : {}),
  };
}

function cut(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
