/**
 * Twilio's playback model (src/dialer/playback.ts) and the call's clock (src/call/clock.ts): marks
 * echoed after their audio, at once with none queued, all at once on clear; what the caller heard;
 * the audio ahead of playback and the gaps in it; a schedule that catches up instead of drifting.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FrameClock, SharedClock, type Tick } from "../../src/media/clock.js";
import { Playback } from "../../src/dialer/playback.js";

const audio = (ms: number, byte = 0x10) => new Uint8Array(ms * 8).fill(byte);

describe("Playback: Twilio's model of a bidirectional Stream's audio", () => {
  it("a mark with nothing queued is echoed at once; one after audio when that audio has played", () => {
    const playback = new Playback();
    expect(playback.mark(0, "empty")).toEqual(["empty"]);
    playback.media(10, audio(100));
    expect(playback.mark(10, "after")).toEqual([]);
    expect(playback.playing(50)).toBe(true);
    expect(playback.advance(109)).toEqual([]);
    expect(playback.advance(110)).toEqual(["after"]);
    expect(playback.playing(110)).toBe(false);
  });

  it("audio is queued: a second piece plays after the first, and marks keep their order", () => {
    const playback = new Playback();
    playback.media(0, audio(100));
    expect(playback.mark(0, "a")).toEqual([]);
    playback.media(20, audio(100));
    expect(playback.mark(20, "b")).toEqual([]);
    expect(playback.mark(20, "c")).toEqual([]); // nothing between b and c: echoed with b, after it
    expect(playback.queuedMs(20)).toBe(180);
    expect(playback.advance(150)).toEqual(["a"]);
    expect(playback.advance(200)).toEqual(["b", "c"]);
  });

  it("clear empties the queue and echoes every pending mark at once; the caller heard only what played", () => {
    const playback = new Playback();
    playback.media(0, audio(100, 0x11));
    playback.mark(0, "a");
    playback.media(0, audio(100, 0x22));
    playback.mark(0, "b");
    expect(playback.clear(30)).toEqual(["a", "b"]);
    expect(playback.playing(30)).toBe(false);
    expect(playback.advance(1000)).toEqual([]);
    const heard = playback.heard(100);
    expect(heard.length).toBe(800);
    expect([...heard.subarray(0, 240)].every((b) => b === 0x11)).toBe(true);
    expect([...heard.subarray(240)].every((b) => b === 0xff)).toBe(true); // μ-law silence after the clear
    // Audio after the clear plays at once.
    playback.media(40, audio(20, 0x33));
    expect(playback.heard(100)[40 * 8]).toBe(0x33);
  });

  it("audio ahead of playback: the most queued at any time", () => {
    const playback = new Playback();
    playback.media(0, audio(4500)); // 9 s of speech sent in 0.8 s
    playback.media(800, audio(4500));
    expect(playback.aheadMs).toBe(8200);
  });

  it("gaps: the queue ran dry while the server spoke (a pause of a second or more is a new answer, not a gap)", () => {
    const playback = new Playback();
    playback.media(0, audio(100));
    playback.media(110, audio(100)); // 10 ms dry: timer noise, not a gap
    playback.media(300, audio(100)); // dry from 210 to 300: a 90 ms gap
    playback.advance(2000);
    playback.media(2000, audio(100)); // after a pause
    expect(playback.gaps).toEqual([{ atMs: 210, ms: 90 }]);
    playback.clear(2050);
    playback.media(2100, audio(100)); // after a clear: a new answer
    expect(playback.gaps).toHaveLength(1);
  });

  it("whatever the server sends, each mark is echoed exactly once, in the order sent, never before its audio played", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("media" as const), ms: fc.integer({ min: 1, max: 200 }) }),
      fc.record({ kind: fc.constant("mark" as const) }),
      fc.record({ kind: fc.constant("clear" as const) }),
      fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 100 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const playback = new Playback();
        let now = 0;
        let end = 0;
        const sent: { name: string; playsUntil: number }[] = [];
        const echoed: string[] = [];
        const echo = (names: string[], cleared = false) => {
          for (const name of names) {
            const mark = sent.find((m) => m.name === name)!;
            if (!cleared) expect(now).toBeGreaterThanOrEqual(mark.playsUntil);
            echoed.push(name);
          }
        };
        ops.forEach((o, i) => {
          if (o.kind === "media") {
            playback.media(now, audio(o.ms));
            end = Math.max(now, end) + o.ms;
          } else if (o.kind === "mark") {
            sent.push({ name: `m${i}`, playsUntil: Math.max(now, end) });
            echo(playback.mark(now, `m${i}`));
          } else if (o.kind === "clear") {
            echo(playback.clear(now), true);
            end = now;
          } else {
            now += o.ms;
            echo(playback.advance(now));
          }
        });
        now += 1e9;
        echo(playback.advance(now));
        expect(echoed).toEqual(sent.map((m) => m.name));
      }),
    );
  });
});

describe("FrameClock: a drift-free 20 ms schedule", () => {
  it("each tick is due at index × 20 ms and runs no earlier; ticks missed during a stall run at once, on the same grid", async () => {
    const ticks: Tick[] = [];
    let stalled = false;
    await new Promise<void>((resolve) => {
      const clock = new FrameClock((tick) => {
        ticks.push(tick);
        if (tick.index === 3 && !stalled) {
          stalled = true;
          const until = performance.now() + 100; // the event loop blocked for 100 ms
          while (performance.now() < until);
        }
        if (tick.index === 15) {
          clock.stop();
          resolve();
        }
      });
    });
    expect(ticks.map((t) => t.index)).toEqual([...Array(16).keys()]);
    for (const tick of ticks) {
      expect(tick.dueMs).toBe(tick.index * 20);
      expect(tick.nowMs).toBeGreaterThanOrEqual(tick.dueMs);
    }
    // The stall (100 ms from about 60 ms on) made ticks 4–8 late; they ran together, right after it.
    const caughtUp = ticks.filter((t) => t.index >= 4 && t.index <= 7);
    expect(new Set(caughtUp.map((t) => t.nowMs)).size).toBe(1);
  });
});

describe("SharedClock: one timer for many calls", () => {
  it("every subscriber gets every tick from its subscription on; the clock stops when the last one leaves", async () => {
    const shared = new SharedClock();
    const a: number[] = [];
    const b: number[] = [];
    await new Promise<void>((resolve) => {
      const stopA = shared.subscribe((tick) => {
        a.push(tick.index);
        if (tick.index === 2) {
          const stopB = shared.subscribe((t) => {
            b.push(t.index);
            if (b.length === 3) {
              stopB();
              stopA();
              resolve();
            }
          });
        }
      });
    });
    expect(a).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b).toEqual([3, 4, 5]); // subscribed during tick 2: from the next tick on
    const after = a.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(a.length).toBe(after);
  });

  it("one who leaves during a tick gets no more of it; one who joins and leaves in the same tick gets nothing", async () => {
    const shared = new SharedClock();
    const calls: string[] = [];
    let stopB = (): void => {};
    await new Promise<void>((resolve) => {
      const stopA = shared.subscribe((tick) => {
        calls.push(`a${tick.index}`);
        if (tick.index === 1) {
          stopB(); // b comes after a in this tick: it misses tick 1
          const stopC = shared.subscribe(() => calls.push("c"));
          stopC();
        }
        if (tick.index === 2) {
          stopA();
          resolve();
        }
      });
      stopB = shared.subscribe((tick) => calls.push(`b${tick.index}`));
    });
    expect(calls).toEqual(["a0", "b0", "a1", "a2"]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toEqual(["a0", "b0", "a1", "a2"]); // no one listens: the clock stopped
  });

  it("admits at most ten a tick, after the tick's frames, first come first served; the clock runs while any wait", async () => {
    const shared = new SharedClock();
    const admitted: number[][] = [];
    let tick = -1;
    const stop = shared.subscribe((t) => {
      tick = t.index;
      admitted.push([]);
    });
    await Promise.all(Array.from({ length: 25 }, (_, i) => shared.admit().then(() => admitted[tick]!.push(i))));
    stop();
    const ticks = admitted.filter((each) => each.length > 0);
    expect(ticks.map((each) => each.length)).toEqual([10, 10, 5]);
    expect(ticks.flat()).toEqual([...Array(25).keys()]);
    // With no listener at all, the clock runs for those waiting, then stops.
    const alone = new SharedClock();
    await Promise.all([alone.admit(), alone.admit()]);
  });

  it("after a stall, admits ten on the tick run on time, none on the ticks it runs late", async () => {
    const shared = new SharedClock();
    const admitted: number[][] = [];
    let tick = -1;
    const stop = shared.subscribe((t) => {
      tick = t.index;
      admitted.push([]);
      if (t.index === 1) {
        const end = performance.now() + 70; // a stall: ticks 2 and 3 come due meanwhile
        while (performance.now() < end);
      }
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => shared.admit().then(() => admitted[tick]!.push(i))));
    stop();
    expect(Math.max(...admitted.map((each) => each.length))).toBe(10);
    expect(admitted.flat()).toEqual([...Array(40).keys()]);
  });
});
