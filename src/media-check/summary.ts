/**
 * The console summary of a check-media-server run, in verify's style: every check with its
 * result, each failure with expected vs actual, the shrunk session and how to replay it.
 */
import { renderCoverageText } from "../report/coverage.js";
import { MARK } from "../runner/outcome.js";
import { renderFailure } from "../verify/summary.js";
import type { MediaCheckReport } from "./run.js";

/** The whole summary, one string (stdout). */
export function renderMediaCheckSummary(report: MediaCheckReport): string {
  const out = [`stream-contract check-media-server ${report.target} — seed ${report.seed}, ${report.runs} session(s) per check`];
  for (const notice of report.notices) out.push(`note: ${notice}`);
  if (report.runError !== undefined) out.push("", `error: ${report.runError}`);
  if (report.outcomes.length > 0) out.push("", "Media Streams checks");
  for (const o of report.outcomes)
    out.push(`  ${MARK[o.status]} ${o.name}${o.status !== "failed" && o.message !== undefined ? ` (${o.message})` : ""}`);
  if (report.calls !== undefined && report.calls.length > 0) {
    out.push("", "Real-time calls");
    for (const call of report.calls) {
      out.push(
        `  ${call.failed ? "FAIL" : "    "} ${call.name} (${(call.durationMs / 1000).toFixed(1)} s): ${call.error ?? call.measured}`,
      );
      if (call.evidence !== undefined) out.push(`       evidence: ${call.evidence.trace}, ${call.evidence.recording}`);
    }
  }
  const failed = report.outcomes.filter((o) => o.status === "failed");
  const count = (status: "passed" | "failed" | "skipped") => report.outcomes.filter((o) => o.status === status).length;
  if (failed.length > 0) {
    out.push("", "Failures:");
    failed.forEach((o, index) => {
      out.push("", `${index + 1}) ${o.name}`);
      for (const failure of o.failures) out.push(...renderFailure(failure, o));
    });
  }
  if (report.runError === undefined) out.push("", renderCoverageText(report.coverage).trimEnd());
  // A run whose every check was skipped tested nothing: not conformant.
  const verdict =
    report.runError !== undefined || (failed.length === 0 && count("passed") === 0)
      ? "NOT CHECKED"
      : failed.length > 0
        ? "PROTOCOL VIOLATED"
        : "CONFORMANT";
  out.push(
    "",
    `${verdict}: ${count("passed")} passed, ${count("failed")} failed${count("skipped") > 0 ? `, ${count("skipped")} skipped` : ""}; ${report.sessions} session(s) and upgrade(s)${report.calls !== undefined && report.calls.length > 0 ? `, ${report.calls.length} real-time call(s)` : ""} in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  return `${out.join("\n")}\n`;
}
