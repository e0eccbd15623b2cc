/**
 * Every command's --help: no flag runs into its description (`--report FORMAT:PATHalso …`), and
 * the option table helper keeps its column whatever the flags' lengths.
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { optionsHelp } from "../../src/cli/help.js";
import { built, CLI } from "../support/cli.js";

const COMMANDS = [
  "validate",
  "mock",
  "check-client",
  "verify",
  "publish",
  "drift",
  "provider",
  "check-status-callback",
  "check-media-server",
];
/** An option line: two spaces, a flag (with an optional metavar), then the end or two+ spaces. */
const OPTION_LINE = /^ {2}(?:-\w, )?-[\w-]+(?: [A-Z][\w:.…]*)?(?: {2,}\S.*)?$/;

describe("help layout", () => {
  it.each(COMMANDS)("%s --help: every option line has its flag apart from its text", (command) => {
    const help = execFileSync(process.execPath, [built(CLI), command, "--help"], { encoding: "utf8" });
    const options = help.split("\n").filter((line) => /^ {2}-/.test(line));
    expect(options.length).toBeGreaterThan(1);
    for (const line of options) expect(line).toMatch(OPTION_LINE);
  });

  it("puts a flag too long for the column on a line of its own", () => {
    const text = optionsHelp(
      [
        ["--short", "a"],
        ["--a-very-long-flag VALUE", "b\nsecond line"],
      ],
      12,
    );
    expect(text.split("\n")).toEqual(["  --short   a", "  --a-very-long-flag VALUE", "            b", "            second line"]);
  });

  it("without a column, starts every description two spaces past the longest flag", () => {
    expect(
      optionsHelp([
        ["-x", "one"],
        ["--report FORMAT:PATH", "two"],
      ]).split("\n"),
    ).toEqual([`${"  -x".padEnd(24)}one`, "  --report FORMAT:PATH  two"]);
  });
});

describe("the CLI as a pipeline runs it", () => {
  it("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) {
      expect(execFileSync(process.execPath, [built(CLI), flag], { encoding: "utf8" })).toBe(`${version}\n`);
    }
    expect(execFileSync(process.execPath, [built(CLI), "--help"], { encoding: "utf8" })).toContain("--version");
  });

  it("stops quietly when its reader goes away (`drift … --show-accepted | head`): no EPIPE stack", async () => {
    const child = spawn(process.execPath, [built(CLI), "drift", "tests/fixtures/twilio-oai-streams.json", "--show-accepted"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy(); // the reader is gone before the first line: every write fails with EPIPE
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect([0, 2]).toContain(code); // the run's own code (no drift here), or 2 if it had not finished
  });
});
