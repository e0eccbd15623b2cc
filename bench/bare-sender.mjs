#!/usr/bin/env node
// The limit for bench/calls.bench.mjs and bench/stream-media.bench.mjs: bare ws clients in one
// process, on one drift-free 20 ms loop, with the same life as the tool's calls or Streams and
// nothing else — no upgrade signature, no `connected` or `start`, no judging, no playback, no trace.
//   node bench/bare-sender.mjs PORT COUNT FRAMES [TRACKS=1] [ROUNDS=1]
// Each round opens COUNT sockets, at most ten a tick after the tick's frames (as the tool admits
// its dials, src/media/clock.ts), sends each one media frame per track (TRACKS: 1, or 2 for
// inbound and outbound) every 20 ms from the tick after it opened, closes it after FRAMES frames,
// and starts the next round once every socket of the round has closed.
import { WebSocket } from "ws";

const [port, count, frames, tracks = 1, rounds = 1] = process.argv.slice(2).map(Number);
const PER_TICK = 10;
const payload = Buffer.alloc(160, 0xff).toString("base64");
const names = ["inbound", "outbound"].slice(0, tracks);

function round() {
  return new Promise((resolve, reject) => {
    const live = new Set();
    let toOpen = count;
    let closed = 0;
    const started = performance.now();
    let index = 0;
    const open = () => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/media`, { perMessageDeflate: false });
      socket.once("error", reject);
      socket.once("open", () => live.add({ socket, sent: 0 }));
      socket.once("close", () => ++closed === count && resolve());
    };
    const tick = () => {
      while (started + index * 20 <= performance.now()) {
        for (const call of live) {
          names.forEach((track, t) =>
            call.socket.send(
              `{"event":"media","sequenceNumber":"${call.sent * tracks + t + 2}","streamSid":"MZ0","media":{"track":"${track}","chunk":"${call.sent * tracks + t + 1}","timestamp":"${call.sent * 20}","payload":"${payload}"}}`,
            ),
          );
          if (++call.sent === frames) {
            live.delete(call);
            call.socket.close(1000);
          }
        }
        index++;
      }
      for (let i = 0; i < PER_TICK && toOpen > 0; i++, toOpen--) open();
      if (closed < count) setTimeout(tick, Math.max(0, started + index * 20 - performance.now()));
    };
    tick();
  });
}

for (let r = 0; r < rounds; r++) await round();
