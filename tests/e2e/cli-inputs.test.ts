/**
 * Inputs the CLI must refuse clearly (exit 2 or a verdict, never a stack): numeric and duration
 * flags by one rule with ranges, non-UTF-8 and absurdly nested documents, malformed replay
 * paths; and a run past --max-duration ends with a partial report.
 */
import { mkdtempSync, truncateSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { publishCommand } from "../../src/cli/publish.js";
import { validateCommand } from "../../src/cli/validate.js";
import { verifyCommand } from "../../src/cli/verify.js";
import { integerFlag, durationFlag } from "../../src/cli/numbers.js";
import { UsageError } from "../../src/cli/exit.js";
import { MAX_INPUT_BYTES } from "../../src/cli/input.js";
import { runVerify } from "../../src/verify/index.js";
import { runCommand } from "../support/run-command.js";
import { type BrokenProvider, rewriteJson, startBrokenProvider } from "./broken-providers/proxy.js";

const dir = mkdtempSync(join(tmpdir(), "cli-inputs-"));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe("numeric flags: one rule", () => {
  it("reads decimal integers and durations, and nothing else", () => {
    expect(integerFlag("42", "--runs", { min: 1, max: 100 })).toBe(42);
    expect(integerFlag("-7", "--seed", { min: -10, max: 10 })).toBe(-7);
    expect(durationFlag("250", "--timeout", { min: 1, max: 600_000 })).toBe(250);
    expect(durationFlag("30s", "--timeout", { min: 1, max: 600_000 })).toBe(30_000);
    expect(durationFlag("15m", "--max-duration", { min: 1, max: 86_400_000 })).toBe(900_000);
    for (const text of ["1e3", "0x10", "5.0", " 5", "", "Infinity", "NaN", "1_000"]) {
      expect(() => integerFlag(text, "--runs", { min: 0, max: 10_000 }), text).toThrow(UsageError);
      expect(() => durationFlag(text, "--timeout", { min: 0, max: 10_000 }), text).toThrow(UsageError);
    }
    expect(() => durationFlag("11m", "--timeout", { min: 1, max: 600_000 })).toThrow("--timeout must be a duration from 1ms to 10m");
  });

  it.each([
    [verifyCommand, ["--timeout", "2147483648"], "--timeout must be a duration from 1ms to 10m"],
    [verifyCommand, ["--timeout", "100000000"], "--timeout must be a duration"],
    [verifyCommand, ["--timeout", "1e3"], "--timeout must be a duration"],
    [verifyCommand, ["--runs", "1e3"], "--runs must be a whole number"],
    [verifyCommand, ["--max-response-time", "0"], "--max-response-time must be a duration"],
    [verifyCommand, ["--max-duration", "0"], "--max-duration must be a duration from 1s to 24h"],
    [verifyCommand, ["--max-duration", "25h"], "--max-duration must be a duration from 1s to 24h"],
    [verifyCommand, ["--skip-pact", "--replay-path", "zzz"], "--replay-path must be a path as a failure report prints it"],
    [publishCommand, ["--dry-run", "--timeout", "100000000"], "--timeout must be a duration from 1ms to 10m"],
    [publishCommand, ["--dry-run", "--timeout", "1e3"], "--timeout must be a duration"],
    [publishCommand, ["--dry-run", "--retries", "11"], "--retries must be a whole number from 0 to 10"],
  ] as const)("%# %s: a usage error", async (command, args, message) => {
    const { code, stderr } = await runCommand(command, [...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe("validate: hostile documents", () => {
  it("refuses bytes that are not UTF-8, saying where", async () => {
    const path = file("latin1.json", Buffer.concat([Buffer.from('{"sid":"MZ'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    const { code, stdout } = await runCommand(validateCommand, [path]);
    expect(code).toBe(1);
    expect(stdout).toContain("[encoding]");
    expect(stdout).toContain("invalid byte sequence at byte offset 10");
  });

  it("finds the offset of a truncated or overlong sequence too", async () => {
    for (const [bytes, offset] of [
      [[0x41, 0xe2, 0x82], 1],
      [[0x41, 0x42, 0xc0, 0xaf], 2],
      [[0xed, 0xa0, 0x80], 0],
    ] as const) {
      const { stdout } = await runCommand(validateCommand, ["--schema", "create-request", file(`bad-${offset}.txt`, Buffer.from(bytes))]);
      expect(stdout).toContain(`byte offset ${offset}`);
    }
  });

  it("refuses a file larger than it reads (64 MiB), reading no further: a usage error", async () => {
    const path = join(dir, "huge.json");
    truncateSync(file("huge.json", ""), MAX_INPUT_BYTES + 1); // sparse: nothing written to disk
    const { code, stderr } = await runCommand(validateCommand, [path]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${path}: larger than ${MAX_INPUT_BYTES} bytes`);
  });

  it.each([["[".repeat(100_000)], ["[".repeat(100_000) + "]".repeat(100_000)], [`{"name":${"[".repeat(100_000)}${"]".repeat(100_000)}}`]])(
    "%# a document nested 100,000 deep: a clear message, no stack",
    async (content) => {
      const { code, output } = await runCommand(validateCommand, [file("deep.json", content)]);
      expect([1, 2]).toContain(code);
      expect(output).not.toMatch(/internal error|\n\s+at /);
    },
  );
});

describe("validate --schema: status callbacks and Media Streams messages", () => {
  const STREAM = `MZ${"c".repeat(32)}`;
  const CALLBACK = {
    AccountSid: `AC${"a".repeat(32)}`,
    CallSid: `CA${"b".repeat(32)}`,
    StreamSid: STREAM,
    StreamName: STREAM,
    StreamEvent: "stream-started",
    Timestamp: "2026-01-01T00:00:00.000Z",
  };
  const query = new URLSearchParams(CALLBACK).toString();
  it.each([
    ["status-callback", query, 0, "ok: "],
    ["status-callback", `?${query}`, 0, "ok: "],
    ["status-callback", JSON.stringify(CALLBACK), 0, "ok: "],
    ["status-callback", query.replace("stream-started", "started"), 1, "[enum]"],
    ["twilio-message", JSON.stringify({ event: "mark", sequenceNumber: "4", streamSid: STREAM, mark: { name: "m1" } }), 0, "ok: "],
    ["twilio-message", JSON.stringify({ event: "clear", streamSid: STREAM }), 1, "violation"],
    ["server-message", JSON.stringify({ event: "clear", streamSid: STREAM }), 0, "ok: "],
    ["server-message", JSON.stringify({ event: "clear", streamSid: STREAM, extra: 1 }), 1, "violation"],
    ["server-message", "{ not json", 2, "not valid JSON"],
  ] as const)("%s %s: exit %i", async (schema, content, exit, says) => {
    const { code, output } = await runCommand(validateCommand, ["--schema", schema, file(`${schema}-${exit}.txt`, content)]);
    expect(code, output).toBe(exit);
    expect(output).toContain(says);
    expect(output).not.toMatch(/internal error|\n\s+at /);
  });

  it("lists every schema name in --help and in the error for an unknown one", async () => {
    const unknown = await runCommand(validateCommand, ["--schema", "nope", "-"]);
    expect(unknown.code).toBe(2);
    for (const name of ["stream", "create-request", "update-request", "error", "status-callback", "twilio-message", "server-message"]) {
      expect(validateCommand.help).toContain(`  ${name} `);
      expect(unknown.stderr).toContain(name);
    }
  });
});

describe("verify --max-duration", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

  it("stops a run against a slow server and reports what it has (exit 2)", async () => {
    // Answers the first request at once (so the server counts as reachable), then every POST after 2 s.
    server = createServer((req, res) => {
      const answer = () =>
        res
          .writeHead(404, { "content-type": "application/json" })
          .end('{"code":20404,"message":"not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}');
      if (req.method === "POST") setTimeout(answer, 2_000);
      else answer();
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const { code, stdout } = await runCommand(
      verifyCommand,
      [
        "--base-url",
        `http://127.0.0.1:${port}`,
        "--account-sid",
        `AC${"1".repeat(32)}`,
        "--skip-pact",
        "--max-duration",
        "1s",
        "--timeout",
        "5s",
      ],
      { TWILIO_AUTH_TOKEN: "token-for-a-slow-server" },
    );
    expect(code).toBe(2);
    expect(stdout).toContain("stopped after --max-duration 1000 ms: this report is partial");
    expect(stdout).toContain("NOT VERIFIED");
  });
});

describe("verify: a check that checked nothing", () => {
  let running: BrokenProvider | undefined;
  afterEach(async () => running?.close());

  it("says skipped for new stream sid when no answer carried a SID (not ok (N samples))", async () => {
    running = await startBrokenProvider({ answer: (a) => rewriteJson(a, (b) => typeof b.call_sid === "string" && delete b.sid) });
    const report = await runVerify({
      baseUrl: running.baseUrl,
      statesUrl: running.statesUrl,
      accountSid: running.accountSid,
      authToken: running.authToken,
      runs: 5,
      skipPact: true,
      only: "new stream sid",
    });
    expect(report.outcomes.find((o) => o.name === "conformance › new stream sid")).toMatchObject({ status: "skipped" });
  });
});
