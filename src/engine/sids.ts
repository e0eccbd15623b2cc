/**
 * Fresh resource SIDs from a seeded generator: the same seed and the same sequence of requests
 * give the same SIDs, so a failing client test can be replayed.
 */

/** Makes SIDs: a two-letter prefix and 32 lower-case hexadecimal digits. */
export interface SidSource {
  /** The next SID with `prefix`, e.g. `MZ…`. */
  next(prefix: string): string;
}

/** Each byte's two lower-case hexadecimal digits (cheaper than toString(16) and padStart per word). */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * mulberry32: a small 32-bit generator, good enough for identifiers (not for secrets). The seed
 * is taken modulo 2^32.
 */
export function createSidSource(seed: number): SidSource {
  let state = seed >>> 0;
  const nextWord = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    next(prefix) {
      let hex = prefix;
      for (let i = 0; i < 4; i++) {
        const word = nextWord();
        hex += BYTE_HEX[word >>> 24]! + BYTE_HEX[(word >>> 16) & 0xff]! + BYTE_HEX[(word >>> 8) & 0xff]! + BYTE_HEX[word & 0xff]!;
      }
      return hex;
    },
  };
}
