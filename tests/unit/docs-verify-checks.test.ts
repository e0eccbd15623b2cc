/**
 * Each tool's checks table in the docs is generated from its catalogue (src/runner/table.ts), so
 * the manual names every check the tool runs, in its order and with its own words.
 * `npm run docs:update` rewrites the marked blocks; this test fails when one is stale.
 */
import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { RECEIVER_CHECKS } from "../../src/callback-check/check-receiver.js";
import { CALLBACK_CHECKS } from "../../src/verify/callbacks.js";
import { CALL_CATALOGUE } from "../../src/media-check/call-checks.js";
import { MEDIA_CHECKS } from "../../src/media-check/checks.js";
import { checksTable, tableMarkers, withTable } from "../../src/runner/table.js";
import { CONFORMANCE_CHECKS } from "../../src/verify/checks/index.js";
import type { ConformanceCheck } from "../../src/verify/check.js";

const STATES: Record<ConformanceCheck["states"], string> = {
  required: "needed (skipped without)",
  optional: "used when given",
  none: "",
};

/** A page's generated block, rewritten under UPDATE_DOCS=1, else compared. */
async function expectTable(page: string, id: string, source: string, rendered: string): Promise<void> {
  const url = new URL(`../../docs/${page}`, import.meta.url);
  const text = await readFile(url, "utf8");
  const current = withTable(text, tableMarkers(id, source), rendered);
  if (process.env.UPDATE_DOCS === "1" && current !== text) await writeFile(url, current);
  else expect(text, `docs/${page}'s ${id} table is stale: run \`npm run docs:update\``).toBe(current);
}

describe("docs/verify.md", () => {
  it("lists every conformance check, as CONFORMANCE_CHECKS describes it", async () => {
    const table = checksTable(CONFORMANCE_CHECKS, [{ header: "`--states-url`", cell: (check) => STATES[check.states] }]);
    await expectTable("verify.md", "checks", "CONFORMANCE_CHECKS", table);
  });
});

describe("docs/status-callbacks.md", () => {
  it("lists every check of check-status-callback, as RECEIVER_CHECKS describes it", async () => {
    await expectTable("status-callbacks.md", "receiver-checks", "RECEIVER_CHECKS", checksTable(RECEIVER_CHECKS));
  });
});

describe("docs/status-callbacks.md, verify --callbacks", () => {
  it("lists every check of verify --callbacks, as CALLBACK_CHECKS describes it", async () => {
    await expectTable("status-callbacks.md", "callback-checks", "CALLBACK_CHECKS", checksTable(CALLBACK_CHECKS));
  });
});

describe("docs/media-streams.md", () => {
  it("lists every check of check-media-server, as MEDIA_CHECKS describes it", async () => {
    const table = checksTable(MEDIA_CHECKS, [
      { header: "applies", cell: (check) => check.when ?? "always" },
      { header: "Twilio", cell: (check) => (check.code === undefined ? "" : String(check.code)) },
    ]);
    await expectTable("media-streams.md", "media-checks", "MEDIA_CHECKS", table);
  });
});

describe("docs/calls.md", () => {
  it("lists every check of check-media-server's real-time calls, as CALL_CATALOGUE describes it", async () => {
    const table = checksTable(CALL_CATALOGUE, [
      { header: "applies", cell: (check) => check.when ?? "always" },
      { header: "skipped, with why, when", cell: (check) => check.skipped },
    ]);
    await expectTable("calls.md", "call-checks", "CALL_CATALOGUE", table);
  });
});
