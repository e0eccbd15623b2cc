/**
 * The contract's coverage of Twilio's OpenAPI document, as one Markdown table (`drift
 * --coverage-table`, docs/drift.md): for each Stream operation, every path parameter, body
 * parameter, response code and response property either side describes — whether Twilio's
 * document has it, whether the contract models it, and how the two compare (agree, an accepted
 * deviation, or drift), from the same facts and comparison as `drift` itself.
 */
import type { DriftReport } from "./compare.js";
import type { Fact } from "./facts.js";

/** The kinds of row, by the facts' `where` suffix, in the table's order. */
const KINDS: readonly (readonly [suffix: string, kind: string])[] = [
  [" path", "path parameter"],
  [" body", "body parameter"],
  [" responses", "response code"],
  [" error response", "error body property"],
  [" response", "response property"],
];

/** Names listed one by one on Twilio's side that the contract models with one pattern: one row. */
const CUSTOM_PARAMETER = /^Parameter\d+\.(?:Name|Value)$/;

interface Row {
  readonly operation: string;
  readonly kind: string;
  name: string;
  theirs: boolean;
  ours: boolean;
  readonly accepted: Set<string>;
  readonly drift: Set<string>;
  count: number;
}

/** The table, from both sides' facts and their comparison. */
export function coverageTable(ours: readonly Fact[], theirs: readonly Fact[], report: DriftReport): string {
  const rows = new Map<string, Row>();
  const rowOf = (where: string, name: string): Row | undefined => {
    const kind = KINDS.find(([suffix]) => where.endsWith(suffix));
    if (kind === undefined || name === "(object)") return undefined;
    const operation = where.slice(0, -kind[0].length);
    const custom = kind[1] === "body parameter" && CUSTOM_PARAMETER.test(name);
    const key = `${operation}\u0000${kind[1]}\u0000${custom ? "Parameter*" : name}`;
    let row = rows.get(key);
    if (row === undefined) {
      row = { operation, kind: kind[1], name, theirs: false, ours: false, accepted: new Set(), drift: new Set(), count: 0 };
      rows.set(key, row);
    }
    return row;
  };
  const whole = (f: Fact) => f.aspect === "present" || f.aspect === "documented";
  for (const f of theirs.filter(whole)) {
    const row = rowOf(f.where, f.name);
    if (row === undefined) continue;
    row.theirs = true;
    row.count++;
  }
  for (const f of ours.filter(whole)) {
    const row = rowOf(f.where, f.name);
    if (row !== undefined) row.ours = true;
  }
  const aspect = (a: string) => (a === "present" || a === "documented" ? "presence" : a);
  for (const { difference } of report.accepted) rowOf(difference.where, difference.name)?.accepted.add(aspect(difference.aspect));
  for (const difference of report.drift) rowOf(difference.where, difference.name)?.drift.add(aspect(difference.aspect));
  const lines = ["| operation | kind | name | Twilio's document | the contract | how they compare |", "|---|---|---|---|---|---|"];
  const order = (row: Row) => KINDS.findIndex(([, kind]) => kind === row.kind);
  const sorted = [...rows.values()].sort(
    (a, b) =>
      a.operation.localeCompare(b.operation) ||
      order(a) - order(b) ||
      (a.kind === "response code" ? a.name.localeCompare(b.name, "en", { numeric: true }) : 0),
  );
  for (const row of sorted) {
    if (row.count > 1 && CUSTOM_PARAMETER.test(row.name))
      row.name = `Parameter1.Name … Parameter${row.count / 2}.Value (${row.count} names)`;
    const compare =
      row.drift.size > 0
        ? `**drift**: ${[...row.drift].join(", ")}`
        : row.accepted.size > 0
          ? `accepted deviation: ${[...row.accepted].join(", ")}`
          : "agree";
    lines.push(
      `| ${row.operation} | ${row.kind} | \`${cell(row.name)}\` | ${row.theirs ? "documented" : "—"} | ${row.ours ? "modeled" : "—"} | ${compare} |`,
    );
  }
  const modeled = [...rows.values()].filter((row) => row.theirs && row.ours).length;
  const documented = [...rows.values()].filter((row) => row.theirs).length;
  return `${lines.join("\n")}\n\nThe contract models ${modeled} of the ${documented} parts Twilio's document describes (rows marked documented).\n`;
}

/** A Markdown table cell: a `|` would end it. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}
