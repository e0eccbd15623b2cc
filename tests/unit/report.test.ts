/**
 * JUnit and JSON reports rendered from a RunReport: one <testcase> per check, failures with
 * message and curl repro, skipped with reason, and XML that stays well-formed whatever the
 * checks' texts contain.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderJsonReport } from "../../src/report/json.js";
import { renderJUnit, safeJson } from "../../src/report/junit.js";
import type { RunReport } from "../../src/report/types.js";
import { parseReportTarget, writeReports } from "../../src/report/write.js";

const NASTY = `a <b> & "c" 'd' ]]> \u0001 \uD800 tab\there\nline two`;

const REPORT: RunReport = {
  tool: "verify",
  target: "http://127.0.0.1:4010?a=1&b=2",
  startedAt: "2026-11-25T14:00:00.000Z",
  durationMs: 1234,
  outcomes: [
    { name: "pact › a request to create a stream with only a Url", group: "pact", status: "passed", durationMs: 12, failures: [] },
    {
      name: "conformance › create: invalid Track is rejected",
      group: "conformance",
      status: "failed",
      durationMs: 340,
      message: "1 of 100 requests broke the contract",
      failures: [
        {
          message: "2xx answer to an invalid request",
          expected: "4xx with a Twilio error body",
          actual: "201 Created",
          curl: `curl -sS -u 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:****' --data-urlencode 'Track=both' 'http://127.0.0.1:4010/2010-04-01/Accounts/AC…/Calls/CA…/Streams.json'`,
          seed: 42,
          replayPath: "3:1",
          counterexample: { Track: "both", big: 10n },
        },
      ],
    },
    {
      name: `weird ${NASTY}`,
      group: "conformance",
      status: "failed",
      durationMs: 1,
      failures: [{ message: NASTY, curl: "curl 'x' -d 'a=<b>&c'" }],
    },
    {
      name: "conformance › stop: unknown call answers 404",
      group: "conformance",
      status: "skipped",
      durationMs: 0,
      message: "no --states-url: the check needs provider states",
      failures: [],
    },
  ],
};

/** A small strict check of XML 1.0 well-formedness: tags balance, attributes are quoted, entities known, characters allowed. */
function assertWellFormed(xml: string): void {
  expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, "");
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    if (m[6] !== undefined) throw new Error(`stray < at ${m.index}`);
    const chunk = m[5] ?? m[3] ?? "";
    for (const entity of chunk.matchAll(/&([^;]*);?/g)) {
      expect(["amp", "lt", "gt", "quot", "apos", "#10", "#13", "#9"]).toContain(entity[1]);
      expect(entity[0].endsWith(";")).toBe(true);
    }
    if (m[5] !== undefined) {
      expect(m[5]).not.toContain(">");
      continue;
    }
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name as string);
  }
  expect(stack).toEqual([]);
}

