/**
 * What a check-media-server run exercised of the Media Streams protocol: the events Twilio sent
 * the server and those it sent back (as schemas/ lists them), barge-in, and more than one
 * session on the server — the parts that apply to the run's kind of Stream.
 */
import { type ContractPart, MEDIA_EVENTS } from "../contract/coverage.js";
import { coverageOf } from "../report/coverage.js";
import type { Coverage } from "../report/types.js";
import type { MediaCheckMode } from "./checks.js";

/** Twilio's events a unidirectional Stream never carries: key presses and mark echoes come with <Connect><Stream> only. */
const BIDIRECTIONAL_ONLY = new Set(["dtmf", "mark"]);

/** The parts of the protocol a run in `mode` can exercise (with real-time calls when `calls`). */
export function mediaProtocolParts(mode: MediaCheckMode, calls = false): ContractPart[] {
  return [
    ...MEDIA_EVENTS.twilio
      .filter((event) => mode.bidirectional || !BIDIRECTIONAL_ONLY.has(event))
      .map((event) => ({
        id: `sent:${event}`,
        kind: "event sent",
        label: `Twilio → server: ${event}${event === "mark" ? " (the echo of the server's mark, once its audio played)" : ""}`,
      })),
    ...(mode.bidirectional
      ? MEDIA_EVENTS.server.map((event) => ({ id: `received:${event}`, kind: "event received", label: `server → Twilio: ${event}` }))
      : []),
    ...(mode.bidirectional && mode.expectBargeIn
      ? [{ id: "barge-in", kind: "path", label: "a key press while the server's audio played, answered by clear" }]
      : []),
    ...(mode.bidirectional && calls
      ? [{ id: "call-barge-in", kind: "path", label: "in a real-time call, the caller spoke over the server's audio, answered by clear" }]
      : []),
    { id: "second-session", kind: "path", label: "a second session on the same server" },
  ];
}

/**
 * The coverage of a run in `mode` that exercised `exercised` (counts by part id) in `sessions`
 * sessions played, real-time calls included when `calls`.
 */
export function mediaCoverage(mode: MediaCheckMode, exercised: ReadonlyMap<string, number>, sessions: number, calls = false): Coverage {
  const counts = new Map(exercised);
  if (sessions > 1) counts.set("second-session", sessions - 1);
  return coverageOf(
    `the Media Streams protocol, on a ${mode.bidirectional ? "bidirectional" : "unidirectional"} Stream`,
    mediaProtocolParts(mode, calls),
    counts,
    mode.bidirectional
      ? mode.expectBargeIn
        ? undefined
        : "barge-in is counted with --expect-barge-in"
      : "on a unidirectional Stream the server sends nothing, and Twilio sends no dtmf and no mark",
  );
}
