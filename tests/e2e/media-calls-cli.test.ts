/**
 * `check-media-server` as a user runs it, real-time calls included: the default run against a
 * voice-agent-like server (its sessions, then two rounds of two calls, reported in the summary,
 * JSON and JUnit), the evidence of a failing call in --artifacts, and the calls' usage errors.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkMediaServerCommand } from "../../src/cli/check-media-server.js";
import { runCommand } from "../support/run-command.js";
import { startVoiceAgent } from "../support/voice-agent.js";

const TOKEN = "calls-cli-token-0123456789";
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers.splice(0)) await server.close();
});

function check(args: string[]) {
  return runCommand(checkMediaServerCommand, args, { TWILIO_AUTH_TOKEN: TOKEN });
}

describe("check-media-server's calls from the command line", { timeout: 120_000 }, () => {
  it("by default, after its sessions, plays two rounds of two real-time calls and reports them in the summary, JSON and JUnit", async () => {
    const agent = await startVoiceAgent({ token: TOKEN });
    servers.push(agent);
    const dir = await mkdtemp(join(tmpdir(), "media-calls-"));
    const result = await check([
      "--url",
      `${agent.origin}/media`,
      "--bidirectional",
      "--runs",
      "3",
      "--report",
      `json:${dir}/r.json`,
      "--report",
      `junit:${dir}/r.xml`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Real-time calls");
    for (const call of ["call 1.1", "call 1.2", "call 2.1", "call 2.2"])
      expect(result.stdout).toMatch(
        new RegExp(`^ {7}${call.replace(".", "\\.")} \\(\\d+\\.\\d s\\): first audio \\d+ ms, \\d+ ms; barge-in → clear \\d+ ms`, "m"),
      );
    expect(result.stdout).toMatch(
      /ok {3}calls › rules: every frame of a real-time call keeps Twilio's rules \(2 first call\(s\) judged; over all 4 calls: first audio median \d+ ms/,
    );
    expect(result.stdout).toMatch(/ok {3}calls › second call: keeps no state from the first/);
    expect(result.stdout).toMatch(/CONFORMANT: .*, 4 real-time call\(s\) in \d+\.\d s/);
    expect(result.stderr).toContain("calls, round 2: 2 real-time call(s) at once");
    const json = JSON.parse(await readFile(join(dir, "r.json"), "utf8")) as {
      calls: { name: string; metrics: { turns: unknown[]; markRoundTripMs: number[] }; failed: boolean }[];
    };
    expect(json.calls.map((c) => [c.name, c.failed, c.metrics.turns.length])).toEqual([
      ["call 1.1", false, 2],
      ["call 1.2", false, 2],
      ["call 2.1", false, 2],
      ["call 2.2", false, 2],
    ]);
    expect(json.calls.every((c) => c.metrics.markRoundTripMs.length > 0)).toBe(true);
    const junit = await readFile(join(dir, "r.xml"), "utf8");
    expect(junit).toContain("calls › rules: every frame of a real-time call keeps Twilio");
    // What the calls measured reaches JUnit too, as the passed check's output.
    expect(junit).toMatch(/<system-out>2 first call\(s\) judged; over all 4 calls: first audio median \d+ ms/);
    expect(result.output).not.toContain(TOKEN);
  });

  it("--artifacts: a failing call's wire trace (JSONL, both ways, timed) and stereo recording (left the caller, right what it heard), named in the summary", async () => {
    const agent = await startVoiceAgent({ token: TOKEN, bug: "wav-headers" });
    servers.push(agent);
    const dir = await mkdtemp(join(tmpdir(), "media-artifacts-"));
    const result = await check([
      "--url",
      `${agent.origin}/media`,
      "--bidirectional",
      "--only",
      "calls",
      "--calls",
      "1",
      "--artifacts",
      dir,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL calls › rules: every frame of a real-time call keeps Twilio's rules/);
    expect(result.stdout).toMatch(/call 1\.1: 31951 \(media-payload\)/);
    const trace = join(dir, "call-1.1.jsonl");
    const recording = join(dir, "call-1.1.wav");
    expect(result.stdout).toContain(`evidence: ${trace}, ${recording}`);
    expect(result.stdout).toContain(`(trace ${trace}, recording ${recording})`);
    // The trace: every frame, both ways, in time order; Twilio's first, the server's media among them.
    const lines = (await readFile(trace, "utf8"))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { t: number; from: string; message?: { event?: string } });
    expect(lines[0]).toMatchObject({ from: "twilio", message: { event: "connected" } });
    expect(lines.at(-1)).toMatchObject({ from: "twilio", message: { event: "stop" } });
    expect(lines.some((l) => l.from === "server" && l.message?.event === "media")).toBe(true);
    expect(lines.some((l) => l.from === "twilio" && l.message?.event === "mark")).toBe(true);
    expect(lines.map((l) => l.t)).toEqual([...lines.map((l) => l.t)].sort((a, b) => a - b));
    // The recording: RIFF/WAVE, PCM, 2 channels, 8000 Hz, 16 bits; speech on the left, the answer on the right.
    const wav = await readFile(recording);
    expect(wav.toString("ascii", 0, 4)).toBe("RIFF");
    expect(wav.toString("ascii", 8, 12)).toBe("WAVE");
    expect([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt16LE(34)]).toEqual([1, 2, 8000, 16]);
    const frames = (wav.length - 44) / 4;
    let left = 0;
    let right = 0;
    for (let i = 0; i < frames; i++) {
      left = Math.max(left, Math.abs(wav.readInt16LE(44 + i * 4)));
      right = Math.max(right, Math.abs(wav.readInt16LE(46 + i * 4)));
    }
    expect(left).toBeGreaterThan(1000);
    expect(right).toBeGreaterThan(1000);
    expect(result.output).not.toContain(TOKEN);
    expect(await readFile(trace, "utf8")).not.toContain(TOKEN);
  });

  it("--baseline: a server whose answers got three times slower than an earlier run's fails the baseline check", async () => {
    const dir = await mkdtemp(join(tmpdir(), "media-baseline-"));
    const quick = await startVoiceAgent({ token: TOKEN });
    const slow = await startVoiceAgent({ token: TOKEN, latencyMs: 1500 });
    servers.push(quick, slow);
    const args = ["--bidirectional", "--only", "calls", "--calls", "1"];
    const before = await check(["--url", `${quick.origin}/media`, ...args, "--report", `json:${dir}/before.json`]);
    expect(before.code).toBe(0);
    const after = await check(["--url", `${slow.origin}/media`, ...args, "--baseline", `${dir}/before.json`]);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/FAIL calls › baseline: no metric worse than --baseline's by more than 25 % \+ 50 ms/);
    expect(after.stdout).toMatch(/first audio: median \d+ ms, the baseline's \d+ ms/);
    const bad = await check(["--url", `${slow.origin}/media`, ...args, "--baseline", `${dir}`]);
    expect(bad.code).toBe(2);
    await writeFile(join(dir, "other.json"), JSON.stringify({ tool: "verify", outcomes: [] }));
    const other = await check(["--url", `${slow.origin}/media`, ...args, "--baseline", join(dir, "other.json")]);
    expect(other.stderr).toContain("not a check-media-server JSON report with calls");
  });

  it("usage errors: requirements need a bidirectional Stream and calls; --calls is a whole number", async () => {
    const uni = await check(["--url", "ws://127.0.0.1:9/x", "--max-clear-ms", "500"]);
    expect(uni).toMatchObject({ code: 2 });
    expect(uni.stderr).toContain("--max-clear-ms needs --bidirectional");
    const none = await check(["--url", "ws://127.0.0.1:9/x", "--bidirectional", "--calls", "0", "--max-ahead-ms", "1s"]);
    expect(none.stderr).toContain("--max-ahead-ms needs calls (not --calls 0)");
    const negative = await check(["--url", "ws://127.0.0.1:9/x", "--calls", "many"]);
    expect(negative.stderr).toContain("--calls must be a whole number from 0 to 1000");
  });
});
