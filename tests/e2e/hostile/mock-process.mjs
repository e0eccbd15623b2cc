// The contract mock in a process of its own (started with a small heap by mock-hostile.test.ts):
// prints its base URL, then answers each "heap" line on stdin with its heap use after a full GC.
import { startMockServer } from "../../../dist/mock/index.js";

const mock = await startMockServer({ seed: 1 });
process.stdout.write(`${JSON.stringify({ baseUrl: mock.baseUrl })}\n`);
process.stdin.setEncoding("utf8");
process.stdin.on("data", (text) => {
  if (!text.includes("heap")) return;
  globalThis.gc?.();
  const { heapUsed, heapTotal, rss } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ heapUsed, heapTotal, rss, counts: mock.counts() })}\n`);
});
process.stdin.on("end", () => void mock.close());
