/**
 * The HTML report (`--report html:<path>`): one self-contained page with every check and every
 * failure's evidence, nothing loaded from anywhere, and every string of the report escaped —
 * hostile counterexamples are text, never markup. tests/e2e/report-browser.test.ts opens real
 * reports in Chromium.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { text } from "../../src/report/escape.js";
import { renderHtmlReport } from "../../src/report/html.js";
import type { RunReport } from "../../src/report/types.js";
import { writeReports } from "../../src/report/write.js";
import { registerSecret } from "../../src/secrets.js";

const HOSTILE = `</code></pre><script>alert(1)</script><img src=x onerror="alert(2)"><a href='javascript:alert(3)'>x</a>&amp;\u0000\uD800`;

const REPORT: RunReport = {
  tool: "verify",
  target: `http://127.0.0.1:4010/${HOSTILE}`,
  startedAt: "2026-11-25T14:00:00.000Z",
  durationMs: 1234,
  notices: [`a notice ${HOSTILE}`],
  outcomes: [
    { name: "pact › create with only a Url", group: "pact", status: "passed", durationMs: 12, failures: [] },
    {
      name: `conformance › create: ${HOSTILE}`,
      group: "conformance",
      status: "failed",
      durationMs: 340,
      message: `1 of 100 requests broke the contract ${HOSTILE}`,
      failures: [
        {
          message: `2xx answer to an invalid request ${HOSTILE}`,
          expected: `4xx ${HOSTILE}`,
          actual: "200 OK",
          curl: `curl -sS -u 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:****' --data-urlencode 'Track=${HOSTILE}' 'http://127.0.0.1:4010/x'`,
          seed: 42,
          replayPath: "3:1",
          counterexample: { Track: HOSTILE, big: 10n, [HOSTILE]: [HOSTILE] },
        },
      ],
    },
    { name: "conformance › stop", group: "conformance", status: "skipped", durationMs: 0, message: "no --states-url", failures: [] },
  ],
};

/** The page with every tag the renderer writes itself taken out: what is left is the report's text. */
function markupOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => (m[1] as string).toLowerCase());
}

describe("the HTML report", () => {
  it("is one page with the summary, every check, and each failure's evidence and replay flags", () => {
    const html = renderHtmlReport(REPORT);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("1 check(s) failed");
    expect(html).toContain("3: 1 passed, 1 failed, 1 skipped");
    expect(html).toContain("create with only a Url");
    expect(html).toContain("no --states-url");
    expect(html).toContain(`--seed 42 --only &apos;create: `);
    expect(html).toContain("--replay-path 3:1");
    expect(html).toContain("curl -sS -u &apos;ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:****&apos;");
    expect(html).toContain("&quot;big&quot;: &quot;10n&quot;");
    expect(html).toContain('id="failure-1" open');
    expect(html).toContain('<input type="checkbox" id="only-failed">');
  });

  it("loads nothing: no script, no link, no external URL, a CSP that forbids loading anything", () => {
    const html = renderHtmlReport(REPORT);
    const tags = new Set(markupOf(html));
    for (const tag of ["script", "link", "img", "iframe", "object", "embed"]) expect(tags.has(tag), `<${tag}>`).toBe(false);
    expect(html).not.toMatch(/(?:src|href)="(?!#)/);
    expect(html).not.toMatch(/url\(/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it("escapes every hostile string: the page's markup is the renderer's own, whatever the report says", () => {
    const hostile = renderHtmlReport(REPORT);
    // The same report with each hostile string replaced by a plain word.
    const json = JSON.stringify(REPORT, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    const tame = renderHtmlReport(JSON.parse(json.replaceAll(JSON.stringify(HOSTILE).slice(1, -1), "plain")) as RunReport);
    expect(tame).not.toContain("alert");
    // The same tags, in the same order, as a report of the same shape: no string added one.
    expect(markupOf(hostile)).toEqual(markupOf(tame));
    expect(hostile).not.toContain("<script");
    expect(hostile).not.toContain("<img");
    expect(hostile).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(hostile).not.toMatch(/[\u0000\uD800-\uDFFF]/);
  });

  test.prop([fc.string({ unit: "binary" })])("text() leaves no markup character and reads back as the string", (value) => {
    const escaped = text(value);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(escaped.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toContain("&");
    const decoded = escaped.replace(
      /&(amp|lt|gt|quot|apos);/g,
      (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e] as string,
    );
    expect(decoded).toBe(
      value.replace(
        /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
        "\uFFFD",
      ),
    );
  });

  it("is written with secrets masked, as every report is", async () => {
    const secret = "s3cr3t-token-<&>-value";
    registerSecret(secret);
    const dir = await mkdtemp(join(tmpdir(), "report-html-"));
    const report: RunReport = {
      ...REPORT,
      outcomes: [{ ...REPORT.outcomes[1]!, failures: [{ message: `Basic ${secret}`, counterexample: { token: secret } }] }],
    };
    await writeReports(report, [{ format: "html", path: join(dir, "r/report.html") }]);
    const html = await readFile(join(dir, "r/report.html"), "utf8");
    expect(html).toContain("<!DOCTYPE html>");
    expect(html).not.toContain("s3cr3t");
  });
});
