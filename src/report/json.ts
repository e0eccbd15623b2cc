/**
 * A RunReport as JSON, for tools of the user's own: the report as it is, plus the counts a
 * dashboard wants first.
 */
import { safeJson } from "./junit.js";
import type { CallTimeline, RunReport } from "./types.js";

/** The document `--report json:<path>` writes. */
interface JsonReport extends RunReport {
  /** Version of this document's shape. */
  readonly reportVersion: 1;
  readonly summary: { readonly total: number; readonly passed: number; readonly failed: number; readonly skipped: number };
}

/** Renders `report` as pretty-printed JSON (bigints as `"123n"`, cycles cut). */
export function renderJsonReport(report: RunReport): string {
  const count = (status: string) => report.outcomes.filter((o) => o.status === status).length;
  const document: JsonReport = {
    reportVersion: 1,
    summary: { total: report.outcomes.length, passed: count("passed"), failed: count("failed"), skipped: count("skipped") },
    ...report,
    // The calls' timelines without their audio: the HTML page embeds it, the JSON stays small.
    ...(report.calls === undefined
      ? {}
      : {
          calls: report.calls.map((call) => (call.timeline === undefined ? call : { ...call, timeline: withoutAudio(call.timeline) })),
        }),
  };
  return `${JSON.stringify(JSON.parse(safeJson(document)), null, 2)}\n`;
}

function withoutAudio({ audio: _audio, ...timeline }: CallTimeline): CallTimeline {
  return timeline;
}
