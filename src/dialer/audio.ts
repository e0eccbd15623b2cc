/**
 * The audio the mock streams: μ-law (G.711, `audio/x-mulaw`), 8000 Hz, mono, as Twilio sends it,
 * cut into frames of FRAME_BYTES. Twilio does not state its frame size; 20 ms (160 bytes) is what
 * every third-party capture and Twilio-compatible emitter reports (shared notes §A.5), so it is
 * the size used here. The codec is alawmulaw's.
 */
import alawmulaw from "alawmulaw";
import { FRAME_MS, MULAW_BYTES_PER_MS } from "../media/producer.js";

/** Samples per second of every Media Stream. */
export const SAMPLE_RATE = 8000;

/** Bytes of μ-law per `media` message (FRAME_MS of audio). */
export const FRAME_BYTES = FRAME_MS * MULAW_BYTES_PER_MS;

/** μ-law's code for silence (a zero sample), used to pad the last frame. */
export const MULAW_SILENCE = 0xff;

/** Options of `toneClip`. */
export interface ToneOptions {
  /** Frequency in hertz (default 440). */
  readonly frequencyHz?: number;
  /** Length in milliseconds (default 1000). */
  readonly durationMs?: number;
  /** Peak amplitude, 0–1 of full scale (default 0.5, −6 dBFS). */
  readonly amplitude?: number;
}

/** A sine tone as μ-law bytes. */
export function toneClip({ frequencyHz = 440, durationMs = 1000, amplitude = 0.5 }: ToneOptions = {}): Uint8Array {
  const samples = new Int16Array(Math.round((SAMPLE_RATE * durationMs) / 1000));
  const peak = Math.max(0, Math.min(1, amplitude)) * 32767;
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(peak * Math.sin((2 * Math.PI * frequencyHz * i) / SAMPLE_RATE));
  return encodeMulaw(samples);
}

/** 16-bit linear PCM → μ-law. */
export function encodeMulaw(samples: Int16Array): Uint8Array {
  return alawmulaw.mulaw.encode(samples);
}

/** μ-law → 16-bit linear PCM. */
export function decodeMulaw(bytes: Uint8Array): Int16Array {
  return alawmulaw.mulaw.decode(bytes);
}

/** A-law → 16-bit linear PCM. */
export function decodeAlaw(bytes: Uint8Array): Int16Array {
  return alawmulaw.alaw.decode(bytes);
}

/** A clip cut into FRAME_BYTES frames; the last one padded with silence. */
export function frames(clip: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < clip.length; at += FRAME_BYTES) {
    const frame = new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE);
    frame.set(clip.subarray(at, Math.min(at + FRAME_BYTES, clip.length)));
    out.push(frame);
  }
  return out;
}
