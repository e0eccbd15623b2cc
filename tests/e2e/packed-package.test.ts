/**
 * The package as `npm i twilio-stream-contract` installs it, in a fresh consumer project: what a
 * production service gets (the validators, without the Pact engine), no install script, the
 * files the docs name, and `verify` naming what to install when the Pact engine is missing.
 * Needs `npm run build` first, as `npm test` does.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsumerProject, createConsumerProject } from "../support/consumer-project.js";

let project: ConsumerProject;
beforeAll(() => {
  // What npm installs with the package: its dependencies (linked by createConsumerProject) and
  // fast-check, its one required peer dependency; not the optional ones.
  project = createConsumerProject(["fast-check"]);
});
afterAll(() => project?.dispose());

/** Runs `node` in the consumer project. */
function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, args, { cwd: project.dir, encoding: "utf8" });
  return { status, stdout, stderr };
}

describe("the packed package", () => {
  it("has no install script and no Pact engine among its dependencies", () => {
    const { scripts = {}, dependencies = {} } = project.packed.manifest;
    expect(Object.keys(scripts).filter((name) => ["preinstall", "install", "postinstall", "prepare"].includes(name))).toEqual([]);
    expect(Object.keys(dependencies)).not.toContain("@pact-foundation/pact-core");
  });

  it("carries the files the docs name", () => {
    for (const file of ["README.md", "asyncapi/media-streams.yaml", "docs/verify.md", "examples/ci/server-verify.yml", "dist/openapi.json"])
      expect(project.packed.files, file).toContain(file);
  });

  it("the main entry loads without the Pact engine, in ESM and CommonJS", () => {
    expect(existsSync(join(project.dir, "node_modules", "@pact-foundation"))).toBe(false);
    const esm = node([
      "--input-type=module",
      "-e",
      `import { validateStream, isStreamSid } from "twilio-stream-contract"; console.log(validateStream({}).valid, isStreamSid("MZ" + "a".repeat(32)));`,
    ]);
    expect(esm).toMatchObject({ status: 0, stdout: "false true\n" });
    const cjs = node([
      "--input-type=commonjs",
      "-e",
      `const m = require("twilio-stream-contract"); console.log(m.validateStream({}).valid);`,
    ]);
    expect(cjs).toMatchObject({ status: 0, stdout: "false\n" });
  });

  it("verify without the Pact engine exits 2 naming what to install", () => {
    const bin = join(project.dir, "node_modules", "twilio-stream-contract", "dist", "cli", "main.js");
    const { status, stdout, stderr } = node([bin, "verify"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("npm i -D @pact-foundation/pact-core");
    expect(stderr).toContain("--skip-pact");
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("verify --skip-pact runs the conformance checks without it", () => {
    const bin = join(project.dir, "node_modules", "twilio-stream-contract", "dist", "cli", "main.js");
    const { status, stdout } = node([bin, "verify", "--skip-pact", "--runs", "2", "--only", "create"]);
    expect(stdout).toMatch(/passed/);
    expect(status).toBe(0);
  });

  it("with the Pact engine installed beside it, verify runs the Pact verification", () => {
    const engine = createConsumerProject(["fast-check", "@pact-foundation/pact-core"]);
    try {
      const bin = join(engine.dir, "node_modules", "twilio-stream-contract", "dist", "cli", "main.js");
      const { status, stdout } = spawnSync(process.execPath, [bin, "verify", "--runs", "2", "--only", "create"], {
        cwd: engine.dir,
        encoding: "utf8",
      });
      expect(stdout).toMatch(/ok {3}pact › twilio-stream-contract › a request to create a stream with only a Url/);
      expect(stdout).toMatch(/CONFORMANT: \d+ passed, 0 failed/);
      expect(status).toBe(0);
    } finally {
      engine.dispose();
    }
  });
});
