/**
 * `stream-contract drift`: compares the contract with an OpenAPI document of Twilio's API.
 */
import { compareFacts, describeDifference, type Difference } from "../drift/compare.js";
import { contractResponseFacts, contractSchemaFacts, bundledContracts } from "../drift/contract.js";
import { coverageTable } from "../drift/coverage.js";
import { NotAStreamsDocument, openApiFacts } from "../drift/openapi.js";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { parseJson, readInput } from "./input.js";
import { out, err } from "./output.js";

/**
 * An OpenAPI document in JSON or YAML: YAML for a `.yaml`/`.yml` file, or for a text that does not
 * start like JSON (`{`); a usage error that says where the text went wrong otherwise.
 */
export function parseOpenApiText(text: string, file: string, source: string): unknown {
  const yaml = /\.ya?ml$/i.test(file) || (!/\.json$/i.test(file) && !text.trimStart().startsWith("{"));
  if (!yaml) return parseJson(text, source);
  try {
    // The yaml package's default alias limit (maxAliasCount 100) turns an alias bomb into an error.
    return parseYaml(text);
  } catch (error) {
    const at = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
    throw new UsageError(
      `${source} is not valid YAML: ${(error as Error).message.split("\n")[0]}${at === undefined ? "" : ` (line ${at.line}, column ${at.col})`}`,
    );
  }
}

export const driftCommand: Command = {
  summary: "compare the contract with Twilio's official OpenAPI document",
  help: `
Usage: stream-contract drift <openapi.json|openapi.yaml|-> [--contracts DIR] [--show-accepted]
                             [--coverage-table]

Compares the contract (schemas/ and the response codes of the Pact files) with an OpenAPI
document of Twilio's API — the whole twilio_api_v2010.json from twilio/twilio-oai, or an excerpt
with the two Stream paths, in JSON or YAML — and reports every body parameter, path parameter,
property, enum, pattern, format, nullability, media type, error body field and response code on
which they disagree.

Known, intended differences (wss:// Url, the Stream's required fields, 201 Created, closed
request bodies, …) are accepted deviations: listed once, in src/drift/deviations.ts, and not drift.

  --contracts DIR   the Pact files whose response codes are compared (default: this package's
                    contracts/; when there are none, response codes are not compared)
  --show-accepted   also list the accepted deviations that applied, with why
  --coverage-table  print instead, as one Markdown table, which of the document's Stream
                    operations' parameters, response codes and response properties the
                    contract models, and how each compares (docs/drift.md shows it); exit 0
  -h, --help        this text

Exit codes: 0 no drift, 1 drift, 2 usage or I/O error (unreadable or not an OpenAPI document).

Example:
  curl -sO https://raw.githubusercontent.com/twilio/twilio-oai/main/spec/json/twilio_api_v2010.json
  stream-contract drift twilio_api_v2010.json
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      contracts: { type: "string" },
      "show-accepted": { type: "boolean" },
      "coverage-table": { type: "boolean" },
    });
    if (positionals.length !== 1) throw new UsageError("give exactly one OpenAPI document (or - for standard input); see --help");
    const file = positionals[0] as string;
    const source = file === "-" ? "standard input" : file;
    const document = parseOpenApiText(await readInput(file), file, source);
    let theirs: ReturnType<typeof openApiFacts>;
    try {
      theirs = openApiFacts(document);
    } catch (error) {
      if (error instanceof NotAStreamsDocument) throw new UsageError(`${source}: ${error.message}`);
      throw error;
    }
    const contracts = values.contracts ?? bundledContracts();
    let ours = contractSchemaFacts(theirs.bodyProperties);
    let facts = theirs.facts;
    if (contracts === undefined) {
      err("note: no Pact files found, so response codes are not compared (give --contracts DIR)\n");
      facts = facts.filter((f) => !f.where.endsWith("responses"));
    } else {
      try {
        ours = [...ours, ...contractResponseFacts(contracts)];
      } catch (error) {
        throw new UsageError(`cannot read the Pact files in ${contracts}: ${(error as Error).message}`);
      }
    }
    const report = compareFacts(ours, facts);
    if (values["coverage-table"]) {
      out(coverageTable(ours, facts, report));
      return EXIT.ok;
    }
    const acceptedNote = `${report.accepted.length} known deviation${report.accepted.length === 1 ? "" : "s"} accepted${values["show-accepted"] ? "" : ", see --show-accepted"}`;
    if (values["show-accepted"]) {
      out("Accepted deviations:\n");
      for (const { difference, deviation } of report.accepted)
        out(`  ${difference.where}: ${describeDifference(difference)}\n      why: ${deviation.why}\n`);
      for (const deviation of report.unused) {
        out(`  (unused: ${deviation.where} › ${deviation.name} › ${deviation.aspect} — nothing differs there now)\n`);
      }
    }
    if (report.drift.length === 0) {
      out(`no drift: the contract agrees with ${source} (${acceptedNote})\n`);
      return EXIT.ok;
    }
    out(`Drift between the contract and ${source}:\n`);
    for (const [where, differences] of groupBy(report.drift)) {
      out(`\n${where}\n`);
      for (const d of differences) out(`  ${describeDifference(d)}\n`);
    }
    out(`\n${report.drift.length} difference${report.drift.length === 1 ? "" : "s"}; ${acceptedNote}.\n`);
    out("Update schemas/ (or, for an intended difference, src/drift/deviations.ts) and run again.\n");
    return EXIT.violation;
  },
};

function groupBy(differences: readonly Difference[]): Map<string, Difference[]> {
  const groups = new Map<string, Difference[]>();
  for (const d of differences) groups.set(d.where, [...(groups.get(d.where) ?? []), d]);
  return groups;
}
