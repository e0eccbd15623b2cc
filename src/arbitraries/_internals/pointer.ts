import type { InvalidSample } from "../invalid-sample.js";

/** The same sample, seen from a document that holds it at `prefix` (e.g. `/body/Url`). */
export function nestSample<T>(prefix: string, sample: InvalidSample<T>): InvalidSample<T> {
  return { value: sample.value, reason: sample.reason, path: prefix + sample.path };
}
