/**
 * `stream-contract check-media-server` against small WebSocket servers on 127.0.0.1: a correct
 * one passes every check (unidirectional and bidirectional, plain and TLS); each broken one is
 * caught by the check named after its bug, and by no other.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkMediaServerCommand } from "../../src/cli/check-media-server.js";
import { runCli } from "../support/cli.js";
import { runCommand } from "../support/run-command.js";
import { makeCertificate, startMediaTestServer } from "../support/media-server.js";
import { deeplyNested, type HostileFrame, startTricklingServer, writeRawFrame } from "../support/media-server-hostile.js";
import { type ServerBug, startTestMediaServer } from "../support/media-servers.js";

const TOKEN = "media-token-0123456789";
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(bidirectional: boolean, bug?: ServerBug, tls?: { cert: string; key: string }) {
  const server = await startTestMediaServer({
    token: TOKEN,
    bidirectional,
    ...(bug === undefined ? {} : { bug }),
    ...(tls === undefined ? {} : { tls }),
  });
  servers.push(server);
  return server;
}

function check(args: string[]) {
  // The property-based sessions only: the real-time calls have their own tests (media-calls.test.ts).
  return runCommand(checkMediaServerCommand, ["--runs", "6", "--calls", "0", ...args], { TWILIO_AUTH_TOKEN: TOKEN });
}

/** The names of the failed checks, from the summary's FAIL lines. */
function failedChecks(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("  FAIL "))
    .map((line) => line.slice("  FAIL media › ".length));
}

