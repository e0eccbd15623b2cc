/**
 * The published entries, as a user's `import` and `require` resolve them through the exports map
 * (self-reference by package name). Needs `npm run build` first, as `npm test` does.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Runs `code` in a fresh node and returns what it printed. */
function node(code: string, type: "module" | "commonjs"): string {
  return execFileSync(process.execPath, [`--input-type=${type}`, "-e", code], { encoding: "utf8" });
}

// Every module file loaded from node_modules while the code ran.
const LOADED_PACKAGES = `
  const seen = new Set();
  for (const file of Object.keys(require("node:module")._cache ?? {})) {
    const at = file.lastIndexOf("node_modules/");
    if (at >= 0) seen.add(file.slice(at + 13).split("/").slice(0, file.slice(at + 13).startsWith("@") ? 2 : 1).join("/"));
  }
  console.log(JSON.stringify([...seen]));`;

describe("package entries", () => {
  it("`.` loads no other package, in CJS", () => {
    const out = node(
      `const m = require("twilio-stream-contract"); if (!m.validateStream({}).issues) throw 1; ${LOADED_PACKAGES}`,
      "commonjs",
    );
    expect(JSON.parse(out)).toEqual([]);
  });

  it("`.` in ESM imports nothing but its own files and Node's built-ins", () => {
    const out = node(
      `import * as m from "twilio-stream-contract"; import { readFileSync } from "node:fs"; import { fileURLToPath } from "node:url";
       const file = fileURLToPath(import.meta.resolve("twilio-stream-contract"));
       const imports = [...readFileSync(file, "utf8").matchAll(/^import .* from "([^"]+)"/gm)].map((x) => x[1]);
       console.log(JSON.stringify({ imports, valid: m.isStreamSid("MZ" + "a".repeat(32)) }));`,
      "module",
    );
    const { imports, valid } = JSON.parse(out) as { imports: string[]; valid: boolean };
    expect(valid).toBe(true);
    // The signing helpers use node:crypto (tsup writes it as "crypto").
    expect(imports.filter((specifier) => !specifier.startsWith("./") && !isBuiltin(specifier))).toEqual([]);
  });

  it("subpaths resolve: arbitraries (with fast-check), schemas", () => {
    const out = node(
      `import fc from "fast-check"; import { sid } from "twilio-stream-contract/arbitraries";
       import schema from "twilio-stream-contract/schemas/stream.schema.json" with { type: "json" };
       console.log(JSON.stringify({ sid: fc.sample(sid("stream"), 1)[0], title: schema.title }));`,
      "module",
    );
    const { sid, title } = JSON.parse(out) as { sid: string; title: string };
    expect(sid).toMatch(/^MZ/);
    expect(title).toBe("Stream");
  });

  it("no entry and no CLI module imports the Pact engine: only the verifier's own process does", () => {
    const importers = readdirSync("dist", { recursive: true, encoding: "utf8" })
      .filter((file) => /\.c?js$/.test(file))
      .filter((file) => /(?:from |import\(|require\()"@pact-foundation\/pact-core"/.test(readFileSync(join("dist", file), "utf8")));
    expect(importers).toEqual([join("verify", "pact-child.js")]);
  });
});
