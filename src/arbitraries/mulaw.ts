/**
 * Raw μ-law audio and its base64 payload (format `mulaw-base64`, schemas/common.schema.json).
 *
 *     payload = base64(1*OCTET)    ; RFC 4648 section 4, padded; no audio file header
 */
import fc from "fast-check";
import { audioFileHeaderOf, isMulawBase64 } from "../validators/formats/mulaw-base64.js";
import { invalidAt } from "./_internals/pointer.js";
import type { InvalidSample } from "./invalid-sample.js";

/** Options of {@link mulawAudio}. @public */
export interface MulawAudioOptions {
  /** Fewest bytes; default 1. */
  readonly minLength?: number;
  /** Most bytes; default 320 (40 ms). */
  readonly maxLength?: number;
}

/**
 * Raw μ-law audio: bytes that do not start like an audio file (a WAV `RIFF` …), so that their
 * base64 is a valid payload.
 * @public
 */
export function mulawAudio(options: MulawAudioOptions = {}): fc.Arbitrary<Uint8Array> {
  const { minLength = 1, maxLength = 320 } = options;
  return fc
    .uint8Array({ minLength: Math.max(1, minLength), maxLength })
    .filter((bytes) => audioFileHeaderOf(Buffer.from(bytes).toString("base64")) === undefined);
}

/**
 * A valid `payload`: base64 of raw μ-law audio, shrinking towards one zero byte.
 * @public
 */
export function mulawPayload(options?: MulawAudioOptions): fc.Arbitrary<string> {
  return mulawAudio(options).map(
    (bytes) => Buffer.from(bytes).toString("base64"),
    (value) => {
      if (typeof value !== "string" || !isMulawBase64(value)) throw new Error("not a μ-law payload");
      return new Uint8Array(Buffer.from(value, "base64"));
    },
  );
}

/** A WAV file's first 12 bytes (RIFF chunk, size, WAVE) and `fmt `, as a server that sends a file writes them. */
function wavFile(audio: Uint8Array): string {
  const header = Buffer.from("RIFF\0\0\0\0WAVEfmt ", "latin1");
  header.writeUInt32LE(audio.length + 36, 4);
  return Buffer.concat([header, audio]).toString("base64");
}

/**
 * Payloads that are not base64 of raw μ-law, each with its reason (path `""`): a WAV, an AU or an
 * Ogg file, base64 without padding, URL-safe base64, white space inside, the empty string, hex.
 * @public
 */
export function invalidMulawPayload(): fc.Arbitrary<InvalidSample<string>> {
  const audio = mulawAudio({ minLength: 3, maxLength: 160 });
  const encoded = audio.map((bytes) => Buffer.from(bytes).toString("base64"));
  return fc.oneof(
    audio.map(wavFile).map(invalidAt("", "a WAV file (RIFF header)")),
    audio
      .map((bytes) => Buffer.concat([Buffer.from(".snd\0\0\0\x18", "latin1"), bytes]).toString("base64"))
      .map(invalidAt("", "a Sun .au file")),
    audio.map((bytes) => Buffer.concat([Buffer.from("OggS\0\x02", "latin1"), bytes]).toString("base64")).map(invalidAt("", "an Ogg file")),
    encoded
      .filter((text) => text.endsWith("="))
      .map((text) => text.replace(/=+$/, ""))
      .map(invalidAt("", "padding left out")),
    fc
      .tuple(encoded, fc.constantFrom("-", "_"))
      .map(([text, c]) => text[0] + c + text.slice(2))
      .map(invalidAt("", "URL-safe base64 alphabet")),
    fc
      .tuple(encoded, fc.constantFrom(" ", "\n", "\r\n"))
      .map(([text, space]) => `${text.slice(0, 4)}${space}${text.slice(4)}`)
      .map(invalidAt("", "white space inside")),
    fc.constant("").map(invalidAt("", "empty")),
    audio.map((bytes) => Buffer.from(bytes).toString("hex") + "!").map(invalidAt("", "not base64")),
  );
}
