import { writeFile } from "node:fs/promises";
import { defineConfig } from "tsup";
import { contractOpenApiDocument } from "./src/contract/openapi.js";
import manifest from "./package.json" with { type: "json" };

export default defineConfig([
  {
    // The library entries, as ESM and CJS with declarations.
    entry: { index: "src/index.ts", "arbitraries/index": "src/arbitraries/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    external: ["fast-check"],
    // twilio-stream-contract/openapi.json: the contract as OpenAPI 3.0, generated from schemas/.
    onSuccess: () => writeFile("dist/openapi.json", `${JSON.stringify(contractOpenApiDocument(manifest.version), null, 2)}\n`),
  },
  {
    // twilio-stream-contract/vitest: ESM only, as vitest is; vitest itself is the user's.
    entry: { "vitest/index": "src/vitest/index.ts", "vitest/setup": "src/vitest/setup.ts" },
    format: ["esm"],
    dts: true,
    target: "node20",
    external: ["vitest"],
  },
  {
    // twilio-stream-contract/mock and /nock: the servers and the nock interceptors (nock is the user's).
    entry: { "mock/index": "src/mock/index.ts", "nock/index": "src/nock/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    external: ["nock"],
  },
  {
    // twilio-stream-contract/verify: runVerify for code (tests, bench/verify.bench.mjs); ESM only.
    // verify/pact-child: the Pact verifier's own process (src/verify/pact.ts starts it).
    entry: { "verify/index": "src/verify/index.ts", "verify/pact-child": "src/verify/pact-child.ts" },
    format: ["esm"],
    dts: true,
    target: "node20",
    external: ["fast-check", "@pact-foundation/pact-core"],
  },
  {
    // The CLI: ESM only, no declarations.
    entry: { "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
