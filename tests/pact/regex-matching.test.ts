/**
 * How the Pact verifier (Rust, through pact-core) applies a regex matcher: to the whole value,
 * not as a search. src/contract/matchers.ts relies on it (and says so once, at its top).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Verifier } from "@pact-foundation/pact-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const URI = "/2010-04-01/Accounts/AC1/Calls/CA1/Streams/MZ1.json";

let server: http.Server;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "regex-matching-"));
  server = http.createServer((_req, res) => {
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ uri: URI }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** Whether the verifier accepts the answer `{ uri: URI }` for a body matched by `regex`. */
async function accepts(regex: string, name: string): Promise<boolean> {
  const pact = {
    consumer: { name: "regex-consumer" },
    provider: { name: "regex-provider" },
    metadata: { pactSpecification: { version: "4.0" } },
    interactions: [
      {
        type: "Synchronous/HTTP",
        description: `uri matched by ${regex}`,
        request: { method: "GET", path: "/uri" },
        response: {
          status: 200,
          headers: { "Content-Type": ["application/json"] },
          body: { contentType: "application/json", encoded: false, content: { uri: URI } },
          matchingRules: { body: { "$.uri": { combine: "AND", matchers: [{ match: "regex", regex }] } } },
        },
      },
    ],
  };
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(pact));
  const { port } = server.address() as AddressInfo;
  try {
    await new Verifier({ providerBaseUrl: `http://127.0.0.1:${port}`, pactUrls: [file], logLevel: "error" }).verify();
    return true;
  } catch {
    return false;
  }
}

describe("a Pact regex matcher, as the Rust verifier applies it", () => {
  it("must match the whole value: a substring or a prefix pattern is not enough", async () => {
    expect(await accepts("2010", "substring")).toBe(false);
    expect(await accepts("^/2010-04-01/", "prefix")).toBe(false);
    expect(await accepts("^/2010-04-01/[\\s\\S]*$", "whole")).toBe(true);
  });
});