describe("a correct server passes", () => {
  it("unidirectional: sends nothing, keeps the socket open, refuses wrong signatures", async () => {
    const server = await serve(false);
    const result = await check(["--url", `${server.origin}/media`, "--expect-signature-check"]);
    expect(result.stdout).toContain("CONFORMANT");
    expect(failedChecks(result.stdout)).toEqual([]);
    expect(result.stdout).toMatch(/ok {3}media › unidirectional: sends nothing/);
    expect(result.stdout).toMatch(/ok {3}media › upgrade: refuses a wrong signature/);
    expect(result.code).toBe(0);
    expect(result.output).not.toContain(TOKEN);
    expect(result.stderr).toMatch(/seed \d+/);
  });

  it("bidirectional with barge-in, over TLS with --ca: its marks are echoed in order after the audio before them", async () => {
    const tls = await makeCertificate();
    const dir = await mkdtemp(join(tmpdir(), "media-ca-"));
    await writeFile(join(dir, "ca.pem"), tls.cert);
    const server = await serve(true, undefined, tls);
    const result = await check([
      "--url",
      `${server.origin}/media`,
      "--bidirectional",
      "--expect-signature-check",
      "--expect-barge-in",
      "--ca",
      join(dir, "ca.pem"),
    ]);
    expect(failedChecks(result.stdout)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {3}media › media: base64 μ-law without a file header/);
    expect(result.stdout).toMatch(/ok {3}media › barge-in: clear on a key press/);
    // The marks came back in the order sent (a clear echoes pending ones at once). A mark still
    // in flight when a session sends stop is not echoed, as on a call that has ended: on a loaded
    // machine the server's last mark can arrive that late, so each session echoes a prefix.
    const withMarks = server.marks.filter((log) => log.sent.length > 0);
    expect(withMarks.length).toBeGreaterThan(0);
    for (const log of withMarks) expect(log.echoed).toEqual(log.sent.slice(0, log.echoed.length));
    expect(withMarks.some((log) => log.echoed.length === log.sent.length)).toBe(true);
  });

  it("trusts NODE_EXTRA_CA_CERTS only when told; an untrusted certificate is a connection error (exit 2)", async () => {
    const tls = await makeCertificate();
    const server = await serve(false, undefined, tls);
    const result = await check(["--url", `${server.origin}/media`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("NOT CHECKED");
    expect(result.stdout).toMatch(/31910/);
  });
});

describe("a check that tested nothing is skipped, not passed", () => {
  it("a run whose every check was skipped is not conformant (exit 2)", async () => {
    const server = await serve(false);
    const result = await check(["--url", `${server.origin}/media`, "--only", "messages:"]);
    expect(result.stdout).toMatch(/skip media › messages: valid media, mark or clear \(the server sent nothing in any of 6 sessions\)/);
    expect(result.stdout).toMatch(/skip media › messages: this Stream's streamSid \(the server sent nothing/);
    expect(result.stdout).toMatch(/NOT CHECKED: 0 passed, 0 failed, 2 skipped/);
    expect(result.code).toBe(2);
  });

  it("barge-in against a server that plays no audio: skipped, exit 0", async () => {
    const server = await serve(true, "silent");
    const result = await check(["--url", `${server.origin}/media`, "--bidirectional", "--expect-barge-in", "--timeout", "300"]);
    expect(failedChecks(result.stdout)).toEqual([]);
    expect(result.stdout).toMatch(/skip media › barge-in: clear on a key press \(the server played no audio in 6 sessions/);
    // The checks of what the server sends saw nothing either: skipped with why, not "ok".
    expect(result.stdout).toMatch(/skip media › messages: valid media, mark or clear \(the server sent nothing in any of 6 sessions\)/);
    expect(result.stdout).toMatch(
      /skip media › media: base64 μ-law without a file header \(the server sent no media in any of 6 sessions\)/,
    );
    expect(result.stdout).toMatch(/CONFORMANT: \d+ passed, 0 failed, \d+ skipped/);
    expect(result.code).toBe(0);
  });
});

describe("each broken server is caught by the check named after its bug", () => {
  const cases: [ServerBug, boolean, string, string[]][] = [
    ["echoes-binary", true, "frames: text only", []],
    ["wav-headers", true, "media: base64 μ-law without a file header", []],
    ["wrong-stream-sid", true, "messages: this Stream's streamSid", []],
    // A short --timeout: every failing session waits that long for the clear that never comes.
    ["ignores-barge-in", true, "barge-in: clear on a key press", ["--expect-barge-in", "--timeout", "300"]],
    ["sends-on-unidirectional", false, "unidirectional: sends nothing", []],
    ["accepts-any-signature", false, "upgrade: refuses a wrong signature", []],
    ["nameless-marks", true, "messages: valid media, mark or clear", []],
    // What arrives 60 ms after the upgrade, or after stop, is judged too.
    ["speaks-late", false, "unidirectional: sends nothing", []],
    ["invalid-after-stop", true, "messages: valid media, mark or clear", []],
  ];
  for (const [bug, bidirectional, caughtBy, extra] of cases) {
    it(`${bug} → ${caughtBy}`, async () => {
      const server = await serve(bidirectional, bug);
      const result = await check([
        "--url",
        `${server.origin}/media`,
        "--expect-signature-check",
        ...(bidirectional ? ["--bidirectional"] : []),
        ...extra,
      ]);
      expect(failedChecks(result.stdout), result.stdout).toEqual([caughtBy]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("PROTOCOL VIOLATED");
      expect(result.stdout).toMatch(/replay: {3}seed -?\d+/);
      expect(result.output).not.toContain(TOKEN);
    });
  }
});

describe("a refusal after the upgrade", () => {
  it("accepting an upgrade with a wrong signature and closing it at once with 1008 is a refusal", async () => {
    const server = await serve(false, "refuses-with-1008");
    const result = await check(["--url", `${server.origin}/media`, "--expect-signature-check"]);
    expect(failedChecks(result.stdout), result.stdout).toEqual([]);
    expect(result.stdout).toMatch(/ok {3}media › upgrade: refuses a wrong signature \(6 upgrades\)/);
    expect(result.code).toBe(0);
  });
});

describe("hostile servers get a verdict, never a crash or a hang", () => {
  async function hostile(frame: HostileFrame) {
    const server = await startMediaTestServer({
      behave: (socket, message) => {
        const m = message as { event?: string; streamSid?: string };
        if (m.event === "start") frame(socket, m.streamSid ?? "");
      },
    });
    servers.push(server);
    return server;
  }

  it("a message nested 8,000 deep: the messages check fails (31951), exit 1", async () => {
    const server = await hostile((socket) => socket.send(deeplyNested(8000)));
    const result = await check(["--url", `${server.origin}/media`, "--bidirectional"]);
    expect(failedChecks(result.stdout)).toEqual(["messages: valid media, mark or clear"]);
    expect(result.stdout).toContain("31951: the server sent a message nested more than 16 levels deep");
    expect(result.output).not.toMatch(/RangeError|the check itself failed| {4}at /);
    expect(result.code).toBe(1);
  });

  it("a message sent with the 101 answer, before anyone listens, is judged too", async () => {
    const server = await startMediaTestServer({
      onOpen: (socket) => socket.send(JSON.stringify({ event: "clear", streamSid: "MZ00000000000000000000000000000000" })),
    });
    servers.push(server);
    const result = await check(["--url", `${server.origin}/media`]);
    expect(failedChecks(result.stdout)).toEqual(["messages: this Stream's streamSid", "unidirectional: sends nothing"]);
    expect(result.code).toBe(1);
  });

  it("invalid UTF-8 is a broken WebSocket rule (31924), not a closed socket", async () => {
    const server = await hostile((socket) => writeRawFrame(socket, 0x81, Buffer.from([0xff, 0xfe])));
    const result = await check(["--url", `${server.origin}/media`]);
    expect(failedChecks(result.stdout)).toEqual(["websocket: frames RFC 6455 allows"]);
    expect(result.stdout).toMatch(/31924: the server broke the WebSocket protocol \(RFC 6455\): .*UTF-8/);
    expect(result.stdout).not.toContain("1006");
    expect(result.code).toBe(1);
  });

  it("an upgrade answered one byte every 400 ms: --timeout 2000 is a deadline (31901, exit 2)", async () => {
    const slow = await startTricklingServer(400);
    servers.push(slow);
    const result = await check(["--url", `ws://127.0.0.1:${slow.port}/media`, "--timeout", "2000"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain("NOT CHECKED");
    expect(result.stdout).toMatch(/no complete answer to the upgrade within 2000 ms \(Twilio: 31901\)/);
  });

  it("ends when its sessions end: no timer of --timeout keeps the process alive", async () => {
    const server = await serve(false);
    // With a timer of --timeout left behind, the process would live 10 minutes past its summary.
    const { code, stdout } = await runCli(["check-media-server", "--url", `${server.origin}/media`, "--runs", "2", "--timeout", "600000"], {
      TWILIO_AUTH_TOKEN: TOKEN,
    });
    expect(stdout).toContain("CONFORMANT");
    expect(code).toBe(0);
  }, 120_000);
});

describe("replay, reports, usage", () => {
  it("a reported seed and path replay the shrunk failing session; JSON and JUnit reports are written", async () => {
    const server = await serve(true, "wav-headers");
    const dir = await mkdtemp(join(tmpdir(), "media-report-"));
    const first = await check([
      "--url",
      `${server.origin}/m`,
      "--bidirectional",
      "--only",
      "media:",
      "--report",
      `json:${join(dir, "r.json")}`,
      "--report",
      `junit:${join(dir, "r.xml")}`,
    ]);
    expect(first.code).toBe(1);
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as {
      outcomes: { status: string; failures: { seed: number; replayPath: string; counterexample: unknown }[] }[];
    };
    const failure = json.outcomes.find((o) => o.status === "failed")!.failures[0]!;
    expect(failure.counterexample).toEqual(expect.arrayContaining([expect.objectContaining({ event: "media" })]));
    expect(await readFile(join(dir, "r.xml"), "utf8")).toContain("<failure");
    const replay = await check([
      "--url",
      `${server.origin}/m`,
      "--bidirectional",
      "--only",
      "media:",
      "--seed",
      String(failure.seed),
      "--replay-path",
      failure.replayPath,
    ]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain(JSON.stringify(failure.counterexample).slice(0, 200));
  });

  it("usage errors and an unreachable server exit 2 with a message, no stack", async () => {
    const noToken = await runCommand(checkMediaServerCommand, ["--url", "ws://127.0.0.1:9/x"], { TWILIO_AUTH_TOKEN: undefined });
    expect(noToken).toMatchObject({ code: 2 });
    expect(noToken.stderr).toContain("auth token");
    const remotePlain = await check(["--url", "ws://example.com/media"]);
    expect(remotePlain.code).toBe(2);
    expect(remotePlain.stderr).toContain("loopback");
    const noUrl = await check([]);
    expect(noUrl.stderr).toContain("--url is required");
    const bargeInAlone = await check(["--url", "ws://127.0.0.1:9/x", "--expect-barge-in"]);
    expect(bargeInAlone.stderr).toContain("--bidirectional");
    const refused = await check(["--url", "ws://127.0.0.1:9/x"]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain("NOT CHECKED");
    expect(refused.output).not.toContain("    at ");
  });
});
