/**
 * The rule engine's state (src/engine/store.ts) on its own: calls and Streams by SID and by
 * name, and the bounds that keep the mock's memory flat however long it runs.
 */
import { describe, expect, it } from "vitest";
import { streamPath } from "../../src/contract/paths.js";
import { StreamEngine } from "../../src/engine/engine.js";
import { type StoredStream, StreamStore, toResource } from "../../src/engine/store.js";

const ACCOUNT = `AC${"a".repeat(32)}`;
const call = (n: number) => `CA${n.toString(16).padStart(32, "0")}`;
const sid = (n: number) => `MZ${n.toString(16).padStart(32, "0")}`;

function stream(n: number, callSid: string, name: string | null = null, status: StoredStream["status"] = "in-progress"): StoredStream {
  return {
    sid: sid(n),
    account_sid: ACCOUNT,
    call_sid: callSid,
    name,
    status,
    date_updated: "Thu, 30 Jul 2015 20:00:00 +0000",
    uri: streamPath(ACCOUNT, callSid, sid(n)),
  };
}

describe("StreamStore", () => {
  it("starts, finds and ends calls; ending a call forgets its Streams", () => {
    const store = new StreamStore();
    expect(store.hasCall(ACCOUNT, call(1))).toBe(false);
    store.addCall(ACCOUNT, call(1));
    store.addCall(ACCOUNT, call(1));
    expect(store.hasCall(ACCOUNT, call(1))).toBe(true);
    expect(store.hasCall(`AC${"b".repeat(32)}`, call(1))).toBe(false);
    store.addStream(stream(1, call(1), "a"));
    store.removeCall(ACCOUNT, call(1));
    expect(store.hasCall(ACCOUNT, call(1))).toBe(false);
    expect(store.findStream(ACCOUNT, call(1), sid(1))).toBeUndefined();
    store.removeCall(ACCOUNT, call(9)); // unknown: a no-op
  });

  it("adding a Stream starts its call; a Stream is found by SID, then by name, only on its own call", () => {
    const store = new StreamStore();
    const named = stream(1, call(1), "media");
    store.addStream(named);
    expect(store.hasCall(ACCOUNT, call(1))).toBe(true);
    expect(store.findStream(ACCOUNT, call(1), sid(1))).toBe(named);
    expect(store.findStream(ACCOUNT, call(1), "media")).toBe(named);
    expect(store.findStream(ACCOUNT, call(2), sid(1))).toBeUndefined();
    expect(store.findStream(ACCOUNT, call(1), "other")).toBeUndefined();
  });

  it("a name is in use only while its Stream is in progress; the newest Stream with a name wins", () => {
    const store = new StreamStore();
    const first = stream(1, call(1), "media");
    store.addStream(first);
    expect(store.nameInUse(ACCOUNT, call(1), "media")).toBe(true);
    expect(store.nameInUse(ACCOUNT, call(2), "media")).toBe(false);
    first.status = "stopped";
    expect(store.nameInUse(ACCOUNT, call(1), "media")).toBe(false);
    const second = stream(2, call(1), "media");
    store.addStream(second);
    expect(store.findStream(ACCOUNT, call(1), "media")).toBe(second);
    expect(store.findStream(ACCOUNT, call(1), sid(1))).toBe(first);
  });

  it("keeps at most maxCalls calls, forgetting the oldest", () => {
    const store = new StreamStore(3);
    for (let n = 1; n <= 5; n++) store.addCall(ACCOUNT, call(n));
    expect([1, 2, 3, 4, 5].map((n) => store.hasCall(ACCOUNT, call(n)))).toEqual([false, false, true, true, true]);
  });

  it("keeps at most maxStreams Streams, forgetting the oldest by SID and by name", () => {
    const store = new StreamStore(Number.POSITIVE_INFINITY, 2);
    store.addStream(stream(1, call(1), "one"));
    store.addStream(stream(2, call(1), "two"));
    store.addStream(stream(3, call(2), "three"));
    expect(store.findStream(ACCOUNT, call(1), sid(1))).toBeUndefined();
    expect(store.findStream(ACCOUNT, call(1), "one")).toBeUndefined();
    expect(store.findStream(ACCOUNT, call(1), sid(2))?.name).toBe("two");
    expect(store.findStream(ACCOUNT, call(2), "three")?.sid).toBe(sid(3));
  });

  it("counts what is kept beside a Stream in its bound in bytes, and takes it off when the Stream goes", () => {
    const store = new StreamStore(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1_000_000);
    store.addStream(stream(1, call(1)), 600_000);
    store.addStream(stream(2, call(1)), 600_000); // 1.2 MB: the first goes
    expect(store.findStream(ACCOUNT, call(1), sid(1))).toBeUndefined();
    store.addStream(stream(3, call(1))); // small: both fit
    expect(store.findStream(ACCOUNT, call(1), sid(2))).toBeDefined();
    expect(store.findStream(ACCOUNT, call(1), sid(3))).toBeDefined();
  });

  it("forgetting an old Stream leaves a newer one that took its name", () => {
    const store = new StreamStore(Number.POSITIVE_INFINITY, 2);
    const old = stream(1, call(1), "media", "stopped");
    store.addStream(old);
    const newer = stream(2, call(1), "media");
    store.addStream(newer);
    store.addStream(stream(3, call(1))); // pushes out sid(1)
    expect(store.findStream(ACCOUNT, call(1), sid(1))).toBeUndefined();
    expect(store.findStream(ACCOUNT, call(1), "media")).toBe(newer);
  });

  it("toResource gives the Stream resource's seven fields and nothing else", () => {
    const stored = { ...stream(1, call(1), "media"), extra: "internal" } as StoredStream;
    expect(Object.keys(toResource(stored)).sort()).toEqual(["account_sid", "call_sid", "date_updated", "name", "sid", "status", "uri"]);
  });
});

describe("StreamEngine with a stream-event listener (the mock that dials media servers)", () => {
  it("counts each create's kept body in the store's bound: megabyte-long parameters push old Streams out", () => {
    const engine = new StreamEngine({ policy: { kind: "mock" }, onStreamEvent: () => {} });
    const authorization = `Basic ${Buffer.from(`${ACCOUNT}:token`).toString("base64")}`;
    const create = (n: number) =>
      engine.handle({
        method: "POST",
        path: `/2010-04-01/Accounts/${ACCOUNT}/Calls/${call(n)}/Streams.json`,
        authorization,
        contentType: "application/x-www-form-urlencoded",
        body: `Url=wss%3A%2F%2Fexample.com%2Fmedia&Parameter1.Name=big&Parameter1.Value=${"v".repeat(1 << 20)}`,
      });
    const sids = Array.from({ length: 20 }, (_, n) => (JSON.parse(create(n).body) as { sid: string }).sid);
    // 20 bodies of 1 MiB, each counted at two bytes a character: 40 MiB, more than the mock keeps.
    expect(engine.store.findStream(ACCOUNT, call(0), sids[0]!)).toBeUndefined();
    expect(engine.store.findStream(ACCOUNT, call(19), sids[19]!)).toBeDefined();
  });
});
