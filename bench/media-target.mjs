#!/usr/bin/env node
// A correct Media Streams WebSocket server for bench/check-media-server.bench.mjs, in its own
// process: it checks each upgrade's X-Twilio-Signature (HMAC-SHA1 of the wss:// URL, as Twilio's
// libraries do) and, with `bidirectional`, echoes the caller's audio back with a mark every third
// frame and clears on a key press. Sends { port } to its parent when listening.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const [kind = "unidirectional", token = "bench-token"] = process.argv.slice(2);
const bidirectional = kind === "bidirectional";
const server = createServer();
const wss = new WebSocketServer({
  server,
  perMessageDeflate: false,
  verifyClient: ({ req }, done) => {
    const expected = createHmac("sha1", token).update(`wss://${req.headers.host}${req.url}`).digest();
    const given = Buffer.from(String(req.headers["x-twilio-signature"] ?? ""), "base64");
    done(given.length === expected.length && timingSafeEqual(given, expected), 403);
  },
});
wss.on("connection", (socket) => {
  socket.on("message", (data) => {
    if (!bidirectional) return;
    const m = JSON.parse(String(data));
    if (m.event === "media") {
      socket.send(JSON.stringify({ event: "media", streamSid: m.streamSid, media: { payload: m.media.payload } }));
      if (Number(m.media.chunk) % 3 === 0) socket.send(JSON.stringify({ event: "mark", streamSid: m.streamSid, mark: { name: `c${m.media.chunk}` } }));
    } else if (m.event === "dtmf") {
      socket.send(JSON.stringify({ event: "clear", streamSid: m.streamSid }));
    }
  });
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => process.exit(0));
