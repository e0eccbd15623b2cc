/**
 * `--report junit:<path>` / `json:<path>` / `html:<path>`: which reports a run writes, and writing them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { renderHtmlReport } from "./html.js";
import { renderJsonReport } from "./json.js";
import { renderJUnit } from "./junit.js";
import type { RunReport } from "./types.js";
import { redact } from "../secrets.js";

/** The report formats and their renderers. */
const REPORT_FORMATS = { junit: renderJUnit, json: renderJsonReport, html: renderHtmlReport } as const;

type ReportFormat = keyof typeof REPORT_FORMATS;

/** One report to write. */
export interface ReportTarget {
  readonly format: ReportFormat;
  readonly path: string;
}

/** Reads `junit:<path>`, `json:<path>` or `html:<path>`; a string (the problem) when it is none of them. */
export function parseReportTarget(spec: string): ReportTarget | string {
  const colon = spec.indexOf(":");
  const format = spec.slice(0, colon);
  const path = spec.slice(colon + 1);
  if (colon < 0 || !Object.hasOwn(REPORT_FORMATS, format))
    return `--report ${JSON.stringify(spec)}: expected junit:<path>, json:<path> or html:<path>`;
  if (path === "") return `--report ${spec}: the path is missing`;
  return { format: format as ReportFormat, path };
}

/** Writes every report, creating directories as needed. */
export async function writeReports(report: RunReport, targets: readonly ReportTarget[]): Promise<void> {
  for (const target of targets) {
    await mkdir(dirname(target.path), { recursive: true });
    // The sink: every string of the report redacted, then the rendered text (an encoding the renderer added).
    await writeFile(target.path, redact(REPORT_FORMATS[target.format](redactedReport(report))));
  }
}

/** The report with every string in it redacted. */
function redactedReport(report: RunReport): RunReport {
  try {
    return redactStrings(report);
  } catch {
    return report; // a value JSON cannot carry: the rendered text is still redacted
  }
}

function redactStrings(report: RunReport): RunReport {
  return JSON.parse(
    JSON.stringify(report, (_key, value: unknown) =>
      typeof value === "string" ? redact(value) : typeof value === "bigint" ? `${value}n` : value,
    ),
  ) as RunReport;
}
