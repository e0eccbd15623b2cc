/**
 * A list that only grows, kept in chunks of a fixed size: a push never copies what is already
 * kept. For what grows by a frame every 20 ms for minutes, hundreds of calls at once (a call's
 * wire trace, what its caller said): a JS array that grows is reallocated again and again, and
 * each new copy lives long enough to be copied by the young-generation collector and promoted —
 * work that lengthens the collector's pauses, which hold up every call's frames at once.
 */
const CHUNK = 256;

export class ChunkedList<T> implements Iterable<T> {
  private readonly chunks: T[][] = [];
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: T): void {
    const at = this.count % CHUNK;
    if (at === 0) this.chunks.push(new Array<T>(CHUNK));
    this.chunks[this.chunks.length - 1]![at] = value;
    this.count++;
  }

  /** The value at `index` (0 ≤ index < length). */
  at(index: number): T {
    return this.chunks[Math.floor(index / CHUNK)]![index % CHUNK]!;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}
