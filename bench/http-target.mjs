// A server under load for bench/mock.bench.mjs, in its own process (so it has a core of its own):
//   node bench/http-target.mjs bare   node:http answering every request with a fixed Stream body
//   node bench/http-target.mjs mock   the package's contract mock (startMockServer, from dist/)
// Binds 127.0.0.1 on a free port and tells its parent over IPC: { port }. On the message "cpu" it
// answers { user, system } (its CPU time so far, µs); it exits when the parent disconnects.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const kind = process.argv[2];

async function start() {
  if (kind === "bare") {
    const example = JSON.parse(fs.readFileSync(path.join(root, "schemas/stream.schema.json"), "utf8")).examples[0];
    const body = JSON.stringify(example);
    const headers = { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) };
    const server = http.createServer((req, res) => {
      // Read the request body, as any real server must, then answer.
      req.resume();
      req.on("end", () => {
        res.writeHead(201, headers);
        res.end(body);
      });
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server.address().port;
  }
  if (kind === "mock") {
    const { startMockServer } = await import(pathToFileURL(path.join(root, "dist/mock/index.js")).href);
    const mock = await startMockServer({ seed: 1 });
    return Number(new URL(mock.baseUrl).port);
  }
  throw new Error(`usage: node bench/http-target.mjs bare|mock (got ${kind})`);
}

const port = await start();
process.on("message", (message) => {
  if (message === "cpu") {
    process.send(process.cpuUsage());
  }
});
process.on("disconnect", () => process.exit(0));
process.send({ port });
