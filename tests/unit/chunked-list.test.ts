import { describe, expect, it } from "vitest";
import { ChunkedList } from "../../src/lib/chunked-list.js";

describe("ChunkedList: a list that grows in chunks, never copying what it keeps", () => {
  it("keeps every value in order across chunk boundaries, by index and when iterated", () => {
    const list = new ChunkedList<number | string>();
    const values = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? `v${i}` : i * 1.5));
    for (const value of values) list.push(value);
    expect(list.length).toBe(1000);
    expect([...list]).toEqual(values);
    expect([0, 255, 256, 511, 512, 999].map((i) => list.at(i))).toEqual([0, 255, 256, 511, 512, 999].map((i) => values[i]));
  });

  it("is empty at first", () => {
    expect([...new ChunkedList<number>()]).toEqual([]);
  });
});
