// The tarball npm would publish, checked by publint (package.json fields, exports, files) and
// @arethetypeswrong/cli (types and JavaScript resolve alike for each entry), and for install
// scripts (none: see docs/decisions.md#packaging). Packed once, without
// lifecycle scripts: `npm test` has just built dist/.
//
// Decided, not checked:
// - node10 resolution (TypeScript's `moduleResolution: "node"`) ignores "exports", so it finds
//   only the main entry, not the subpaths (/arbitraries, /mock, /nock, /vitest, /verify). The
//   package needs Node 20.19, where every resolver reads "exports"; a typesVersions map for a
//   resolution mode TypeScript itself deprecates is not worth a second list of entries.
//   Hence attw's `--profile node16` (node16 and bundler resolution, from CJS and ESM).
// - /vitest, /vitest/setup and /verify are ESM only (vitest is; the verifier is a CLI-side
//   tool): a `require` of them is refused by design, so attw's cjs-resolves-to-esm is ignored.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = (name) => join("node_modules", ".bin", name);
const dir = mkdtempSync(join(tmpdir(), "stream-contract-pack-"));
let failed = false;
try {
  const [{ filename }] = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { encoding: "utf8" }),
  );
  const tarball = join(dir, filename);
  // A published package needs no build on install: no script npm runs (or asks approval for) there.
  const { scripts = {} } = JSON.parse(execFileSync("tar", ["-xOzf", tarball, "package/package.json"], { encoding: "utf8" }));
  const installScripts = ["preinstall", "install", "postinstall", "prepare"].filter((name) => name in scripts);
  if (installScripts.length > 0) {
    console.error(`the packed package.json has install scripts: ${installScripts.join(", ")}`);
    failed = true;
  }
  for (const [name, args] of [
    ["publint", ["run", tarball, "--strict"]],
    ["attw", [tarball, "--profile", "node16", "--ignore-rules", "cjs-resolves-to-esm", "--format", "table-flipped"]],
  ]) {
    try {
      execFileSync(bin(name), args, { stdio: "inherit" });
    } catch {
      failed = true;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
