/**
 * The layout of a help text's option table.
 */
/** One row of a help text's option table: the flag as typed, and what it does (may hold "\n"). */
export type OptionHelp = readonly [flag: string, description: string];

/**
 * A help text's option table: descriptions start in one column, two spaces past the longest
 * flag, or at `column` when given; a flag that does not fit in it gets a line of its own, so a
 * flag never runs into its description. Continuation lines are indented to the same column.
 */
export function optionsHelp(rows: readonly OptionHelp[], column?: number): string {
  const width = column ?? Math.max(...rows.map(([flag]) => flag.length + 4));
  const indent = " ".repeat(width);
  return rows
    .map(([flag, description]) => {
      const [first = "", ...rest] = description.split("\n").map((line) => line.trim());
      const head = `  ${flag}`;
      const lines = head.length + 2 <= width ? [head.padEnd(width) + first] : [head, indent + first];
      return [...lines, ...rest.map((line) => indent + line)].join("\n");
    })
    .join("\n");
}
