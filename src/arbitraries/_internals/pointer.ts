import type { InvalidSample } from "../invalid-sample.js";

/** RFC 6901: one property name as a pointer token (`~` → `~0`, `/` → `~1`). */
export function pointerToken(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The same sample, seen from a document that holds it at `prefix` (e.g. `/body/Url`). */
export function nestSample<T>(prefix: string, sample: InvalidSample<T>): InvalidSample<T> {
  return { value: sample.value, reason: sample.reason, path: prefix + sample.path };
}

/** A sample that is invalid as a whole: its own value at `path`. */
export function invalidAt<T>(path: string, reason: string) {
  return (value: T): InvalidSample<T> => ({ value, reason, path });
}
