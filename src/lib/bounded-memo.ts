import { detached } from "./detach.js";

/**
 * A bounded memo for pure functions of a string: clients repeat the same Authorization header,
 * request path and requests, so what was worked out for one is kept instead of worked out again.
 * When full it is emptied (not LRU): simple, and the bound is all that matters for memory.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly limit = 1024,
    /** Longer keys are not kept (a hostile client could otherwise fill memory with them). */
    private readonly maxKeyLength = 4096,
  ) {}

  /** `compute(key)`, from the memo when it is there. */
  get(key: string, compute: (key: string) => V): V {
    if (key.length > this.maxKeyLength) return compute(key);
    const entries = this.entries;
    let value = entries.get(key);
    if (value === undefined && !entries.has(key)) {
      value = compute(key);
      if (entries.size >= this.limit) entries.clear();
      entries.set(detached(key), value); // a key cut from a 1 MB body would otherwise keep the body
    }
    return value as V;
  }
}
