import type { InvalidSample } from "../invalid-sample.js";

/** The same sample, seen from a document that holds it at `prefix` (e.g. `/body/Url`). */
export function nestSample<T>(prefix: string, sample: InvalidSample<T>): InvalidSample<T> {
  return { value: sample.value, reason: sample.reason, path: prefix + sample.path };
}

/** A sample that is invalid as a whole: its own value at `path`. */
export function invalidAt<T>(path: string, reason: string) {
  return (value: T): InvalidSample<T> => ({ value, reason, path });
}
