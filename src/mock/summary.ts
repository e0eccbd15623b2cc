/**
 * The console summary of a client check: a table of the requests by operation and status, then
 * the violations, each with its issues.
 */
import type { MediaSessionRecord } from "../dialer/session.js";
import type { ClientRecord } from "./report.js";

/** Violations printed in full; the rest are counted. */
const MAX_PRINTED = 20;

/** The summary text, ending with a newline. `total*` count past the journal's limit. */
export function renderClientSummary(record: ClientRecord & { totalRequests: number; totalViolations: number }): string {
  const rows: string[][] = [["operation", "requests", "answered", "violations"]];
  for (const operation of ["CreateStream", "UpdateStream", undefined] as const) {
    const requests = record.requests.filter((r) => r.operation === operation);
    if (requests.length === 0 && operation === undefined) continue;
    const statuses = new Map<number, number>();
    for (const r of requests) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    const answered = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(", ") || "-";
    rows.push([operation ?? "(no Stream path)", String(requests.length), answered, String(requests.filter((r) => r.violation).length)]);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  const table = rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd());
  const lines = [`${record.totalRequests} request(s), ${record.totalViolations} violation(s)`, "", ...table];
  if (record.violations.length > 0) {
    lines.push("", "Violations:");
    record.violations.slice(0, MAX_PRINTED).forEach((v, index) => {
      lines.push(`  ${index + 1}. ${v.method} ${v.path} → ${v.status} (${v.kind})`);
      for (const issue of v.issues) lines.push(`     ${issue.message}`);
    });
    const rest = record.totalViolations - Math.min(MAX_PRINTED, record.violations.length);
    if (rest > 0) lines.push(`  … and ${rest} more (--report json:<path> lists them)`);
  }
  if (record.callbacks !== undefined && record.callbacks.length > 0) {
    const byOutcome = new Map<string, number>();
    for (const c of record.callbacks) byOutcome.set(c.outcome, (byOutcome.get(c.outcome) ?? 0) + 1);
    lines.push("", `Status callbacks: ${record.callbacks.length} (${[...byOutcome].map(([outcome, n]) => `${outcome}×${n}`).join(", ")})`);
    const failed = record.callbacks.filter((c) => c.outcome !== "delivered" && c.outcome !== "slow");
    failed.slice(0, MAX_PRINTED).forEach((c, index) => lines.push(`  ${index + 1}. ${c.event} ${c.method} ${c.url} → ${c.outcome}: ${c.message}`));
    if (failed.length > MAX_PRINTED) lines.push(`  … and ${failed.length - MAX_PRINTED} more (--report json:<path> lists them)`);
  }
  return `${lines.join("\n")}\n`;
}

/** The summary of the Streams the mock dialled: one line each, then their violations. */
export function renderMediaSummary(sessions: readonly MediaSessionRecord[]): string {
  const lines = [`Media Streams: ${sessions.length} Stream(s), ${sessions.filter((s) => s.state !== "not-dialled").length} dialled`];
  for (const s of sessions.slice(-MAX_PRINTED)) {
    lines.push(`  ${s.streamSid} ${s.url} — ${s.state}${s.reason === undefined ? "" : ` (${s.reason})`}, ${s.mediaSent} media message(s)`);
    for (const v of s.violations) lines.push(`     ${v.code} ${v.title}: ${v.message}`);
  }
  if (sessions.length > MAX_PRINTED) lines.push(`  … and ${sessions.length - MAX_PRINTED} more (--report json:<path> lists them)`);
  return `${lines.join("\n")}\n`;
}
