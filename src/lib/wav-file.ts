/**
 * A WAV file (RIFF, "WAVE": a 16-byte `fmt ` chunk, then `data`) around audio samples, as written
 * for a failing call's stereo recording (src/call/evidence.ts) and the HTML report's players
 * (src/report/timeline.ts). Reading WAV files is src/dialer/wav.ts's.
 */

/** The `fmt ` chunk: wFormatTag (1 integer PCM, 7 μ-law: RFC 2361 Appendix A), channels, rate, bits a sample. */
export interface WavFormat {
  readonly tag: 1 | 7;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: 8 | 16;
}

/** `data` (interleaved samples) as a WAV file. */
export function wavFile(data: Uint8Array, format: WavFormat): Buffer {
  const blockAlign = (format.channels * format.bitsPerSample) / 8;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format.tag, 20);
  header.writeUInt16LE(format.channels, 22);
  header.writeUInt32LE(format.sampleRate, 24);
  header.writeUInt32LE(format.sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(format.bitsPerSample, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
