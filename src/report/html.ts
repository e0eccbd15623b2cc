/**
 * A RunReport as one self-contained HTML page (`--report html:<path>`), for the person who must
 * find out why a check failed: the summary, every check, every failure with expected vs actual,
 * its counterexample, the flags that replay it and the curl command of its request, and for
 * check-media-server's real-time calls a timeline each, both sides playable (timeline.ts). It
 * opens from a CI artifact download: no script, no stylesheet, font or image from anywhere, and
 * a Content-Security-Policy that lets the page load nothing but the calls' audio from its own
 * `data:` URIs (an injected `<script>` would not run even if escaping failed). Keyboard: native `<details>`/`<summary>` and a checkbox
 * that shows only the failed checks (CSS `:has()`, no JavaScript). Light and dark with the
 * reader's `prefers-color-scheme`.
 *
 * The page is a list of sections, each a function of the report: a section of its own is one
 * more function in SECTIONS.
 */
import { safeJson } from "./junit.js";
import { type CheckFailure, type CheckOutcome, type RunReport } from "./types.js";
import { coverageHeadline } from "./coverage.js";
import { replayFlags } from "./replay.js";
import { text } from "./escape.js";
import { callsSection, TIMELINE_STYLE } from "./timeline.js";

/** Longest counterexample shown (pretty JSON); the JSON report has the whole of it. */
const MAX_COUNTEREXAMPLE = 16_384;

