/**
 * Each tool's checks table for the docs, made from its catalogue: the manual names every check,
 * in its order and with its own words. `npm run docs:update` rewrites the marked blocks; the
 * docs tests (tests/unit/docs-verify-checks.test.ts) fail when one is stale.
 */

/** A column besides the check's name and what it asserts. */
export interface TableColumn<C> {
  readonly header: string;
  readonly cell: (check: C) => string;
}

/** Markdown table cells: a `|` would end the cell, a `<` start an HTML tag (`<Start><Stream>`). */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("<", "&lt;");
}

/** The table: `| check | asserts | … |`, a row a check. */
export function checksTable<C extends { readonly name: string; readonly asserts: string }>(
  checks: readonly C[],
  columns: readonly TableColumn<C>[] = [],
): string {
  const header = `| check | asserts |${columns.map((c) => ` ${c.header} |`).join("")}`;
  const rule = `|---|---|${columns.map(() => "---|").join("")}`;
  const rows = checks.map(
    (check) => `| ${cell(check.name)} | ${cell(check.asserts)} |${columns.map((c) => ` ${cell(c.cell(check))} |`).join("")}`,
  );
  return [header, rule, ...rows].join("\n");
}

/** The markers of a generated block: `<!-- id:start (generated from SOURCE by …) -->` … `<!-- id:end -->`. */
export function tableMarkers(id: string, source: string): { readonly start: string; readonly end: string } {
  return { start: `<!-- ${id}:start (generated from ${source} by \`npm run docs:update\`; do not edit) -->`, end: `<!-- ${id}:end -->` };
}

/** The page with its generated block replaced by `rendered`; throws when the page lacks the block. */
export function withTable(page: string, markers: { readonly start: string; readonly end: string }, rendered: string): string {
  const start = page.indexOf(markers.start);
  const end = page.indexOf(markers.end);
  if (start === -1 || end < start) throw new Error(`the page lacks the ${markers.start} … ${markers.end} block`);
  return `${page.slice(0, start + markers.start.length)}\n${rendered}\n${page.slice(end)}`;
}
