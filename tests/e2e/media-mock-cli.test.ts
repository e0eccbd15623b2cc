/**
 * `stream-contract mock --stream-media` as a user runs it (the built CLI, `npm run build` first):
 * a WAV file streamed, TLS trusted through NODE_EXTRA_CA_CERTS, a refused handshake in the
 * summary, the report and the exit code; bad media options are usage errors.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import wavefile from "wavefile";
import { afterEach, describe, expect, it } from "vitest";
import { createStreamPath } from "../../src/contract/paths.js";
import { listening, startCli } from "../support/cli.js";
import { eventually, makeCertificate, type MediaTestServer, startMediaTestServer } from "../support/media-server.js";
import { deeplyNested } from "../support/media-server-hostile.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TOKEN = "cli-media-token-0001";

const servers: MediaTestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

function startMock(args: string[], env: Record<string, string> = {}) {
  const { child, output } = startCli(["mock", "--port", "0", "--quiet", ...args], env);
  return { child, output, baseUrl: listening(child) };
}

async function create(baseUrl: string, url: string): Promise<number> {
  const response = await fetch(`${baseUrl}${createStreamPath(ACCOUNT, CALL)}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: `Url=${encodeURIComponent(url)}`,
  });
  return response.status;
}

describe("stream-contract mock --stream-media", () => {
  it("streams a WAV file; a refused handshake is reported (31920) and exits 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "media-cli-"));
    const wav = new wavefile.WaveFile();
    const samples = Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin(i / 3)));
    wav.fromScratch(1, 8000, "16", samples);
    await writeFile(join(dir, "voice.wav"), wav.toBuffer());
    wav.toMuLaw();
    const expected = Buffer.from((wav.data as { samples: Uint8Array }).samples.subarray(0, 160)).toString("base64");

    const good = await startMediaTestServer({});
    const refusing = await startMediaTestServer({ refuseWith: 403 });
    servers.push(good, refusing);
    const mock = startMock([
      "--stream-media",
      "--plain-ws-loopback",
      "--media-pace",
      "fast",
      "--audio",
      join(dir, "voice.wav"),
      "--report",
      `json:${dir}/report.json`,
    ]);
    const baseUrl = await mock.baseUrl;
    expect(await create(baseUrl, `wss://127.0.0.1:${good.port}/voice`)).toBe(200);
    expect(await create(baseUrl, `wss://127.0.0.1:${refusing.port}/refuses`)).toBe(200);
    const connection = await good.nextConnection();
    await eventually(() => connection.messages.length >= 12, "the WAV file's frames"); // 1600 samples: 10 frames
    expect((connection.messages[2] as { media: { payload: string } }).media.payload).toBe(expected);
    // The refused dial may still be under way: stopping now would abort it before its 403 arrives.
    for (let tries = 0; ; tries++) {
      const media = (await (await fetch(`${baseUrl}/__contract/media`)).json()) as { violations: number };
      if (media.violations >= 1) break;
      if (tries === 1000) throw new Error("the refused handshake was never reported");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    mock.child.kill("SIGINT");
    const { code, stdout, stderr } = await mock.output;
    expect(code, stdout + stderr).toBe(1);
    expect(stdout).toContain("31920 Handshake Error");
    expect(stdout).toMatch(/\/voice — stopped, 10 media message/);
    expect(stdout + stderr).not.toContain(TOKEN);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as { outcomes: { name: string; status: string }[] };
    expect(report.outcomes).toContainEqual(
      expect.objectContaining({ name: "media › the WebSocket servers follow the Media Streams protocol", status: "failed" }),
    );
  });

  it("a message nested 8,000 deep: the mock stays up, and its summary names the violation (31951), exit 1", async () => {
    const hostile = await startMediaTestServer({
      behave: (socket, message) => (message as { event?: string }).event === "start" && socket.send(deeplyNested(8000)),
    });
    servers.push(hostile);
    const mock = startMock(["--stream-media", "--plain-ws-loopback", "--media-pace", "fast"]);
    const baseUrl = await mock.baseUrl;
    expect(await create(baseUrl, `wss://127.0.0.1:${hostile.port}/deep`)).toBe(200);
    await eventually(() => hostile.connections.length === 1, "the dial");
    for (let tries = 0; ; tries++) {
      const media = (await (await fetch(`${baseUrl}/__contract/media`)).json()) as { violations: number };
      if (media.violations >= 2) break; // the message, and sending anything on a unidirectional Stream
      if (tries === 1000) throw new Error("the nested message was never reported");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await create(baseUrl, `wss://127.0.0.1:${hostile.port}/again`)).toBe(200); // still up
    mock.child.kill("SIGINT");
    const { code, stdout, stderr } = await mock.output;
    expect(code, stdout + stderr).toBe(1);
    expect(stdout).toContain("31951");
    expect(stdout).toContain("nested more than 16 levels deep");
    expect(stdout + stderr).not.toMatch(/RangeError| {4}at /);
  });

  it("dials wss:// trusting the CA in NODE_EXTRA_CA_CERTS", async () => {
    const tls = await makeCertificate();
    const dir = await mkdtemp(join(tmpdir(), "media-ca-"));
    await writeFile(join(dir, "ca.pem"), tls.cert);
    const server = await startMediaTestServer({ tls });
    servers.push(server);
    const mock = startMock(["--stream-media", "--media-pace", "fast"], { NODE_EXTRA_CA_CERTS: join(dir, "ca.pem") });
    expect(await create(await mock.baseUrl, `wss://localhost:${server.port}/secure`)).toBe(200);
    const connection = await server.nextConnection();
    await eventually(() => connection.messages.length >= 3, "media over TLS");
    mock.child.kill("SIGINT");
    const { code, stdout } = await mock.output;
    expect(code, stdout).toBe(0);
    expect(stdout).toContain("1 dialled");
  });

  it("bad media options are usage errors (exit 2)", async () => {
    for (const args of [
      ["--stream-media", "--audio", "no-such.wav"],
      ["--stream-media", "--media-pace", "slow"],
      ["--audio", "x.wav"],
      ["--stream-media", "--audio", "package.json"],
    ]) {
      const { output } = startMock(args);
      const { code, stderr } = await output;
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/--audio|--media-pace|--stream-media/);
      expect(stderr).not.toContain("    at ");
    }
  });
});
