/**
 * Every command's --help: no flag runs into its description (`--report FORMAT:PATHalso …`), and
 * the option table helper keeps its column whatever the flags' lengths.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { optionsHelp } from "../../src/cli/io.js";

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
  it.skipIf(!existsSync("dist/cli/main.js")).each(COMMANDS)("%s --help: every option line has its flag apart from its text", (command) => {
    const help = execFileSync(process.execPath, ["dist/cli/main.js", command, "--help"], { encoding: "utf8" });
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