/** Renders `report` as an HTML document. */
export function renderHtmlReport(report: RunReport): string {
  const failed = report.outcomes.filter((o) => o.status === "failed").length;
  const verdict = report.runError !== undefined ? "not finished" : failed > 0 ? "failed" : "passed";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; media-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${text(`stream-contract ${report.tool}: ${verdict}`)}</title>
<style>${STYLE}${TIMELINE_STYLE}</style>
</head>
<body>
<main>
${SECTIONS.map((section) => section(report)).join("")}</main>
</body>
</html>
`;
}

/** The page's sections, in order. */
const SECTIONS: readonly ((report: RunReport) => string)[] = [summarySection, coverageSection, checksSection, callsSection];

function summarySection(report: RunReport): string {
  const count = (status: CheckOutcome["status"]) => report.outcomes.filter((o) => o.status === status).length;
  const failed = count("failed");
  const verdict = report.runError !== undefined ? "failed" : failed > 0 ? "failed" : "passed";
  const words = report.runError !== undefined ? "the run did not finish" : failed > 0 ? `${failed} check(s) failed` : "every check passed";
  const rows: [string, string][] = [
    ["target", report.target],
    ["started", report.startedAt],
    ["duration", `${(report.durationMs / 1000).toFixed(1)} s`],
    ["checks", `${report.outcomes.length}: ${count("passed")} passed, ${failed} failed, ${count("skipped")} skipped`],
  ];
  return `<header>
<h1>stream-contract ${text(report.tool)} <span class="verdict ${verdict}">${text(words)}</span></h1>
<dl class="facts">${rows.map(([term, value]) => `<dt>${text(term)}</dt><dd>${text(value)}</dd>`).join("")}</dl>
${report.runError === undefined ? "" : `<p class="run-error" role="alert"><strong>The run did not finish:</strong> ${text(report.runError)}</p>`}
${(report.notices ?? []).length === 0 ? "" : `<ul class="notices">${(report.notices ?? []).map((n) => `<li>${text(n)}</li>`).join("")}</ul>`}
${failed > 0 ? `<p><a href="#failure-1">First failure</a></p>` : ""}
</header>
`;
}

function coverageSection({ coverage }: RunReport): string {
  if (coverage === undefined) return "";
  const rows = coverage.parts.map(
    (part) =>
      `<tr class="${part.count > 0 ? "passed" : "missed"}"><td><code>${text(part.id)}</code></td><td>${text(part.kind)}</td><td>${text(part.label)}</td><td>${part.count > 0 ? `✔ ×${part.count}` : "not exercised"}</td></tr>`,
  );
  return `<section class="coverage">
<h2>Coverage: ${text(coverageHeadline(coverage))}</h2>
<p class="message">The percentage is of ${text(coverage.denominator)}.</p>
<table><thead><tr><th scope="col">part</th><th scope="col">kind</th><th scope="col">what</th><th scope="col">exercised</th></tr></thead>
<tbody>${rows.join("")}</tbody></table>
</section>
`;
}

function checksSection(report: RunReport): string {
  const groups = new Map<string, CheckOutcome[]>();
  for (const outcome of report.outcomes) groups.set(outcome.group, [...(groups.get(outcome.group) ?? []), outcome]);
  let failureNumber = 0;
  const body = [...groups]
    .map(([group, outcomes]) => {
      const checks = outcomes.map((outcome) => {
        const id = outcome.status === "failed" ? ` id="failure-${++failureNumber}"` : "";
        return checkDetails(outcome, id);
      });
      return `<section><h3>${text(group)}</h3>\n${checks.join("\n")}\n</section>`;
    })
    .join("\n");
  return `<section class="checks">
<h2>Checks</h2>
<p><label><input type="checkbox" id="only-failed"> show only the failed checks</label></p>
${body}
</section>
`;
}

const MARKS: Record<CheckOutcome["status"], string> = { passed: "✔", failed: "✘", skipped: "○" };

function checkDetails(outcome: CheckOutcome, id: string): string {
  const open = outcome.status === "failed" ? " open" : "";
  const message = outcome.message === undefined ? "" : ` <span class="message">${text(oneLine(outcome.message))}</span>`;
  const head = `<summary><span class="mark" aria-hidden="true">${MARKS[outcome.status]}</span> <span class="status">${outcome.status}</span> ${text(outcome.name)}${message}</summary>`;
  const failures = outcome.failures.map((failure) => failureBlock(failure, outcome)).join("\n");
  // The whole message, unless the one failure below says the same.
  const said = outcome.message === undefined || (outcome.failures.length === 1 && outcome.failures[0]?.message === outcome.message);
  const inside = `${said && failures !== "" ? "" : `<p class="message">${text(outcome.message ?? outcome.status)}</p>\n`}${failures}`;
  return `<details class="check ${outcome.status}"${id}${open}>${head}\n${inside}\n</details>`;
}

/** Longest message on a check's summary line; the whole of it is inside. */
const MAX_SUMMARY_MESSAGE = 120;

function oneLine(message: string): string {
  const line = message.split("\n")[0] as string;
  return line.length > MAX_SUMMARY_MESSAGE ? `${line.slice(0, MAX_SUMMARY_MESSAGE - 1)}…` : line;
}

function failureBlock(failure: CheckFailure, outcome: CheckOutcome): string {
  const parts = [`<p class="failure-message">${text(failure.message)}</p>`];
  const pairs: [string, string | undefined][] = [
    ["expected", failure.expected],
    ["actual", failure.actual],
  ];
  const given = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
  if (given.length > 0) parts.push(`<dl class="diff">${given.map(([t, v]) => `<dt>${t}</dt><dd>${text(v)}</dd>`).join("")}</dl>`);
  if (failure.counterexample !== undefined) parts.push(block("counterexample (shrunk)", counterexampleText(failure.counterexample)));
  const replay = replayFlags(failure, outcome);
  if (replay !== undefined) parts.push(block("replay: add to the same command", replay, "replay"));
  if (failure.curl !== undefined) parts.push(block("the request, as curl", failure.curl, "curl"));
  return `<div class="failure">${parts.join("\n")}</div>`;
}

function block(label: string, content: string, kind = "value"): string {
  return `<figure class="${kind}"><figcaption>${text(label)}</figcaption><pre><code>${text(content)}</code></pre></figure>`;
}

function counterexampleText(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(JSON.parse(safeJson(value)), null, 2);
  } catch {
    json = String(value);
  }
  return json.length > MAX_COUNTEREXAMPLE ? `${json.slice(0, MAX_COUNTEREXAMPLE)}\n… (cut; --report json:<path> has all of it)` : json;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--code:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--skip:#9a6700;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--code:#151b23;--pass:#3fb950;--fail:#f85149;--skip:#d29922;--link:#4493f8}}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.2rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}h3{font-size:1rem;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
a{color:var(--link)}
.verdict{font-size:.9rem;padding:.1rem .5rem;border-radius:1rem;border:1px solid;vertical-align:middle}
.verdict.passed,.passed>summary .mark{color:var(--pass)}.verdict.failed,.failed>summary .mark,.run-error strong{color:var(--fail)}.skipped>summary .mark{color:var(--skip)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0}.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.notices{color:var(--muted)}
details.check{border:1px solid var(--line);border-radius:6px;margin:.4rem 0;padding:.3rem .7rem}
details.failed{border-color:var(--fail)}
summary{cursor:pointer;overflow-wrap:anywhere}summary:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid var(--link);outline-offset:2px}
.status{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.message{color:var(--muted);overflow-wrap:anywhere}
.failure{border-top:1px solid var(--line);margin-top:.5rem;padding-top:.3rem}
.failure-message{font-weight:600;overflow-wrap:anywhere}
.diff{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}.diff dd{margin:0;font-family:ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
figure{margin:.5rem 0}figcaption{color:var(--muted);font-size:.85rem}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.5rem;margin:.2rem 0;overflow:auto;max-height:24rem;white-space:pre-wrap;overflow-wrap:anywhere}
code{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
table{border-collapse:collapse}th,td{border:1px solid var(--line);padding:.2rem .6rem;text-align:left}tr.passed td:last-child{color:var(--pass)}tr.missed td:last-child{color:var(--fail)}
body:has(#only-failed:checked) details.check:not(.failed){display:none}
`
  .trim()
  .replace(/\n/g, "");
