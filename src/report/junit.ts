/**
 * A RunReport as JUnit XML, the format CI systems render (GitHub Actions via test-reporter
 * actions, GitLab `artifacts:reports:junit`, Jenkins, CircleCI): one <testsuite> per group, one
 * <testcase> per check, <failure> with every failure's details and curl repro, <skipped> with
 * the reason, <system-out> with what a passed check saw and measured.
 */
import type { CheckFailure, CheckOutcome, RunReport } from "./types.js";

/** Renders `report` as a JUnit XML document. */
export function renderJUnit(report: RunReport): string {
  const groups = new Map<string, CheckOutcome[]>();
  for (const outcome of report.outcomes) groups.set(outcome.group, [...(groups.get(outcome.group) ?? []), outcome]);
  const errors = report.runError === undefined ? 0 : 1;
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${attr(`stream-contract ${report.tool}`)}" ${counts(report.outcomes, errors)} time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
  ];
  const properties = [
    `    <properties>`,
    `      <property name="target" value="${attr(report.target)}"/>`,
    ...(report.notices ?? []).map((notice) => `      <property name="notice" value="${attr(notice)}"/>`),
    `    </properties>`,
  ];
  // A run that could not finish is an error of its own, so that CI never shows it green.
  if (report.runError !== undefined) {
    lines.push(
      `  <testsuite name="${attr(`${report.tool} › run`)}" tests="1" failures="0" errors="1" skipped="0" time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
    );
    lines.push(...properties);
    lines.push(
      `    <testcase name="the run finishes" classname="${attr(`stream-contract.${report.tool}.run`)}" time="${seconds(report.durationMs)}">`,
    );
    lines.push(
      `      <error message="${attr(report.runError)}" type="RunError">${text(report.runError)}</error>`,
      `    </testcase>`,
      `  </testsuite>`,
    );
  }
  for (const [group, outcomes] of groups) {
    const time = outcomes.reduce((sum, o) => sum + o.durationMs, 0);
    lines.push(
      `  <testsuite name="${attr(`${report.tool} › ${group}`)}" ${counts(outcomes)} time="${seconds(time)}" timestamp="${attr(report.startedAt)}">`,
    );
    lines.push(...properties);
    for (const outcome of outcomes) lines.push(...testcase(report, outcome));
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`, "");
  return lines.join("\n");
}

function testcase(report: RunReport, outcome: CheckOutcome): string[] {
  const open = `    <testcase name="${attr(outcome.name)}" classname="${attr(`stream-contract.${report.tool}.${outcome.group}`)}" time="${seconds(outcome.durationMs)}"`;
  // A pass's message is what it saw and measured (sessions, examples, the calls' latencies): kept as its output.
  if (outcome.status === "passed")
    return outcome.message === undefined || outcome.message === ""
      ? [`${open}/>`]
      : [`${open}>`, `      <system-out>${text(outcome.message)}</system-out>`, `    </testcase>`];
  if (outcome.status === "skipped")
    return [`${open}>`, `      <skipped message="${attr(outcome.message ?? "skipped")}"/>`, `    </testcase>`];
  const first = outcome.failures[0]?.message ?? outcome.message ?? "failed";
  const body = [outcome.message, ...outcome.failures.map(failureText)].filter((part) => part !== undefined && part !== "").join("\n\n");
  return [`${open}>`, `      <failure message="${attr(first)}" type="ContractViolation">${text(body)}</failure>`, `    </testcase>`];
}

/** One failure as readable text: what, expected vs actual, how to replay it. */
function failureText(failure: CheckFailure): string {
  const lines = [failure.message];
  if (failure.expected !== undefined) lines.push(`expected: ${failure.expected}`);
  if (failure.actual !== undefined) lines.push(`actual:   ${failure.actual}`);
  if (failure.counterexample !== undefined) lines.push(`counterexample: ${safeJson(failure.counterexample)}`);
  if (failure.seed !== undefined)
    lines.push(`replay: --seed ${failure.seed}${failure.replayPath === undefined ? "" : ` (path ${failure.replayPath})`}`);
  if (failure.curl !== undefined) lines.push(`repro:\n${failure.curl}`);
  return lines.join("\n");
}

function counts(outcomes: readonly CheckOutcome[], errors = 0): string {
  const failures = outcomes.filter((o) => o.status === "failed").length;
  const skipped = outcomes.filter((o) => o.status === "skipped").length;
  return `tests="${outcomes.length + errors}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * JSON that survives bigint and cycles (counterexamples are arbitrary values). Only a real cycle
 * is cut — an object inside itself — so an object reached twice side by side (`{ x: a, y: a }`)
 * is written twice, as JSON.stringify would.
 */
export function safeJson(value: unknown): string {
  // The objects from the root down to the one being written: JSON.stringify calls the replacer
  // with `this` = the object holding the value, so everything above `this` is already done.
  const ancestors: object[] = [];
  return (
    JSON.stringify(value, function (this: unknown, _key, v: unknown) {
      if (typeof v === "bigint") return `${v}n`;
      if (v === null || typeof v !== "object") return v;
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (ancestors.includes(v)) return "[circular]";
      ancestors.push(v);
      return v;
    }) ?? String(value)
  );
}

// XML 1.0 §2.2: no control characters but tab, LF, CR; no U+FFFE/U+FFFF; no lone surrogates.
const NOT_XML_CHAR =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Character data: the five markup characters escaped, characters XML cannot carry replaced. */
function text(value: string): string {
  return value.replace(NOT_XML_CHAR, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An attribute value: as text, plus quotes, and line breaks kept (attribute normalisation would fold them). */
function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
