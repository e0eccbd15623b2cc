#!/usr/bin/env node
// A Media Streams server for bench/calls.bench.mjs and bench/stream-media.bench.mjs, in its own
// process: it accepts every upgrade, says nothing, and notes when each `media` frame arrives, per
// connection and track. Its parent asks it (IPC) to `reset`, or for the `stats` of the frames'
// arrival since: the intervals between one track's frames on one connection, their jitter
// (|interval − 20 ms|), the longest interval, and how many connections are still open. Sends
// { port } when listening.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { jitterStats } from "./jitter.mjs";

const server = createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false });
let arrivals = [];
let connections = 0;
let open = 0;
wss.on("connection", (socket) => {
  const inbound = [];
  const outbound = [];
  arrivals.push(inbound, outbound);
  connections++;
  open++;
  socket.on("close", () => open--);
  socket.on("message", (data) => {
    // A media frame's text starts {"event":"media" (the producer's and the bare sender's key order).
    if (data.toString("latin1", 0, 17) !== '{"event":"media",') return;
    (data.includes('"track":"outbound"') ? outbound : inbound).push(performance.now());
  });
});

function stats() {
  return { streams: connections, open, ...jitterStats(arrivals) };
}

process.on("message", (message) => {
  if (message === "reset") {
    arrivals = [];
    connections = 0;
    process.send("reset");
  } else if (message === "stats") process.send(stats());
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
