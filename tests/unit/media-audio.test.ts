/**
 * The audio the mock streams: the tone, the frames, and WAV files read by the checked RIFF
 * reader, compared with wavefile (the reference WAV library, by the author of the codec).
 */
import fc from "fast-check";
import wavefile from "wavefile";
import { describe, expect, it } from "vitest";
import { decodeMulaw, FRAME_BYTES, frames, MULAW_SILENCE, toneClip } from "../../src/dialer/audio.js";
import { readWavAsMulaw } from "../../src/dialer/wav.js";
import { wavFile } from "../../src/lib/wav-file.js";

const { WaveFile } = wavefile;

function sine(rate: number, frequency: number, seconds: number, peak = 12000): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(peak * Math.sin((2 * Math.PI * frequency * i) / rate));
  return out;
}

/** Zero crossings per second of μ-law audio at 8000 Hz: twice the frequency of a tone. */
function crossingsPerSecond(clip: Uint8Array): number {
  const pcm = decodeMulaw(clip);
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings++;
  return (crossings * 8000) / pcm.length;
}

describe("tone and frames", () => {
  it("a 440 Hz tone of 1 s is 8000 μ-law bytes with 880 zero crossings a second", () => {
    const clip = toneClip();
    expect(clip).toHaveLength(8000);
    expect(crossingsPerSecond(clip)).toBeCloseTo(880, -1);
  });

  it("frames are 160 bytes (20 ms), the last one padded with μ-law silence", () => {
    const cut = frames(new Uint8Array(400).fill(1));
    expect(cut.map((f) => f.length)).toEqual([FRAME_BYTES, FRAME_BYTES, FRAME_BYTES]);
    expect([...cut[2]!.subarray(80)].every((b) => b === MULAW_SILENCE)).toBe(true);
    expect([...cut[2]!.subarray(0, 80)].every((b) => b === 1)).toBe(true);
  });
});

describe("WAV files", () => {
  it("16-bit PCM at 8000 Hz mono: the same μ-law bytes as wavefile's own conversion", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 1, maxLength: 400 }), (samples) => {
        const wav = new WaveFile();
        wav.fromScratch(1, 8000, "16", samples);
        const result = readWavAsMulaw(wav.toBuffer());
        wav.toMuLaw();
        // wavefile keeps the RIFF pad byte of an odd-length chunk in its samples
        expect(result).toEqual({ clip: (wav.data as { samples: Uint8Array }).samples.subarray(0, samples.length) });
      }),
    );
  });

  it("the WAV files written (a call's recording, the report's players) are what wavefile writes, and read back", () => {
    const mulaw = toneClip({ durationMs: 100 });
    // wavefile reads ours (it writes μ-law with a `fact` chunk, which a WAV reader does not need).
    const mono = new WaveFile(wavFile(mulaw, { tag: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8 }));
    expect(mono.fmt).toMatchObject({ audioFormat: 7, numChannels: 1, sampleRate: 8000, byteRate: 8000, blockAlign: 1, bitsPerSample: 8 });
    expect(Uint8Array.from((mono.data as { samples: Uint8Array }).samples)).toEqual(mulaw);
    const back = readWavAsMulaw(wavFile(mulaw, { tag: 7, channels: 1, sampleRate: 8000, bitsPerSample: 8 }));
    expect("clip" in back ? Uint8Array.from(back.clip) : back).toEqual(mulaw);
    const pcm = Int16Array.from(Array.from(decodeMulaw(mulaw)).flatMap((sample) => [sample, -sample]));
    const stereo = new WaveFile();
    stereo.fromScratch(2, 8000, "16", pcm);
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    expect(wavFile(bytes, { tag: 1, channels: 2, sampleRate: 8000, bitsPerSample: 16 })).toEqual(Buffer.from(stereo.toBuffer()));
  });

  it("μ-law WAV at 8000 Hz mono is passed through byte for byte", () => {
    const wav = new WaveFile();
    wav.fromScratch(1, 8000, "16", Array.from(sine(8000, 300, 0.1)));
    wav.toMuLaw();
    expect(readWavAsMulaw(wav.toBuffer())).toEqual({ clip: (wav.data as { samples: Uint8Array }).samples });
  });

  it("stereo 44.1 kHz 16-bit, 24-bit, 32-bit float and 8-bit, A-law: resampled to 8000 Hz, the tone's pitch kept", () => {
    const cases: [number, string, (wav: InstanceType<typeof WaveFile>) => void][] = [
      [44100, "16", () => {}],
      [16000, "24", () => {}],
      [22050, "32f", () => {}],
      [11025, "8", () => {}],
      [8000, "16", (wav) => wav.toALaw()],
    ];
    for (const [rate, depth, convert] of cases) {
      const tone = sine(rate, 500, 0.5);
      const scaled =
        depth === "32f"
          ? Array.from(tone, (s) => s / 32768)
          : depth === "24"
            ? Array.from(tone, (s) => s * 256)
            : depth === "8"
              ? Array.from(tone, (s) => (s >> 8) + 128)
              : Array.from(tone);
      const wav = new WaveFile();
      wav.fromScratch(2, rate, depth, [scaled, scaled]);
      convert(wav);
      const result = readWavAsMulaw(wav.toBuffer());
      if (!("clip" in result)) throw new Error(`${rate} Hz ${depth}: ${result.error}`);
      expect(result.clip.length).toBeCloseTo(4000, -1);
      expect(crossingsPerSecond(result.clip)).toBeCloseTo(1000, -2);
    }
  });

  it("hostile or unsupported files get a reason, never a throw", () => {
    const good = (() => {
      const wav = new WaveFile();
      wav.fromScratch(1, 8000, "16", [1, 2, 3, 4]);
      return wav.toBuffer();
    })();
    expect(readWavAsMulaw(new Uint8Array(0))).toEqual({ error: expect.stringContaining("not a WAV") });
    expect(readWavAsMulaw(good.subarray(0, 30))).toEqual({ error: expect.stringContaining("fmt") });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(good.length), (noise, at) => {
        const mutated = new Uint8Array(good);
        mutated.set(noise.subarray(0, good.length - at), at);
        const result = readWavAsMulaw(mutated);
        expect("clip" in result || "error" in result).toBe(true);
      }),
    );
  });
});
