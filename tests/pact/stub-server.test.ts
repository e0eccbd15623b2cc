/**
 * The official Pact stub server (pact-stub-server from @pact-foundation/pact-cli) serves every
 * interaction of contracts/: each interaction's example request gets that interaction's answer.
 * The interactions' requests must be told apart by their matchers — the valid credentials from
 * the invalid ones, the missing call from a call in progress, a stop by SID from a stop by name.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERACTIONS, PACT_FILE } from "../../src/contract/interactions.js";

const CONTRACTS = fileURLToPath(new URL("../../contracts/", import.meta.url));
const STUB = fileURLToPath(new URL("../../node_modules/.bin/pact-stub-server", import.meta.url));

interface PactInteraction {
  readonly description: string;
  readonly request: { method: string; path: string; headers?: Record<string, string[]>; body?: { content?: string } };
  readonly response: { status: number; body?: { content?: unknown } };
}
const pact = JSON.parse(readFileSync(`${CONTRACTS}${PACT_FILE}`, "utf8")) as { interactions: PactInteraction[] };

let stub: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  // The stub logs requests (the pact's fake credentials included): its output is read for the
  // port and otherwise dropped.
  // Its own process group: the bin is a node wrapper that runs the `pact stub` binary as a child,
  // and killing the wrapper alone left that binary running after the tests.
  stub = spawn(STUB, ["--dir", CONTRACTS, "--port", "0", "--loglevel", "info"], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`pact-stub-server did not start: ${output.slice(-500)}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /Server started on port (\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    stub.stdout?.on("data", read);
    stub.stderr?.on("data", read);
    stub.on("exit", (code) => reject(new Error(`pact-stub-server exited with ${code}: ${output.slice(-500)}`)));
  });
}, 40_000);

afterAll(() => {
  try {
    if (stub.pid !== undefined) process.kill(-stub.pid, "SIGTERM");
  } catch {
    // the group is gone already
  }
});

describe("pact-stub-server on contracts/", () => {
  it("loads every interaction of the contract", () => {
    expect(pact.interactions.map((i) => i.description).sort()).toEqual(INTERACTIONS.map((i) => i.description).sort());
  });

  it.each(pact.interactions.map((i) => [i.description, i] as const))("serves %s with its own answer", async (_description, interaction) => {
    const headers = Object.fromEntries(
      Object.entries(interaction.request.headers ?? {}).map(([name, values]) => [name, values.join(", ")]),
    );
    const answer = await fetch(`${baseUrl}${interaction.request.path}`, {
      method: interaction.request.method,
      headers,
      body: interaction.request.body?.content ?? null,
    });
    expect(answer.status).toBe(interaction.response.status);
    expect(await answer.json()).toEqual(interaction.response.body?.content);
  });

  it("tells a wrong Basic user from the contract's users, and a create on another call from the missing call", async () => {
    const create = pact.interactions.find((i) => i.description === "a request to create a stream with only a Url")!;
    const headers = Object.fromEntries(Object.entries(create.request.headers ?? {}).map(([name, values]) => [name, values.join(", ")]));
    // An API key user (SK…) is valid credentials: the create is served.
    const apiKey = `Basic ${Buffer.from(`SK${"b".repeat(32)}:secret`).toString("base64")}`;
    const withKey = await fetch(`${baseUrl}${create.request.path}`, {
      method: "POST",
      headers: { ...headers, Authorization: apiKey },
      body: create.request.body?.content ?? null,
    });
    expect(withKey.status).toBe(create.response.status);
    // Another call than the missing one: a create, not a 404.
    const other = create.request.path.replace(/CA[0-9a-f]{32}/, `CA${"c".repeat(32)}`);
    expect((await fetch(`${baseUrl}${other}`, { method: "POST", headers, body: create.request.body?.content ?? null })).status).toBe(
      create.response.status,
    );
  });
});
