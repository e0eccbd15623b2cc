/**
 * `stream-contract drift` against Twilio's OpenAPI excerpt (a copy of
 * ../shared/reference/twilio-oai-streams.json) and mutated copies of it: the excerpt is no
 * drift; each mutation is reported, by the right fact.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { driftCommand } from "../../src/cli/drift.js";
import { runCommand } from "../support/run-command.js";
import { compareFacts } from "../../src/drift/compare.js";
import { contractSchemaFacts } from "../../src/drift/contract.js";
import { openApiFacts } from "../../src/drift/openapi.js";

const EXCERPT = "tests/fixtures/twilio-oai-streams.json";
const CONTRACTS = "tests/fixtures/pacts";
const CREATE = "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams.json";
const UPDATE = "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests reach deep into OpenAPI JSON to change it
type OpenApiJson = any;

async function drift(args: string[]) {
  return runCommand(driftCommand, args);
}

async function mutated(change: (doc: OpenApiJson) => void): Promise<string> {
  const doc = JSON.parse(await readFile(EXCERPT, "utf8"));
  change(doc);
  const file = join(await mkdtemp(join(tmpdir(), "drift-")), "twilio-oai.json");
  await writeFile(file, JSON.stringify(doc));
  return file;
}

const createBody = (doc: OpenApiJson) => doc.paths[CREATE].post.requestBody.content["application/x-www-form-urlencoded"].schema;
const streamSchema = (doc: OpenApiJson) => doc.components.schemas["api.v2010.account.call.stream"];

describe("drift", () => {
  it("finds no drift against Twilio's excerpt (the known deviations are accepted)", async () => {
    const run = await drift([EXCERPT, "--contracts", CONTRACTS]);
    expect(run.stdout).toMatch(/^no drift: the contract agrees with .*\(\d+ known deviations accepted/);
    expect(run.code).toBe(0);
  });

  it("finds no drift with the package's own contracts/ either", async () => {
    const run = await drift([EXCERPT]);
    expect(run.code).toBe(0);
  });

  it("lists the accepted deviations with why on request", async () => {
    const run = await drift([EXCERPT, "--contracts", CONTRACTS, "--show-accepted"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('~ Url › format: Twilio says "uri", the contract says "wss-url"');
    expect(run.stdout).toContain("why: Media Streams connect only over secure WebSockets");
    // The create example is 200, as Twilio's document says: no deviation on the success status.
    expect(run.stdout).not.toContain("+ 200:");
    expect(run.stdout).not.toContain("- 201:");
  });

  const mutations: [string, (doc: OpenApiJson) => void, string[]][] = [
    [
      "a new body parameter",
      (d) => (createBody(d).properties.Region = { type: "string", enum: ["us1", "ie1"] }),
      ["CreateStream body", '+ Region: Twilio documents a body parameter the contract lacks (type "string", enum ["ie1","us1"])'],
    ],
    [
      "a new required body parameter",
      (d) => {
        createBody(d).properties.Codec = { type: "string" };
        createBody(d).required.push("Codec");
      },
      ["+ Codec: Twilio documents a body parameter the contract lacks", "required"],
    ],
    [
      "a removed enum value",
      (d) => (d.components.schemas.stream_enum_track.enum = ["inbound_track", "outbound_track"]),
      [
        '~ Track › enum: Twilio says ["inbound_track","outbound_track"], the contract says ["both_tracks","inbound_track","outbound_track"]',
      ],
    ],
    [
      "a new enum value of the Stream status",
      (d) => d.components.schemas.stream_enum_status.enum.push("paused"),
      ["CreateStream response", "UpdateStream response", "~ status › enum"],
    ],
    [
      "a changed path pattern",
      (d) => (d.paths[CREATE].post.parameters[1].schema.pattern = "^CA[0-9a-f]{32}$"),
      ["CreateStream path", '~ CallSid › pattern: Twilio says "^CA[0-9a-f]{32}$", the contract says "^CA[0-9a-fA-F]{32}$"'],
    ],
    [
      "a changed Stream SID pattern",
      (d) => (streamSchema(d).properties.sid.pattern = "^MS[0-9a-fA-F]{32}$"),
      ['~ sid › pattern: Twilio says "^MS[0-9a-fA-F]{32}$"'],
    ],
    [
      "nullability flipped",
      (d) => (streamSchema(d).properties.name.nullable = false),
      ["~ name › nullable: Twilio says false, the contract says true"],
    ],
    [
      "a new response code",
      (d) => (d.paths[UPDATE].post.responses["202"] = { description: "Accepted" }),
      ["UpdateStream responses", "+ 202: Twilio documents a response the contract lacks"],
    ],
    [
      "a removed body parameter",
      (d) => delete createBody(d).properties.StatusCallbackMethod,
      ["- StatusCallbackMethod: the contract has a body parameter Twilio's document lacks"],
    ],
    [
      "a new Stream property",
      (d) => (streamSchema(d).properties.date_created = { type: "string", format: "date-time-rfc-2822", nullable: true }),
      ["+ date_created: Twilio documents a property the contract lacks"],
    ],
    ["a 100th custom parameter", (d) => (createBody(d).properties["Parameter100.Name"] = { type: "string" }), ["+ Parameter100.Name"]],
    [
      "a new format on Name",
      (d) => (createBody(d).properties.Name.format = "sid"),
      ['+ Name › format: Twilio says "sid", the contract says nothing'],
    ],
  ];

  it.each(mutations)("reports %s", async (_name, change, expected) => {
    const run = await drift([await mutated(change), "--contracts", CONTRACTS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Drift between the contract and");
    for (const text of expected) expect(run.stdout).toContain(text);
  });

  it("reports an accepted deviation changed further on Twilio's side", async () => {
    const run = await drift([await mutated((d) => (createBody(d).properties.Url.format = "uri-reference")), "--contracts", CONTRACTS]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('~ Url › format: Twilio says "uri-reference", the contract says "wss-url"');
  });

  it("is a usage error for a document without the Stream paths, or not JSON", async () => {
    const noStreams = await mutated((d) => delete d.paths[UPDATE]);
    expect((await drift([noStreams])).stderr).toContain(
      "has no POST /2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Streams/{Sid}.json (UpdateStream)",
    );
    const file = join(await mkdtemp(join(tmpdir(), "drift-")), "x.json");
    await writeFile(file, "{");
    const run = await drift([file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("is not valid JSON");
  });

  it("sees Parameter1..99 in the contract's patternProperties as Twilio's explicit list", async () => {
    const twilio = openApiFacts(JSON.parse(await readFile(EXCERPT, "utf8")));
    expect(twilio.bodyProperties.CreateStream).toContain("Parameter99.Value");
    const report = compareFacts(contractSchemaFacts(twilio.bodyProperties), twilio.facts);
    expect(report.drift.filter((d) => d.name.startsWith("Parameter"))).toEqual([]);
  });
});
