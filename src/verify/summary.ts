/**
 * The console summary of a verify run, rendered from its report: every check with its result,
 * then each failure (expected vs actual, the request as curl, the shrunk counterexample and how
 * to replay it). Failures a diagnosis explains (nearly all 401, nearly all 404) are listed by
 * name only, under the hint: one cause, one message.
 */
import { cutRedacted } from "../secrets.js";
import { replayFlags } from "../report/replay.js";
import { MARK } from "../runner/outcome.js";
import type { CheckFailure, CheckOutcome, RunReport } from "../report/types.js";
import type { VerifyReport } from "./run.js";

const MAX_COUNTEREXAMPLE = 600;
const GROUP_TITLES: Readonly<Record<string, string>> = {
  pact: "Pact verification",
  conformance: "Conformance checks",
  callbacks: "Status callbacks",
  receiver: "Status callback receiver",
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function indent(text: string, by: string): string {
  return text.split("\n").join(`\n${by}`);
}

/** One failure's lines: message, expected vs actual, curl, counterexample, how to replay it. */
export function renderFailure(failure: CheckFailure, outcome: CheckOutcome): string[] {
  const lines = [`   ${indent(failure.message, "   ")}`];
  if (failure.expected !== undefined) lines.push(`   expected: ${indent(failure.expected, "             ")}`);
  if (failure.actual !== undefined) lines.push(`   actual:   ${indent(failure.actual, "             ")}`);
  if (failure.curl !== undefined) lines.push(`   request:  ${failure.curl}`);
  if (failure.counterexample !== undefined) {
    const json = JSON.stringify(failure.counterexample) ?? "undefined";
    lines.push(`   counterexample (shrunk): ${cutRedacted(json, MAX_COUNTEREXAMPLE)}`);
  }
  if (failure.seed !== undefined) {
    lines.push(
      `   replay:   seed ${failure.seed}${failure.replayPath === undefined ? "" : `, path ${failure.replayPath}`} — add ${replayFlags(failure, outcome)} to the same command`,
    );
  }
  return lines;
}

/** What the summary shows: a verify run, or a run of a command with the same shape (check-status-callback). */
export type SummaryReport = Omit<VerifyReport, "tool"> & Pick<RunReport, "tool">;

/** The whole summary, one string (stdout). */
export function renderSummary(report: SummaryReport): string {
  const out: string[] = [
    `stream-contract ${report.tool} ${report.target} — seed ${report.seed}, ${plural(report.runs, report.coverageExamples === undefined ? "sample" : "random sample")} per check`,
  ];
  if (report.coverageExamples !== undefined)
    out.push(
      `coverage phase: ${plural(report.coverageExamples, "deterministic example")} (every server rule and check, whatever the seed) before them`,
    );
  for (const notice of report.notices) out.push(`note: ${notice}`);
  if (report.runError !== undefined) {
    out.push("", `error: ${report.runError}`);
  }
  const groups = [...new Set(report.outcomes.map((o) => o.group))];
  for (const group of groups) {
    out.push("", GROUP_TITLES[group] ?? group);
    for (const o of report.outcomes.filter((x) => x.group === group)) {
      const extra =
        o.status === "skipped" ? ` — ${o.message ?? "skipped"}` : o.status === "passed" && o.message !== undefined ? ` (${o.message})` : "";
      out.push(`  ${MARK[o.status]} ${o.name}${extra}`);
    }
  }

  const explained = new Set(report.diagnoses.flatMap((d) => d.explains));
  const failed = report.outcomes.filter((o) => o.status === "failed");
  const detailed = failed.filter((o) => !explained.has(o.name));
  if (detailed.length > 0) {
    out.push("", "Failures:");
    detailed.forEach((o, index) => {
      out.push(``, `${index + 1}) ${o.name}`);
      for (const failure of o.failures) out.push(...renderFailure(failure, o));
    });
  }
  for (const d of report.diagnoses) {
    out.push(
      "",
      `Probably misconfigured: ${d.seen}.`,
      `   ${d.hint}.`,
      `   Failing for this reason (details left out): ${d.explains.join("; ")}`,
    );
  }

  const count = (status: CheckOutcome["status"]) => report.outcomes.filter((o) => o.status === status).length;
  const verdict = report.runError !== undefined ? "NOT VERIFIED" : failed.length > 0 ? "CONTRACT VIOLATED" : "CONFORMANT";
  out.push(
    "",
    `${verdict}: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped; ${plural(report.checkedRequests, "request")} checked in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return `${out.join("\n")}\n`;
}
