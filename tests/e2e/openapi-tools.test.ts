/**
 * The contract's OpenAPI document (twilio-stream-contract/openapi.json) read by the tools around
 * it, no one here wrote: PactFlow's openapi-pact-comparator finds no error between contracts/ and
 * it, and Prism's validation proxy, in front of the reference provider, finds no violation in
 * what the provider answers to everything `verify` sends, and none in the requests either when
 * only requests a server must accept are sent (`--errors`). The requests `verify` sends on purpose
 * to be refused are, for Prism too, invalid: every violation it reports is one of those.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractOpenApiDocument } from "../../src/contract/openapi.js";
import { type ReferenceProvider, startReferenceProvider } from "../../src/provider/index.js";
import manifest from "../../package.json" with { type: "json" };
import { built, runCli } from "../support/cli.js";

const BIN = "node_modules/.bin";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "openapi-tools-token-0001";
const dir = mkdtempSync(join(tmpdir(), "openapi-tools-"));
const document = join(dir, "openapi.json");
writeFileSync(document, JSON.stringify(contractOpenApiDocument(manifest.version), null, 2));
const pacts = readdirSync("contracts")
  .filter((name) => name.endsWith(".json"))
  .map((name) => join("contracts", name));

/** Runs a program to its end; its exit code and output. */
function run(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Prism validation proxy in front of `upstream`; its log, without colours. */
interface Proxy {
  readonly url: string;
  readonly child: ChildProcess;
  log(): string;
}

async function startPrism(upstream: string, errors: boolean): Promise<Proxy> {
  const port = await freePort();
  const child = spawn(join(BIN, "prism"), [
    "proxy",
    document,
    upstream,
    "-h",
    "127.0.0.1",
    "-p",
    String(port),
    ...(errors ? ["--errors"] : []),
  ]);
  let log = "";
  const append = (chunk: Buffer) => (log += chunk.toString().replace(/\u001b\[[\d;]*m/g, ""));
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (log.includes("Prism is listening")) resolve();
    }, 100);
    child.once("exit", (code) => reject(new Error(`prism exited with ${code}: ${log}`)));
    child.once("exit", () => clearInterval(timer));
    child.stdout?.once("end", () => clearInterval(timer));
  });
  return { url: `http://127.0.0.1:${port}`, child, log: () => log };
}

/** The violations Prism logged: one line each, e.g. `request.body.Status Request body property …`. */
function violations(log: string): string[] {
  return log
    .split("\n")
    .map((line) => /Violation: (.*)$/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined);
}

describe("openapi.json", () => {
  it("is what the build wrote from schemas/ (current)", () => {
    expect(JSON.parse(readFileSync(built("dist/openapi.json"), "utf8"))).toEqual(JSON.parse(readFileSync(document, "utf8")));
  });

  it("is exported as twilio-stream-contract/openapi.json", () => {
    expect(createRequire(import.meta.url).resolve("twilio-stream-contract/openapi.json")).toBe(resolve(built("dist/openapi.json")));
  });

  it("PactFlow's openapi-pact-comparator finds no error between contracts/ and it", async () => {
    const { code, stdout, stderr } = await run(join(BIN, "openapi-pact-comparator"), [document, ...pacts]);
    const findings = stdout
      .split("\n")
      .filter((line) => line.trim() !== "")
      .flatMap((line) => JSON.parse(line) as { type: string; code: string; message: string }[]);
    const errors = findings.filter((f) => f.type === "error");
    process.stderr.write(
      `openapi-pact-comparator: ${errors.length} error(s), ${findings.length - errors.length} warning(s) over ${pacts.length} pact file(s)\n`,
    );
    expect(errors, stderr).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);
});

describe("Prism's validation proxy in front of the reference provider", () => {
  let provider: ReferenceProvider;
  let strict: Proxy;
  let observing: Proxy;
  const verify = (proxy: Proxy, extra: readonly string[]) =>
    runCli(
      [
        "verify",
        "--base-url",
        proxy.url,
        "--account-sid",
        ACCOUNT,
        "--states-url",
        provider.statesUrl,
        "--runs",
        "10",
        "--seed",
        "1",
        ...extra,
      ],
      { TWILIO_AUTH_TOKEN: TOKEN },
    );

  beforeAll(async () => {
    provider = await startReferenceProvider({ accountSid: ACCOUNT, authToken: TOKEN, seed: 9 });
    [strict, observing] = await Promise.all([startPrism(provider.baseUrl, true), startPrism(provider.baseUrl, false)]);
  }, 180_000);
  afterAll(async () => {
    strict?.child.kill();
    observing?.child.kill();
    await provider?.close();
  });

  it("--errors: the pact's requests and valid samples pass, with no violation", async () => {
    const { code, stdout } = await verify(strict, ["--only", "positive data acceptance"]);
    expect(code, stdout).toBe(0);
    expect(violations(strict.log())).toEqual([]);
  }, 180_000);

  it("everything verify sends: no violation in any answer; request violations only where verify expects a refusal", async () => {
    const { code, stdout } = await verify(observing, []);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain("CONFORMANT");
    const found = violations(observing.log());
    const onResponses = found.filter((v) => v.startsWith("response"));
    process.stderr.write(
      `prism proxy over a full verify run: ${onResponses.length} response violation(s), ${found.length - onResponses.length} request violation(s) on requests sent to be refused\n`,
    );
    expect(onResponses).toEqual([]);
    // Each request violation is a request verify sends on purpose to be refused, and the
    // provider refused it (verify passed, so every such request got its 4xx).
    for (const violation of found) expect(violation).toMatch(/^request/);
  }, 300_000);
});
