/**
 * The coverage gate's options, shared by `check-client`, `mock` and `check-media-server`:
 * `--min-coverage PCT` and `--require PARTS`, read before the run (an unknown part is a usage
 * error at once), applied after it as one more check of the run.
 */
import type { ContractPart } from "../contract/coverage.js";
import { type CoverageGate, requiredParts } from "../report/coverage.js";
import { UsageError } from "./exit.js";
import type { OptionHelp } from "./help.js";
import { integerFlag } from "./numbers.js";

/** The options' parseArgs definitions: `...coverageOptions` in a command's options. */
export const coverageOptions = { "min-coverage": { type: "string" }, require: { type: "string", multiple: true } } as const;

/** The options' rows of a help text's option table. */
export const COVERAGE_HELP: readonly OptionHelp[] = [
  [
    "--min-coverage PCT",
    "fail (exit 1) when less than PCT % (0-100) of the contract's parts\nwere exercised (the coverage table in the summary)",
  ],
  [
    "--require PARTS",
    "fail (exit 1) unless each part named was exercised, comma-separated,\ne.g. create,stop-by-name,Track=both_tracks; repeatable",
  ],
];

/** The gate the options ask for, against `parts`; undefined when they ask for none. */
export function coverageGate(
  values: { readonly "min-coverage"?: string | undefined; readonly require?: readonly string[] | undefined },
  parts: readonly ContractPart[],
): CoverageGate | undefined {
  const minPercent = integerFlag(values["min-coverage"], "--min-coverage", { min: 0, max: 100 });
  const names = (values.require ?? []).flatMap((value) => value.split(",")).map((name) => name.trim());
  if (names.includes("")) throw new UsageError("--require: an empty part name; give ids such as create,stop-by-name");
  const required = requiredParts(names, parts);
  if (typeof required === "string") throw new UsageError(`--require: ${required}`);
  if (minPercent === undefined && required.length === 0) return undefined;
  return { ...(minPercent === undefined ? {} : { minPercent }), required };
}
