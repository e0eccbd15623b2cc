/**
 * docs/verify.md's check table is generated from CONFORMANCE_CHECKS, so the manual names every
 * check `verify` runs, in its order and with its own words. `npm run docs:update` rewrites the
 * marked block; this test fails when it is stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CONFORMANCE_CHECKS } from "../../src/verify/checks/index.js";
import type { ConformanceCheck } from "../../src/verify/check.js";

const PAGE = new URL("../../docs/verify.md", import.meta.url);
const START = "<!-- checks:start (generated from CONFORMANCE_CHECKS by `npm run docs:update`; do not edit) -->";
const END = "<!-- checks:end -->";

const STATES: Record<ConformanceCheck["states"], string> = {
  required: "needed (skipped without)",
  optional: "used when given",
  none: "",
};

/** Markdown table cells: a `|` would end the cell. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

function table(checks: readonly ConformanceCheck[]): string {
  const rows = checks.map((check) => `| ${cell(check.name)} | ${cell(check.asserts)} | ${STATES[check.states]} |`);
  return ["| check | asserts | `--states-url` |", "|---|---|---|", ...rows].join("\n");
}

function withTable(page: string, rendered: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/verify.md lacks the ${START} … ${END} block`);
  return `${page.slice(0, start + START.length)}\n${rendered}\n${page.slice(end)}`;
}

describe("docs/verify.md", () => {
  it("lists every conformance check, as CONFORMANCE_CHECKS describes it", async () => {
    const page = await readFile(PAGE, "utf8");
    const current = withTable(page, table(CONFORMANCE_CHECKS));
    if (process.env.UPDATE_DOCS === "1" && current !== page) await writeFile(PAGE, current);
    else expect(page, "docs/verify.md's check table is stale: run `npm run docs:update`").toBe(current);
  });
});
