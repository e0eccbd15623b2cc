/**
 * docs/verify.md's server-side rules table is generated from SERVER_RULES, so the manual says,
 * for every input class, what a server must do and where Twilio says so. `npm run docs:update`
 * rewrites the marked block; this test fails when it is stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { SERVER_RULES } from "../../src/verify/server-rules.js";

const PAGE = new URL("../../docs/verify.md", import.meta.url);
const START = "<!-- server-rules:start (generated from SERVER_RULES by `npm run docs:update`; do not edit) -->";
const END = "<!-- server-rules:end -->";
const DUTY = {
  refuse: "**refuse** (4xx, Twilio error body)",
  accept: "**accept** (2xx)",
  either: "either (refuse with `--strict`)",
} as const;

function table(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = Object.entries(SERVER_RULES).map(
    ([name, rule]) => `| \`${name}\` | ${rule.operation} | ${cell(rule.input)} | ${DUTY[rule.duty]} | ${cell(rule.source)} |`,
  );
  return ["| rule | operation | input | a server must | source |", "|---|---|---|---|---|", ...rows].join("\n");
}

describe("docs/verify.md", () => {
  it("lists every server-side rule, as SERVER_RULES says it", async () => {
    const page = await readFile(PAGE, "utf8");
    const start = page.indexOf(START);
    const end = page.indexOf(END);
    if (start === -1 || end < start) throw new Error(`docs/verify.md lacks the ${START} … ${END} block`);
    const current = `${page.slice(0, start + START.length)}\n${table()}\n${page.slice(end)}`;
    if (process.env.UPDATE_DOCS === "1" && current !== page) await writeFile(PAGE, current);
    else expect(page, "docs/verify.md's server-side rules table is stale: run `npm run docs:update`").toBe(current);
  });
});
