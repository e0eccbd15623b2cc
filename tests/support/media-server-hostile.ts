/**
 * Hostile Media Streams servers' ways, for the dialers' tests: frames `ws` itself would never
 * send (invalid UTF-8, RSV1, a bad close code) written straight to the socket, a message nested
 * 8,000 deep, one over the dialers' size cap, and a server that answers the upgrade one header
 * byte every 400 ms.
 */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import type { WebSocket } from "ws";

/** Writes one unmasked frame (RFC 6455 §5.2) straight to the TCP socket under `socket`. */
export function writeRawFrame(socket: WebSocket, firstByte: number, payload: Buffer): void {
  let header: Buffer;
  if (payload.length < 126) header = Buffer.from([firstByte, payload.length]);
  else if (payload.length < 65536) header = Buffer.from([firstByte, 126, payload.length >> 8, payload.length & 255]);
  else {
    header = Buffer.alloc(10);
    header[0] = firstByte;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  (socket as unknown as { _socket: Socket })._socket.write(Buffer.concat([header, payload]));
}

/** `{"event":"media","streamSid":[[[…]]]}` nested `depth` deep: JSON.stringify of it overflows the stack. */
export function deeplyNested(depth: number): string {
  return `{"event":"media","streamSid":${"[".repeat(depth)}${"]".repeat(depth)}}`;
}

/** What a hostile server sends once it has the Stream's `start` (its streamSid). */
export type HostileFrame = (socket: WebSocket, streamSid: string) => void;

const send =
  (message: unknown): HostileFrame =>
  (socket) =>
    socket.send(JSON.stringify(message));

/** Frames a server should never send, each with what it is. */
export const HOSTILE_FRAMES: readonly (readonly [string, HostileFrame])[] = [
  ["a binary frame", (socket) => socket.send(Buffer.from([1, 2, 3]))],
  ["text that is not JSON", (socket) => socket.send("hello")],
  ["JSON that is not an object", (socket) => socket.send("5")],
  ["an unknown event", send({ event: "play" })],
  ["a wrong streamSid", send({ event: "clear", streamSid: "MZ00000000000000000000000000000000" })],
  ["a nameless mark", (socket, streamSid) => socket.send(JSON.stringify({ event: "mark", streamSid }))],
  ["an extra field", (socket, streamSid) => socket.send(JSON.stringify({ event: "clear", streamSid, extra: 1 }))],
  [
    "a WAV file as media",
    (socket, streamSid) => socket.send(JSON.stringify({ event: "media", streamSid, media: { payload: "UklGRgAAAABXQVZF" } })),
  ],
  ["a message nested 8,000 deep", (socket) => socket.send(deeplyNested(8000))],
  ["a valid clear (on a unidirectional Stream)", (socket, streamSid) => socket.send(JSON.stringify({ event: "clear", streamSid }))],
  ["invalid UTF-8", (socket) => writeRawFrame(socket, 0x81, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
  ["an RSV1 frame without an extension", (socket) => writeRawFrame(socket, 0xc1, Buffer.from("{}"))],
  ["a close frame with code 999", (socket) => writeRawFrame(socket, 0x88, Buffer.from([0x03, 0xe7]))],
  ["a message of 8 MiB + 1 byte", (socket) => socket.send(Buffer.alloc(8 * 1024 * 1024 + 1, 0x20).toString())],
  ["a reset connection (TCP RST)", (socket) => (socket as unknown as { _socket: Socket })._socket.resetAndDestroy()],
];

/** A TCP server on 127.0.0.1 that answers an upgrade with one header byte every `everyMs`, never finishing in time. */
export async function startTricklingServer(everyMs = 400): Promise<{ readonly port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: ".padEnd(16_000, "x");
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let sent = 0;
    const timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer);
      socket.write(answer[sent++ % answer.length]!);
    }, everyMs);
    socket.on("close", () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
