/**
 * The mock under a long hostile run, in a process with a 256 MB heap: bodies of thousands of
 * distinct unknown fields, fields with kilobyte names, creates with 1 MiB names, requests with
 * 15 KB paths. Each kind alone used to exhaust such a heap (issues, Streams and journal entries
 * were bounded by count, not size). The mock must stay up, keep exact counts, serve its lists,
 * and end with a bounded heap (printed).
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const SCRIPT = "tests/e2e/hostile/mock-process.mjs";
const ACCOUNT = `AC${"a".repeat(32)}`;
const CALL = `CA${"b".repeat(32)}`;
const CREATE = `/2010-04-01/Accounts/${ACCOUNT}/Calls/${CALL}/Streams.json`;
const AUTH = `Basic ${Buffer.from(`${ACCOUNT}:token`).toString("base64")}`;
const FORM = "application/x-www-form-urlencoded";
const CREATES = 220;

let child: ChildProcessWithoutNullStreams;
let lines: AsyncIterator<string>;
let port: number;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  let buffered = "";
  for await (const chunk of stream) {
    buffered += String(chunk);
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
}

async function nextJson<T>(): Promise<T> {
  const { value, done } = await lines.next();
  if (done) throw new Error("the mock process ended");
  return JSON.parse(value) as T;
}

function send(method: string, path: string, body?: Buffer | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: AUTH, "Content-Type": FORM };
    const req = http.request({ host: "127.0.0.1", port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends `count` requests, `concurrency` at a time; every one must be answered with `status`. */
async function flood(
  count: number,
  concurrency: number,
  status: number,
  make: (i: number) => { method?: string; path?: string; body?: Buffer | string },
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { method = "POST", path = CREATE, body } = make(i);
      const answer = await send(method, path, body);
      if (answer.status !== status) throw new Error(`request ${i}: expected ${status}, got ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A body of `fields` unknown fields named `<id><filler>`, about `bytes` long; distinct per id. */
function unknownFields(fields: number, bytes: number): (id: number) => Buffer {
  const nameLength = Math.max(8, Math.floor(bytes / fields) - 3);
  const template = Buffer.from(
    Array.from(
      { length: fields },
      (_, j) => `${"000000".padEnd(nameLength - 6, "x")}${String(j).padStart(6, "0")}`.slice(-nameLength).padStart(nameLength, "x") + "=1",
    ).join("&"),
  );
  const stride = nameLength + 3;
  return (id) => {
    const body = Buffer.from(template);
    const tag = id.toString(36).padStart(6, "0");
    for (let at = 0; at < body.length; at += stride) body.write(tag, at, "latin1");
    return body;
  };
}

beforeAll(async () => {
  if (!existsSync("dist/mock/index.js")) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  child = spawn(process.execPath, ["--max-old-space-size=256", "--expose-gc", SCRIPT]);
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  lines = readLines(child.stdout);
  port = Number(new URL((await nextJson<{ baseUrl: string }>()).baseUrl).port);
});

afterAll(async () => {
  agent.destroy();
  if (child.exitCode === null) {
    child.stdin.end();
    child.kill();
    await once(child, "close");
  }
});

describe("the contract mock under a hostile run with a 256 MB heap", () => {
  it("stays up, keeps exact counts, serves its lists and ends with a bounded heap", async () => {
    const started = performance.now();
    // 0.85 MB of ~60,000 distinct unknown fields, 120 times: one issue each (too many fields).
    const many = unknownFields(60_000, 850_000);
    await flood(120, 4, 400, (i) => ({ body: many(i) }));
    // 0.85 MB of 900 unknown fields with 940-byte names, 100 times: 901 issues each, 20 kept, paths cut.
    const long = unknownFields(900, 850_000);
    await flood(100, 4, 400, (i) => ({ body: long(1_000_000 + i) }));
    // Valid creates with 1 MiB names, 220 times: 220 MiB of names, most of the heap.
    const name = "n".repeat(1024 * 1024 - 100);
    await flood(CREATES, 4, 200, (i) => ({ body: `Url=wss%3A%2F%2Fexample.com%2Fmedia&Name=${i}${name}` }));
    // 6,000 requests with 15 KB paths: 90 MB of paths, in each of the two lists.
    const filler = "p".repeat(15_000);
    await flood(6_000, 16, 404, (i) => ({ method: "GET", path: `/${i}${filler}` }));
    const sent = 120 + 100 + CREATES + 6_000;

    child.stdin.write("heap\n");
    const memory = await nextJson<{ heapUsed: number; heapTotal: number; rss: number; counts: { requests: number; violations: number } }>();
    expect(memory.counts).toEqual({ requests: sent, violations: sent - CREATES });

    // The lists stream (chunked) and page.
    const violations = await send("GET", "/__contract/violations");
    expect(violations.status).toBe(200);
    const all = JSON.parse(violations.text) as {
      count: number;
      kept: number;
      offset: number;
      violations: { kind: string; issues: unknown[]; omittedIssues: number; path: string }[];
    };
    expect(all.count).toBe(sent - CREATES);
    expect(all.violations).toHaveLength(all.kept);
    expect(all.violations[0]).toMatchObject({ kind: "body", omittedIssues: 0 });
    expect(all.violations[120]).toMatchObject({ kind: "body", omittedIssues: 900 + 1 - 20 }); // 900 unknown fields, and Url is missing
    expect(all.violations[120]?.issues).toHaveLength(20);
    const page = JSON.parse((await send("GET", `/__contract/requests?offset=${120 + 100 + CREATES}&limit=3`)).text) as {
      count: number;
      offset: number;
      requests: { path: string; status: number }[];
    };
    expect(page).toMatchObject({ count: sent, offset: 120 + 100 + CREATES });
    expect(page.requests.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(page.requests[0]?.path.length).toBeLessThanOrEqual(2048);

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `hostile run: ${sent} requests in ${seconds} s; mock heap after GC ${(memory.heapUsed / 2 ** 20).toFixed(1)} MiB (total ${(memory.heapTotal / 2 ** 20).toFixed(1)} MiB, rss ${(memory.rss / 2 ** 20).toFixed(1)} MiB)\n`,
    );
    expect(memory.heapUsed).toBeLessThan(160 * 2 ** 20);
    expect(child.exitCode).toBeNull();
  }, 120_000);
});
