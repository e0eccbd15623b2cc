/**
 * Small Media Streams servers for check-media-server's tests: a correct one — it checks the
 * upgrade's X-Twilio-Signature with Twilio's own library, and, bidirectional, echoes the caller's
 * audio back with a mark after every few frames and clears on a key press — and broken ones,
 * each with one bug.
 */
import type { IncomingHttpHeaders } from "node:http";
import twilio from "twilio";
import type { WebSocket } from "ws";
import { type MediaTestServer, startMediaTestServer } from "./media-server.js";

/** The bugs a test server can have. */
export type ServerBug =
  | "echoes-binary"
  | "wav-headers"
  | "wrong-stream-sid"
  | "ignores-barge-in"
  | "sends-on-unidirectional"
  | "accepts-any-signature"
  | "nameless-marks"
  // Sends a clear 60 ms after the upgrade (on a unidirectional Stream: once the session has had its start).
  | "speaks-late"
  // Answers stop with a clear that has no streamSid.
  | "invalid-after-stop"
  // Not a bug: accepts every upgrade, then closes one with a wrong signature at once with 1008.
  | "refuses-with-1008"
  // Not a bug: a bidirectional server that never plays audio (nothing for a key press to interrupt).
  | "silent";

export interface TestServerOptions {
  readonly token: string;
  readonly bidirectional: boolean;
  readonly bug?: ServerBug;
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** 44 bytes of a canonical WAV header (RIFF, fmt of μ-law 8000 Hz mono, data): what a server that sends files sends first. */
export const WAV_HEADER = Buffer.from(
  "52494646" +
    "00000000" +
    "57415645" +
    "666d7420" +
    "10000000" +
    "0700" +
    "0100" +
    "401f0000" +
    "401f0000" +
    "0100" +
    "0800" +
    "64617461" +
    "00000000",
  "hex",
);

/** Marks the server sent and the echoes it got back, per connection. */
export interface MarkLog {
  readonly sent: string[];
  readonly echoed: string[];
}

export async function startTestMediaServer(options: TestServerOptions): Promise<MediaTestServer & { readonly marks: MarkLog[] }> {
  const { token, bidirectional, bug } = options;
  const marks: MarkLog[] = [];
  const logs = new WeakMap<WebSocket, MarkLog>();
  const server = await startMediaTestServer({
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    accept: (request) => bug === "accepts-any-signature" || bug === "refuses-with-1008" || signedByTwilio(request, token),
    onOpen: (socket, connection) => {
      const log: MarkLog = { sent: [], echoed: [] };
      marks.push(log);
      logs.set(socket, log);
      if (bug === "refuses-with-1008" && !signedByTwilio({ headers: connection.headers, url: connection.path }, token))
        socket.close(1008, "bad signature");
      if (bug === "speaks-late")
        setTimeout(() => {
          const start = connection.messages.find((m) => (m as { event?: string }).event === "start") as { streamSid?: string } | undefined;
          if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event: "clear", streamSid: start?.streamSid }));
        }, 60);
    },
    behave: (socket, message) => {
      const m = message as { event?: string; streamSid?: string; media?: { payload: string; chunk: string }; mark?: { name: string } };
      const log = logs.get(socket)!;
      const streamSid = bug === "wrong-stream-sid" ? "MZ00000000000000000000000000000000" : m.streamSid;
      if (m.event === "stop" && bug === "invalid-after-stop") socket.send(JSON.stringify({ event: "clear" }));
      if (m.event === "start" && bug === "sends-on-unidirectional")
        socket.send(JSON.stringify({ event: "mark", streamSid, mark: { name: "hello" } }));
      if (!bidirectional || bug === "silent") return;
      if (m.event === "media" && m.media !== undefined) {
        const audio = Buffer.from(m.media.payload, "base64");
        if (bug === "echoes-binary") return socket.send(audio);
        const payload = bug === "wav-headers" ? Buffer.concat([WAV_HEADER, audio]) : audio;
        socket.send(JSON.stringify({ event: "media", streamSid, media: { payload: payload.toString("base64") } }));
        // A mark every third chunk; the nameless marks after every chunk, so that a run of short
        // sessions (chunks 1 and 2 only) meets them too.
        if (Number(m.media.chunk) % 3 === 0 || bug === "nameless-marks") {
          const name = `after-chunk-${m.media.chunk}`;
          log.sent.push(name);
          socket.send(
            JSON.stringify(bug === "nameless-marks" ? { event: "mark", streamSid } : { event: "mark", streamSid, mark: { name } }),
          );
        }
      } else if (m.event === "dtmf" && bug !== "ignores-barge-in") {
        socket.send(JSON.stringify({ event: "clear", streamSid }));
      } else if (m.event === "mark" && m.mark !== undefined) {
        log.echoed.push(m.mark.name);
      }
    },
  });
  return { ...server, marks, connections: server.connections, nextConnection: server.nextConnection, close: server.close };
}

/** Whether an upgrade carries Twilio's signature over the wss:// URL the server is reached at (behind TLS termination, too). */
export function signedByTwilio(request: { readonly headers: IncomingHttpHeaders; readonly url?: string }, token: string): boolean {
  const signature = request.headers["x-twilio-signature"];
  return typeof signature === "string" && twilio.validateRequest(token, signature, `wss://${request.headers.host}${request.url}`, {});
}
