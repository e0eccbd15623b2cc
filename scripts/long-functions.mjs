/**
 * Lists the functions of src/ longer than a limit (default 100 lines), longest first: a function
 * that long does more than one thing. `node scripts/long-functions.mjs [limit]`; exits 1 when
 * one is found. Generated code (src/validators/generated/) is left out.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const root = new URL("..", import.meta.url).pathname;
const limit = Number(process.argv[2] ?? 100);

function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "generated") yield* sources(path);
    else if (entry.isFile() && entry.name.endsWith(".ts")) yield path;
  }
}

/** A function's name as a reader looks for it: its own, its variable's, its property's or its method's. */
function nameOf(node) {
  if (node.name !== undefined) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
  if (ts.isCallExpression(parent)) return `(argument of ${parent.expression.getText().slice(0, 40)})`;
  return "(anonymous)";
}

const long = [];
for (const path of sources(join(root, "src"))) {
  const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > limit) long.push({ where: `${relative(root, path)}:${start + 1}`, name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}
long.sort((a, b) => b.lines - a.lines);
for (const { where, name, lines } of long) console.log(`${String(lines).padStart(4)} lines  ${name}  ${where}`);
console.log(
  long.length === 0 ? `no function in src/ is longer than ${limit} lines` : `${long.length} function(s) longer than ${limit} lines`,
);
process.exitCode = long.length === 0 ? 0 : 1;
