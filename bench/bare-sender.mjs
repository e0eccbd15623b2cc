#!/usr/bin/env node
// The limit for bench/calls.bench.mjs and bench/stream-media.bench.mjs: `count` bare ws clients in
// one process, one drift-free loop sending each a 20 ms media frame per track (`tracks`: 1, or 2
// for inbound and outbound) every 20 ms for `ms`, then closing. No upgrade signature, no judging,
// no playback: what one Node process can pace at best.
import { WebSocket } from "ws";

const [port, count, ms, tracks = 1] = process.argv.slice(2).map(Number);
const payload = Buffer.alloc(160, 0xff).toString("base64");
const names = ["inbound", "outbound"].slice(0, tracks);
const sockets = await Promise.all(
  Array.from({ length: count }, () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/media`, { perMessageDeflate: false });
    return new Promise((resolve, reject) => (socket.once("open", () => resolve(socket)), socket.once("error", reject)));
  }),
);
const frames = Math.floor(ms / 20);
const started = performance.now();
let index = 0;
await new Promise((resolve) => {
  const tick = () => {
    while (index < frames && started + index * 20 <= performance.now()) {
      for (const socket of sockets)
        names.forEach((track, t) =>
          socket.send(
            `{"event":"media","sequenceNumber":"${index * tracks + t + 2}","streamSid":"MZ0","media":{"track":"${track}","chunk":"${index * tracks + t + 1}","timestamp":"${index * 20}","payload":"${payload}"}}`,
          ),
        );
      index++;
    }
    if (index >= frames) return resolve();
    setTimeout(tick, Math.max(0, started + index * 20 - performance.now()));
  };
  tick();
});
await Promise.all(sockets.map((socket) => new Promise((resolve) => (socket.once("close", resolve), socket.close(1000)))));
