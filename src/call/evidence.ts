/**
 * The evidence of a call, as files a person can read and hear: the wire trace as JSONL (one
 * frame a line, both directions, with its time in ms since the dial) and a stereo WAV, 8000 Hz
 * 16-bit PCM — left the caller, right what the caller heard through Twilio's playback model.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeMulaw, SAMPLE_RATE } from "../dialer/audio.js";
import { wavFile } from "../lib/wav-file.js";
import type { CallRecord } from "./call.js";

/** The files written for one call. */
export interface CallEvidence {
  readonly trace: string;
  readonly recording: string;
}

/** Writes `<name>.jsonl` and `<name>.wav` into `dir` (made if missing). */
export async function writeCallEvidence(dir: string, name: string, call: CallRecord): Promise<CallEvidence> {
  await mkdir(dir, { recursive: true });
  const trace = join(dir, `${name}.jsonl`);
  const recording = join(dir, `${name}.wav`);
  await writeFile(trace, Array.from(call.trace, (entry) => `${JSON.stringify(entry)}\n`).join(""));
  await writeFile(recording, stereoWav(call.said, call.heard));
  return { trace, recording };
}

/** A stereo 16-bit PCM WAV file of two μ-law tracks (the shorter one padded with silence). */
function stereoWav(left: Uint8Array, right: Uint8Array): Buffer {
  const l = decodeMulaw(left);
  const r = decodeMulaw(right);
  const frames = Math.max(l.length, r.length);
  const data = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    data.writeInt16LE(l[i] ?? 0, i * 4);
    data.writeInt16LE(r[i] ?? 0, i * 4 + 2);
  }
  return wavFile(data, { tag: 1, channels: 2, sampleRate: SAMPLE_RATE, bitsPerSample: 16 });
}
