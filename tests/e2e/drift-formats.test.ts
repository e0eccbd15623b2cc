/**
 * `stream-contract drift` against the whole of Twilio's api v2010 document (a gzip of
 * ../shared/reference/twilio_api_v2010.json, committed: 1.9 MB of JSON, 110 kB compressed), in
 * JSON and in YAML, and on the two facts it compares besides the schemas: media types and the
 * error body.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { driftCommand } from "../../src/cli/drift.js";
import { runCommand } from "../support/run-command.js";

const FULL = "tests/fixtures/twilio_api_v2010.json.gz";
const SHARED = "../shared/reference/twilio_api_v2010.json";
const EXCERPT = "tests/fixtures/twilio-oai-streams.json";
const CONTRACTS = "tests/fixtures/pacts";
const CREATE = "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json";
const FORM = "application/x-www-form-urlencoded";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests reach deep into OpenAPI JSON to change it
type OpenApiJson = any;

const fullText = () => gunzipSync(readFileSync(FULL)).toString("utf8");

async function file(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "drift-")), name);
  await writeFile(path, text);
  return path;
}

async function mutatedExcerpt(change: (doc: OpenApiJson) => void): Promise<string> {
  const doc = JSON.parse(readFileSync(EXCERPT, "utf8"));
  change(doc);
  return file("twilio-oai.json", JSON.stringify(doc));
}

describe("drift against Twilio's whole api v2010 document", () => {
  it.skipIf(!existsSync(SHARED))("the committed fixture is the shared reference, byte for byte", () => {
    expect(fullText()).toBe(readFileSync(SHARED, "utf8"));
  });

  it("finds no drift in JSON (121 paths, only the two Stream paths read)", async () => {
    const doc = JSON.parse(fullText()) as OpenApiJson;
    expect(Object.keys(doc.paths).length).toBeGreaterThan(100);
    const run = await runCommand(driftCommand, [await file("twilio_api_v2010.json", fullText()), "--contracts", CONTRACTS]);
    expect(run.stdout).toMatch(/^no drift: the contract agrees with/);
    expect(run.code).toBe(0);
  });

  it("finds no drift in the same document as YAML", async () => {
    const yaml = stringify(JSON.parse(fullText()));
    const run = await runCommand(driftCommand, [await file("twilio_api_v2010.yaml", yaml), "--contracts", CONTRACTS]);
    expect(run.stdout).toMatch(/^no drift/);
    expect(run.code).toBe(0);
  });

  it("reads YAML from a file whose name does not say it is YAML", async () => {
    const run = await runCommand(driftCommand, [
      await file("twilio-oai", stringify(JSON.parse(readFileSync(EXCERPT, "utf8")))),
      "--contracts",
      CONTRACTS,
    ]);
    expect(run.code).toBe(0);
  });

  it("says where a YAML document is broken (exit 2), and refuses an alias bomb with an error", async () => {
    const broken = await runCommand(driftCommand, [
      await file("bad.yaml", "openapi: 3.0.1\npaths:\n  - a\n  b: [\n"),
      "--contracts",
      CONTRACTS,
    ]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/is not valid YAML: .*line \d+, column \d+/);
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => `${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(10).fill(`*${"abcdefghij"[i]}`).join(", ")}]`),
    ].join("\n");
    const run = await runCommand(driftCommand, [await file("bomb.yaml", bomb), "--contracts", CONTRACTS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not valid YAML");
  });
});

describe("drift compares media types and the error body", () => {
  it("a request body switched to JSON is a media type difference, not missing parameters", async () => {
    const path = await mutatedExcerpt((doc) => {
      const { content } = doc.paths[CREATE].post.requestBody;
      content["application/json"] = content[FORM];
      delete content[FORM];
    });
    const run = await runCommand(driftCommand, [path, "--contracts", CONTRACTS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`~ (object) › media type: Twilio says ["application/json"], the contract says ["${FORM}"]`);
    expect(run.stdout).not.toMatch(/- Url|- Track|body parameter/);
    expect(run.stdout).toContain("1 difference;");
  });

  it("a response in another media type is drift", async () => {
    const path = await mutatedExcerpt((doc) => {
      const { content } = doc.paths[CREATE].post.responses["200"];
      content["application/xml"] = content["application/json"];
      delete content["application/json"];
    });
    const run = await runCommand(driftCommand, [path, "--contracts", CONTRACTS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('~ (object) › media type: Twilio says ["application/xml"], the contract says ["application/json"]');
  });

  it("an error body Twilio documents is compared with the contract's, field by field", async () => {
    const errorSchema = {
      type: "object",
      properties: {
        code: { type: "integer" },
        message: { type: "string" },
        more_info: { type: "string" },
        status: { type: "integer" },
        details: { type: "object" },
      },
    };
    const path = await mutatedExcerpt((doc) => {
      doc.paths[CREATE].post.responses["400"] = { description: "Bad request", content: { "application/json": { schema: errorSchema } } };
    });
    const run = await runCommand(driftCommand, [path, "--contracts", CONTRACTS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("CreateStream error response");
    expect(run.stdout).toContain("+ details: Twilio documents a property the contract lacks");
    expect(run.stdout).not.toMatch(/- code:|- message:/);
  });
});
