/**
 * A checked reader of WAV files (RIFF, "WAVE"; src/lib/wav-file.ts writes them), for `--audio`:
 * the file's samples as the μ-law 8000 Hz mono clip the mock streams. Every offset is checked
 * against the buffer, so a truncated or hostile file gets a reason, never a throw. Supported:
 * integer PCM of 8, 16, 24 or 32 bits, 32-bit float, A-law and μ-law, any rate and channel count
 * (WAVE_FORMAT_EXTENSIBLE too). Channels are averaged; other rates are resampled by linear
 * interpolation (no low-pass filter: this is test audio, not production resampling).
 */
import { decodeAlaw, decodeMulaw, encodeMulaw, SAMPLE_RATE } from "./audio.js";

/** A clip, or why the file cannot be one. */
export type WavReadResult = { readonly clip: Uint8Array } | { readonly error: string };

// The codes of the `fmt ` chunk's wFormatTag (RFC 2361 Appendix A).
const PCM = 1;
const IEEE_FLOAT = 3;
const ALAW = 6;
const MULAW = 7;
const EXTENSIBLE = 0xfffe;

/** Reads a WAV file into a μ-law 8000 Hz mono clip. */
export function readWavAsMulaw(file: Uint8Array): WavReadResult {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const tag = (at: number) => String.fromCharCode(file[at] ?? 0, file[at + 1] ?? 0, file[at + 2] ?? 0, file[at + 3] ?? 0);
  if (file.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") return { error: "not a WAV file (no RIFF/WAVE header)" };
  let format: { tag: number; channels: number; rate: number; bits: number; blockAlign: number } | undefined;
  let data: Uint8Array | undefined;
  // chunk = id(4) size(4, little-endian) body(size) [pad byte when size is odd]
  for (let at = 12; at + 8 <= file.length;) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const end = Math.min(body + size, file.length); // a data chunk cut short is read as far as it goes
    if (id === "fmt ") {
      if (size < 16 || body + 16 > file.length) return { error: "the fmt chunk is too short" };
      let formatTag = view.getUint16(body, true);
      if (formatTag === EXTENSIBLE) {
        if (size < 40 || body + 26 > file.length) return { error: "the WAVE_FORMAT_EXTENSIBLE fmt chunk is too short" };
        formatTag = view.getUint16(body + 24, true); // the sub-format GUID starts with the format code
      }
      format = {
        tag: formatTag,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      data = file.subarray(body, end);
    }
    at = body + size + (size % 2);
  }
  if (format === undefined) return { error: "the WAV file has no fmt chunk" };
  if (data === undefined) return { error: "the WAV file has no data chunk" };
  const { channels, rate, bits, blockAlign } = format;
  if (channels < 1 || rate < 1) return { error: `the WAV file declares ${channels} channel(s) at ${rate} Hz` };
  const bytesPerSample = bits / 8;
  const decode = sampleDecoder(format.tag, bits);
  if (decode === undefined)
    return { error: `unsupported WAV encoding (format ${format.tag}, ${bits} bits): use PCM, float, A-law or μ-law` };
  if (blockAlign !== bytesPerSample * channels)
    return { error: `the WAV file's block size ${blockAlign} does not match ${channels} channel(s) of ${bits} bits` };
  if (format.tag === MULAW && rate === SAMPLE_RATE && channels === 1) return { clip: data.slice() }; // already what Twilio sends
  const frameCount = Math.floor(data.length / blockAlign);
  const mono = new Float64Array(frameCount);
  const dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let frame = 0; frame < frameCount; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += decode(dataView, frame * blockAlign + channel * bytesPerSample);
    mono[frame] = sum / channels;
  }
  return { clip: encodeMulaw(resample(mono, rate)) };
}

/** Reads one sample at a byte offset as a linear value in 16-bit scale; undefined when unsupported. */
function sampleDecoder(formatTag: number, bits: number): ((view: DataView, at: number) => number) | undefined {
  if (formatTag === PCM && bits === 8) return (view, at) => (view.getUint8(at) - 128) * 256; // 8-bit PCM is unsigned
  if (formatTag === PCM && bits === 16) return (view, at) => view.getInt16(at, true);
  if (formatTag === PCM && bits === 24)
    return (view, at) => ((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) / 65536;
  if (formatTag === PCM && bits === 32) return (view, at) => view.getInt32(at, true) / 65536;
  if (formatTag === IEEE_FLOAT && bits === 32) return (view, at) => view.getFloat32(at, true) * 32767;
  if (formatTag === ALAW && bits === 8) return (view, at) => ALAW_TABLE[view.getUint8(at)] ?? 0;
  if (formatTag === MULAW && bits === 8) return (view, at) => MULAW_TABLE[view.getUint8(at)] ?? 0;
  return undefined;
}

/** Each 8-bit code's linear sample, decoded once by the codec library. */
function codeTable(decode: (bytes: Uint8Array) => Int16Array): Int16Array {
  const codes = new Uint8Array(256);
  for (let i = 0; i < 256; i++) codes[i] = i;
  return decode(codes);
}
const ALAW_TABLE = codeTable(decodeAlaw);
const MULAW_TABLE = codeTable(decodeMulaw);

/** Linear-interpolation resampling to SAMPLE_RATE, clamped to 16 bits. */
function resample(samples: Float64Array, rate: number): Int16Array {
  const count = rate === SAMPLE_RATE ? samples.length : Math.floor((samples.length * SAMPLE_RATE) / rate);
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    const position = (i * rate) / SAMPLE_RATE;
    const left = Math.floor(position);
    const a = samples[left] ?? 0;
    const b = samples[left + 1] ?? a;
    const value = a + (b - a) * (position - left);
    out[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return out;
}
