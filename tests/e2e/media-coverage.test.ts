/**
 * check-media-server's protocol coverage: the events the run sent and received, barge-in and a
 * second session, of those that apply to the Stream's kind; and its gate (--min-coverage,
 * --require), against the small WebSocket servers of tests/support/media-servers.ts.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkMediaServerCommand } from "../../src/cli/check-media-server.js";
import type { Coverage } from "../../src/report/types.js";
import { runCommand } from "../support/run-command.js";
import { type ServerBug, startTestMediaServer } from "../support/media-servers.js";

const TOKEN = "media-token-0123456789";
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function check(bidirectional: boolean, bug: ServerBug | undefined, args: string[]) {
  const server = await startTestMediaServer({ token: TOKEN, bidirectional, ...(bug === undefined ? {} : { bug }) });
  servers.push(server);
  const dir = await mkdtemp(join(tmpdir(), "media-coverage-"));
  const result = await runCommand(
    checkMediaServerCommand,
    [
      "--runs",
      "6",
      "--calls",
      "0",
      "--url",
      `${server.origin}/media`,
      "--report",
      `json:${dir}/r.json`,
      "--report",
      `html:${dir}/r.html`,
      ...args,
    ],
    { TWILIO_AUTH_TOKEN: TOKEN },
  );
  const coverage = result.code === 2 ? undefined : (JSON.parse(await readFile(join(dir, "r.json"), "utf8")).coverage as Coverage);
  const exercised = coverage?.parts.filter((p) => p.count > 0).map((p) => p.id);
  const html = result.code === 2 ? "" : await readFile(join(dir, "r.html"), "utf8");
  return { ...result, coverage, exercised, html };
}

describe("check-media-server: protocol coverage", () => {
  it("a bidirectional server with barge-in exercises every path: 100 %, --min-coverage 100 passes", async () => {
    const { code, stdout, coverage, exercised, html } = await check(true, undefined, [
      "--bidirectional",
      "--expect-barge-in",
      "--min-coverage",
      "100",
    ]);
    expect(code).toBe(0);
    expect(coverage?.percent).toBe(100);
    expect(exercised).toEqual([
      "sent:connected",
      "sent:start",
      "sent:media",
      "sent:dtmf",
      "sent:mark",
      "sent:stop",
      "received:media",
      "received:mark",
      "received:clear",
      "barge-in",
      "second-session",
    ]);
    expect(stdout).toContain("Coverage: 11 of 11 parts (100 %) of the Media Streams protocol, on a bidirectional Stream");
    expect(html).toContain("<h2>Coverage: 11 of 11 parts (100 %) of the Media Streams protocol, on a bidirectional Stream</h2>");
    expect(html).toContain("<td><code>received:clear</code></td>");
  });

  it("unidirectional: only the parts that apply count (no dtmf, no mark, nothing received)", async () => {
    const { code, coverage } = await check(false, undefined, ["--require", "sent:media,second-session"]);
    expect(code).toBe(0);
    expect(coverage?.parts.map((p) => p.id)).toEqual(["sent:connected", "sent:start", "sent:media", "sent:stop", "second-session"]);
    expect(coverage?.percent).toBe(100);
    expect(coverage?.denominator).toContain("on a unidirectional Stream the server sends nothing");
  });

  it("a silent bidirectional server leaves the server's events unexercised: --min-coverage 100 and --require received:clear fail (exit 1)", async () => {
    const { code, stdout, coverage } = await check(true, "silent", [
      "--bidirectional",
      "--min-coverage",
      "100",
      "--require",
      "received:clear",
    ]);
    expect(code).toBe(1);
    expect(coverage?.parts.filter((p) => p.count === 0).map((p) => p.id)).toEqual([
      "sent:mark",
      "received:media",
      "received:mark",
      "received:clear",
    ]);
    expect(stdout).toContain("FAIL coverage › at least 100 % and received:clear exercised");
  });

  it.each([
    [
      false,
      ["--require", "sent:dtmf"],
      /--require: unknown part "sent:dtmf"; the parts are sent:connected, sent:start, sent:media, sent:stop, second-session/,
    ],
    [true, ["--bidirectional", "--min-coverage", "150"], /--min-coverage must be a whole number from 0 to 100/],
  ])("a part the run cannot exercise, or a bad threshold, is a usage error (exit 2)", async (bidirectional, args, message) => {
    const { code, stderr } = await check(bidirectional, undefined, args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