function unescapeXml(value: string): string {
  return value
    .replace(/&#10;/g, "\n")
    .replace(/&#13;/g, "\r")
    .replace(/&#9;/g, "\t")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

describe("renderJUnit", () => {
  const xml = renderJUnit(REPORT);

  it("is well-formed XML whatever the texts contain", () => {
    assertWellFormed(xml);
  });

  it("has one testcase per check, a testsuite per group, with counts and times", () => {
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain(
      '<testsuites name="stream-contract verify" tests="4" failures="2" errors="0" skipped="1" time="1.234" timestamp="2026-11-25T14:00:00.000Z">',
    );
    expect(xml).toContain('<testsuite name="verify › pact" tests="1" failures="0" errors="0" skipped="0" time="0.012"');
    expect(xml).toContain('<testsuite name="verify › conformance" tests="3" failures="2" errors="0" skipped="1" time="0.341"');
    expect(xml).toContain('<property name="target" value="http://127.0.0.1:4010?a=1&amp;b=2"/>');
  });

  it("renders a failure with its message, expected vs actual, seed and curl repro", () => {
    const testcase = xml.slice(xml.indexOf('name="conformance › create: invalid Track is rejected"'));
    const failure = testcase.slice(0, testcase.indexOf("</failure>"));
    expect(failure).toContain(
      '<failure message="2xx answer to an invalid request" type="ContractViolation">1 of 100 requests broke the contract',
    );
    expect(failure).toContain("expected: 4xx with a Twilio error body\nactual:   201 Created");
    expect(failure).toContain('counterexample: {"Track":"both","big":"10n"}');
    expect(failure).toContain("replay: --seed 42 (path 3:1)");
    expect(unescapeXml(failure)).toContain(`repro:\n${REPORT.outcomes[1]?.failures[0]?.curl}`);
  });

  it("renders a run that could not finish as an error, never as a green suite, with the notices", () => {
    const broken = renderJUnit({
      ...REPORT,
      outcomes: [],
      runError: "cannot connect to http://127.0.0.1:9/: connection refused",
      notices: ["no --states-url: checks skipped"],
    });
    assertWellFormed(broken);
    expect(broken).toMatch(/<testsuites [^>]*tests="1" failures="0" errors="1"/);
    expect(broken).toContain('<error message="cannot connect to http://127.0.0.1:9/: connection refused" type="RunError">');
    expect(broken).toContain('<property name="notice" value="no --states-url: checks skipped"/>');
  });

  it("renders a skipped check with its reason", () => {
    expect(xml).toContain('<skipped message="no --states-url: the check needs provider states"/>');
  });

  it("escapes attribute values so they read back exactly (invalid characters replaced)", () => {
    const name = /<testcase name="(weird [^"]*)"/.exec(xml)?.[1] ?? "";
    expect(unescapeXml(name)).toBe(`weird ${NASTY}`.replace("\u0001", "\uFFFD").replace("\uD800", "\uFFFD"));
    const message = /<failure message="(a &lt;[^"]*)"/.exec(xml)?.[1] ?? "";
    expect(unescapeXml(message)).toBe(NASTY.replace("\u0001", "\uFFFD").replace("\uD800", "\uFFFD"));
  });
});

describe("safeJson", () => {
  it("writes an object reached twice side by side both times", () => {
    const a = { n: 1 };
    expect(JSON.parse(safeJson({ x: a, y: a, list: [a, a] }))).toEqual({ x: { n: 1 }, y: { n: 1 }, list: [{ n: 1 }, { n: 1 }] });
  });

  it("cuts only a real cycle, and writes bigints", () => {
    const node: Record<string, unknown> = { big: 10n };
    node.self = node;
    node.child = { parent: node, sibling: [node] };
    expect(JSON.parse(safeJson(node))).toEqual({
      big: "10n",
      self: "[circular]",
      child: { parent: "[circular]", sibling: ["[circular]"] },
    });
  });
});

describe("renderJsonReport", () => {
  it("is the report with a summary, parseable, bigints as strings", () => {
    const document = JSON.parse(renderJsonReport(REPORT));
    expect(document.reportVersion).toBe(1);
    expect(document.summary).toEqual({ total: 4, passed: 1, failed: 2, skipped: 1 });
    expect(document.outcomes).toHaveLength(4);
    expect(document.outcomes[1].failures[0]).toMatchObject({
      curl: REPORT.outcomes[1]?.failures[0]?.curl,
      seed: 42,
      counterexample: { Track: "both", big: "10n" },
    });
    expect(document.outcomes[2].name).toBe(`weird ${NASTY}`);
  });
});

describe("--report targets", () => {
  it("reads junit:<path> and json:<path>, refuses anything else", () => {
    expect(parseReportTarget("junit:reports/verify.xml")).toEqual({ format: "junit", path: "reports/verify.xml" });
    expect(parseReportTarget("json:C:/x.json")).toEqual({ format: "json", path: "C:/x.json" });
    expect(parseReportTarget("xml:out.xml")).toBe('--report "xml:out.xml": expected junit:<path>, json:<path> or html:<path>');
    expect(parseReportTarget("junit")).toContain("expected junit:<path>");
    expect(parseReportTarget("json:")).toContain("the path is missing");
  });

  it("writes each report, creating directories", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reports-"));
    await writeReports(REPORT, [
      { format: "junit", path: join(dir, "a/b/junit.xml") },
      { format: "json", path: join(dir, "report.json") },
    ]);
    expect(await readFile(join(dir, "a/b/junit.xml"), "utf8")).toBe(renderJUnit(REPORT));
    expect(JSON.parse(await readFile(join(dir, "report.json"), "utf8")).summary.failed).toBe(2);
  });
});
