/**
 * The caller's bundled voice (audio/README.md says how it was made): two short utterances,
 * μ-law 8000 Hz mono WAV files shipped in the package's `audio/` folder, read once.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readWavAsMulaw } from "../dialer/wav.js";

/** The utterances, by file name. */
export type Utterance = "caller-question" | "caller-interruption";

const cache = new Map<Utterance, Uint8Array>();

/** An utterance as μ-law 8000 Hz mono audio. */
export function utterance(name: Utterance): Uint8Array {
  const known = cache.get(name);
  if (known !== undefined) return known;
  const wav = readWavAsMulaw(readFileSync(join(audioFolder(), `${name}.wav`)));
  if ("error" in wav) throw new Error(`the bundled audio ${name}.wav: ${wav.error}`);
  cache.set(name, wav.clip);
  return wav.clip;
}

/** The package's audio/ folder: up from this file (src/call/ in the sources, dist/ once built). */
function audioFolder(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(folder, "audio", "caller-question.wav"))) return join(folder, "audio");
    const parent = dirname(folder);
    if (parent === folder) throw new Error("the bundled audio/ folder of twilio-stream-contract is missing");
    folder = parent;
  }
}
