/**
 * Network trouble on Twilio's side of a Stream, opt-in and seeded so that a run replays
 * (docs/calls.md): the caller's frames lost on the way to Twilio, held up (jitter), and a slow
 * reader — Twilio's side reading the server's frames only every so often. Any player of the
 * engine (leg.ts) can ask for them; check-media-server's calls do (`--lose-percent`,
 * `--jitter-ms`, `--slow-reader-ms`).
 */
import type { WebSocket } from "ws";

/**
 * `lossPercent` of the caller's frames never reach Twilio (the next frame's `timestamp` jumps:
 * sequenceNumber and chunk count what Twilio sends); each frame is held up to `jitterMs` (order
 * kept: one socket); with `slowReaderMs`, Twilio's side reads the socket once every that many
 * ms, taking what has arrived: each server frame waits up to that long to be read, judged and
 * played, and the server's writes back up in TCP meanwhile. The draws (loss, jitter) come from
 * `seed`; the slow reader draws nothing.
 */
export interface Impairments {
  readonly seed: number;
  readonly lossPercent?: number;
  readonly jitterMs?: number;
  readonly slowReaderMs?: number;
}

/** A small seeded generator (mulberry32): the same seed, the same draws. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Reads `socket` slowly: paused, then every `everyMs` resumed for one turn of the event loop —
 * long enough for what the kernel holds to be read — and paused again. Returns how to stop (the
 * socket then reads freely).
 */
export function readSlowly(socket: WebSocket, everyMs: number): () => void {
  let reading = true;
  socket.pause();
  const timer = setInterval(() => {
    socket.resume();
    setImmediate(() => {
      if (reading) socket.pause();
    });
  }, everyMs);
  return () => {
    reading = false;
    clearInterval(timer);
    socket.resume();
  };
}
