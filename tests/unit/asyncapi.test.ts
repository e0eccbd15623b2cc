/**
 * asyncapi/media-streams.yaml: what scripts/generate-asyncapi.mjs writes from schemas/, a valid
 * AsyncAPI 3 document by @asyncapi/parser, and its examples valid by the validators.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Parser } from "@asyncapi/parser";
import { beforeAll, describe, expect, it } from "vitest";
import { validateMediaMessage } from "../../src/index.js";

const FILE = fileURLToPath(new URL("../../asyncapi/media-streams.yaml", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../../scripts/generate-asyncapi.mjs", import.meta.url));
const committed = readFileSync(FILE, "utf8");

let parsed: Awaited<ReturnType<Parser["parse"]>>;
beforeAll(async () => {
  parsed = await new Parser().parse(committed);
}, 60_000);

describe("asyncapi/media-streams.yaml", () => {
  it("is what the script generates from schemas/, byte for byte", () => {
    const generated = execFileSync(process.execPath, [SCRIPT, "--stdout"], { encoding: "utf8" });
    expect(committed === generated, "run `node scripts/generate-asyncapi.mjs` and commit asyncapi/media-streams.yaml").toBe(true);
  });

  it("parses with @asyncapi/parser without errors or warnings", () => {
    const { document, diagnostics } = parsed;
    // Spectral severities: 0 error, 1 warning, 2 information, 3 hint.
    expect(diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code}: ${d.message} at ${d.path.join("/")}`)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toMatch(/^3\./);
    const messages = document!
      .messages()
      .all()
      .map((m) => m.id());
    expect(messages.sort()).toEqual([
      "serverClear",
      "serverMark",
      "serverMedia",
      "twilioConnected",
      "twilioDtmf",
      "twilioMark",
      "twilioMedia",
      "twilioStart",
      "twilioStop",
    ]);
    const receive = document!
      .operations()
      .all()
      .find((o) => o.action() === "receive");
    expect(receive?.messages().all().length).toBe(6);
  });

  it("every example is a valid message of its direction", () => {
    const { document } = parsed;
    let count = 0;
    for (const message of document!.messages().all()) {
      const from = message.id().startsWith("server") ? "server" : "twilio";
      for (const example of message.examples().all()) {
        const result = validateMediaMessage(example.payload(), { from });
        expect(result.valid ? [] : result.issues, `${message.id()}`).toEqual([]);
        count++;
      }
    }
    expect(count).toBe(9);
  });
});
