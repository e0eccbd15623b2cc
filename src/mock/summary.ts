/**
 * The console summary of a client check: a table of the requests by operation and status, then
 * the first violations, each with its first issues. Bounded (about 20 KB at most), however
 * many violations and issues there were: the report files have the rest.
 */
import type { MediaSessionRecord } from "../dialer/session.js";
import { urlForMessage } from "../secrets.js";
import { type ClientRecord, countOf } from "./report.js";

/** Violations printed; the rest are counted. */
const MAX_PRINTED = 20;
/** Issues printed per violation; the rest are counted. */
const MAX_ISSUES_PRINTED = 3;
/** Longest line printed (a path or an issue can be kilobytes long). */
const MAX_LINE = 240;

function line(text: string): string {
  return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text;
}

/** The summary text, ending with a newline. `total*` count past the journal's limit. */
export function renderClientSummary(record: ClientRecord & { totalRequests: number; totalViolations: number }): string {
  const rows: string[][] = [["operation", "requests", "answered", "violations"]];
  for (const operation of ["CreateStream", "UpdateStream", undefined] as const) {
    const requests = record.requests.filter((r) => r.operation === operation);
    if (requests.length === 0 && operation === undefined) continue;
    const statuses = new Map<number, number>();
    for (const r of requests) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const answered =
      [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(", ") || "-";
    rows.push([operation ?? "(no Stream path)", String(requests.length), answered, String(requests.filter((r) => r.violation).length)]);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const table = rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd());
  const lines = [`${record.totalRequests} request(s), ${record.totalViolations} violation(s)`, "", ...table];
  if (record.violations.length > 0) {
    lines.push("", "Violations:");
    record.violations.slice(0, MAX_PRINTED).forEach((v, index) => {
      lines.push(line(`  ${index + 1}. ${v.method} ${v.path} → ${v.status} (${v.kind})`));
      for (const issue of v.issues.slice(0, MAX_ISSUES_PRINTED)) lines.push(line(`     ${issue.message}`));
      const more = v.issues.length - Math.min(MAX_ISSUES_PRINTED, v.issues.length) + v.omittedIssues;
      if (more > 0) lines.push(`     … and ${more} more issue${more === 1 ? "" : "s"}`);
    });
    const rest = record.totalViolations - Math.min(MAX_PRINTED, record.violations.length);
    if (rest > 0) lines.push(`  … and ${rest} more (--report json:<path> lists them)`);
  }
  const callbacks = record.callbacks ?? [];
  const counts = Object.entries(record.callbackCounts ?? countOf(callbacks)).filter(([, n]) => n !== undefined && n > 0);
  if (counts.length > 0) {
    const sum = counts.reduce((n, [, count]) => n + (count ?? 0), 0);
    lines.push("", `Status callbacks: ${sum} (${counts.map(([outcome, n]) => `${outcome}×${n}`).join(", ")})`);
    const failed = callbacks.filter((c) => c.outcome !== "delivered" && c.outcome !== "slow");
    const failedCount = counts.reduce((n, [outcome, count]) => (outcome === "delivered" || outcome === "slow" ? n : n + (count ?? 0)), 0);
    failed
      .slice(0, MAX_PRINTED)
      .forEach((c, index) =>
        lines.push(line(`  ${index + 1}. ${c.event} ${c.method} ${urlForMessage(c.url)} → ${c.outcome}: ${c.message}`)),
      );
    const rest = failedCount - Math.min(MAX_PRINTED, failed.length);
    if (rest > 0) lines.push(`  … and ${rest} more (--report json:<path> lists them)`);
  }
  return `${lines.join("\n")}\n`;
}

/** The summary of the Streams the mock dialled: one line each, then their violations. */
export function renderMediaSummary(sessions: readonly MediaSessionRecord[]): string {
  const lines = [`Media Streams: ${sessions.length} Stream(s), ${sessions.filter((s) => s.state !== "not-dialled").length} dialled`];
  for (const s of sessions.slice(-MAX_PRINTED)) {
    lines.push(
      line(
        `  ${s.streamSid} ${urlForMessage(s.url)} — ${s.state}${s.reason === undefined ? "" : ` (${s.reason})`}, ${s.mediaSent} media message(s)`,
      ),
    );
    for (const v of s.violations.slice(0, MAX_ISSUES_PRINTED)) lines.push(line(`     ${v.code} ${v.title}: ${v.message}`));
    if (s.violations.length > MAX_ISSUES_PRINTED) lines.push(`     … and ${s.violations.length - MAX_ISSUES_PRINTED} more`);
  }
  if (sessions.length > MAX_PRINTED) lines.push(`  … and ${sessions.length - MAX_PRINTED} more (--report json:<path> lists them)`);
  return `${lines.join("\n")}\n`;
}
