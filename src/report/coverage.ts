/**
 * Contract coverage as a report shows it: which parts of the contract (src/contract/coverage.ts)
 * a run exercised, of how many, as a console table; and its gate (`--min-coverage PCT`,
 * `--require ID,…`) as one more check of the run, so that every report shows why it failed.
 */
import type { ContractPart } from "../contract/coverage.js";
import type { CheckOutcome, Coverage } from "./types.js";

/** The coverage of `parts` by `counts` (how often each part id was exercised). */
export function coverageOf(of: string, parts: readonly ContractPart[], counts: ReadonlyMap<string, number>, leftOut?: string): Coverage {
  const covered = parts.map((part) => ({ ...part, count: counts.get(part.id) ?? 0 }));
  const exercised = covered.filter((part) => part.count > 0).length;
  const kinds = new Map<string, number>();
  for (const part of parts) kinds.set(part.kind, (kinds.get(part.kind) ?? 0) + 1);
  const byKind = [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "s"}`).join(", ");
  return {
    of,
    parts: covered,
    exercised,
    percent: parts.length === 0 ? 0 : Math.floor((1000 * exercised) / parts.length) / 10,
    denominator: `${parts.length} parts (${byKind})${leftOut === undefined ? "" : `; ${leftOut}`}`,
  };
}

/** The headline: `Coverage: 12 of 18 parts (66.6 %) of …`. */
export function coverageHeadline(coverage: Coverage): string {
  return `${coverage.exercised} of ${coverage.parts.length} parts (${coverage.percent} %) of ${coverage.of}`;
}

/** The console table: each part, exercised (how often) or not, then the denominator. */
export function renderCoverageText(coverage: Coverage): string {
  const idWidth = Math.max(...coverage.parts.map((part) => part.id.length), 4);
  const lines = [`Coverage: ${coverageHeadline(coverage)}`];
  for (const part of coverage.parts)
    lines.push(
      `  ${part.count > 0 ? "✔" : "·"} ${part.id.padEnd(idWidth)}  ${part.count > 0 ? `×${part.count}`.padEnd(7) : "-      "}${part.label}`,
    );
  lines.push(`  (the percentage is of ${coverage.denominator})`);
  return `${lines.join("\n")}\n`;
}

/** What the run must have exercised. */
export interface CoverageGate {
  /** The least percentage (0–100). */
  readonly minPercent?: number;
  /** Part ids (as the catalogue spells them) that must have been exercised. */
  readonly required: readonly string[];
}

/**
 * The ids of `names` in `parts` (matched without regard to case), or the problem: an unknown
 * name, with the names there are.
 */
export function requiredParts(names: readonly string[], parts: readonly ContractPart[]): string[] | string {
  const ids: string[] = [];
  for (const name of names) {
    const part = parts.find((p) => p.id.toLowerCase() === name.toLowerCase());
    if (part === undefined) return `unknown part ${JSON.stringify(name)}; the parts are ${parts.map((p) => p.id).join(", ")}`;
    ids.push(part.id);
  }
  return ids;
}

/** The gate as a check of the run: failed when the coverage is under the threshold or a required part was not exercised. */
export function coverageGateOutcome(coverage: Coverage, gate: CoverageGate): CheckOutcome {
  const wants = [
    ...(gate.minPercent === undefined ? [] : [`at least ${gate.minPercent} %`]),
    ...(gate.required.length === 0 ? [] : [`${gate.required.join(", ")} exercised`]),
  ];
  const name = `coverage › ${wants.join(" and ")}`;
  const failures = [];
  if (gate.minPercent !== undefined && coverage.percent < gate.minPercent)
    failures.push({
      message: `coverage ${coverage.percent} % is under --min-coverage ${gate.minPercent} %`,
      expected: `at least ${gate.minPercent} % of ${coverage.denominator}`,
      actual: `${coverage.exercised} exercised (${coverage.percent} %); not exercised: ${coverage.parts
        .filter((p) => p.count === 0)
        .map((p) => p.id)
        .join(", ")}`,
    });
  const missing = gate.required.filter((id) => (coverage.parts.find((p) => p.id === id)?.count ?? 0) === 0);
  if (missing.length > 0)
    failures.push({
      message: `not exercised: ${missing.join(", ")}`,
      expected: `${gate.required.join(", ")} exercised`,
      actual: `${missing.join(", ")} never`,
    });
  return {
    name,
    group: "coverage",
    status: failures.length === 0 ? "passed" : "failed",
    durationMs: 0,
    message: coverageHeadline(coverage),
    failures,
  };
}
