/**
 * The `--report junit:<path>` / `json:<path>` / `html:<path>` option (repeatable) that every
 * command running checks shares: parsed before the run, so that a typo fails at once, written after it.
 */
import { parseReportTarget, type ReportTarget, writeReports } from "../report/write.js";
import type { RunReport } from "../report/types.js";
import { UsageError } from "./exit.js";
import { type OptionHelp, optionsHelp } from "./help.js";
import { err } from "./output.js";

/** The option's parseArgs definition: `...reportOption` in a command's options. */
export const reportOption = { report: { type: "string", multiple: true } } as const;

/** The option's row of a help text's option table (optionsHelp). */
export const REPORT_HELP: OptionHelp = [
  "--report FORMAT:PATH",
  "also write the results as junit:<path> (JUnit XML,\nfor CI), json:<path> or html:<path> (one\nself-contained page to open in a browser); repeatable",
];

/** The option's help lines, its description starting at column `width`. */
export function reportHelp(width: number): string {
  return optionsHelp([REPORT_HELP], width);
}

/** The targets of the given `--report` values; a usage error for a malformed one. */
export function reportTargets(values: readonly string[] | undefined): ReportTarget[] {
  return (values ?? []).map((spec) => {
    const target = parseReportTarget(spec);
    if (typeof target === "string") throw new UsageError(target);
    return target;
  });
}

/** Writes the reports; a usage error (exit 2) when one cannot be written. */
export async function writeRequestedReports(report: RunReport, targets: readonly ReportTarget[]): Promise<void> {
  if (targets.length === 0) return;
  try {
    await writeReports(report, targets);
  } catch (error) {
    throw new UsageError(`cannot write the report: ${(error as Error).message}`);
  }
  for (const target of targets) err(`wrote ${target.format} report to ${target.path}\n`);
}
