// Loaded into a sender with `node --import bench/send-times.mjs` (bench/calls.bench.mjs,
// bench/stream-media.bench.mjs): notes when each `media` text message is handed to a `ws` socket
// (WebSocket.prototype.send), per socket and track, and at exit writes the jitter of those sends
// (bench/jitter.mjs) as JSON to the file SEND_TIMES_OUT. The same hook in the tool and in the bare
// loop: frame-send jitter measured in the sender, free of what the server's own work adds.
import { writeFileSync } from "node:fs";
import { WebSocket } from "ws";
import { jitterStats } from "./jitter.mjs";

const series = new Map();
const send = WebSocket.prototype.send;
WebSocket.prototype.send = function (data, ...rest) {
  // A media message's text starts {"event":"media" (the producer's and the bare loop's key order).
  if (typeof data === "string" && data.startsWith('{"event":"media"')) {
    const key = data.includes('"track":"outbound"') ? 1 : 0;
    let tracks = series.get(this);
    if (tracks === undefined) series.set(this, (tracks = [[], []]));
    tracks[key].push(performance.now());
  }
  return send.call(this, data, ...rest);
};
process.on("exit", () => writeFileSync(process.env.SEND_TIMES_OUT, JSON.stringify(jitterStats([...series.values()].flat()))));
