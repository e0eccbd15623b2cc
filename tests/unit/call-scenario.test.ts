/**
 * Scenario files (src/call/scenario.ts): YAML or JSON read into a call's steps; every mistake a
 * clear error naming the file and the line; the JSON Schema (schemas/call-scenario.schema.json)
 * agrees with the reader on what a scenario is.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import AjvModule from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readScenario } from "../../src/call/scenario.js";
import schema from "../../schemas/call-scenario.schema.json" with { type: "json" };

const QUESTION = resolve("audio/caller-question.wav");
const validate = new AjvModule.default({ strict: false }).compile(schema);

async function scenario(text: string, ext = "yaml") {
  const dir = await mkdtemp(join(tmpdir(), "scenario-"));
  const file = join(dir, `call.${ext}`);
  await writeFile(file, text);
  await writeFile(join(dir, "not-a.wav"), "hello");
  return { file, read: await readScenario(file) };
}

const GOOD = `name: order status
parameters:
  FirstName: Jane
steps:
  - say: ${QUESTION}
  - silence: 200
  - expect answer within: 2000
  - barge-in
  - expect clear within: 800
  - listen: 3000
  - dtmf: "12#"
  - hangup
`;

describe("scenario files", () => {
  it("a YAML scenario: its steps, parameters, and expect lines as requirements (clear joined to its barge-in)", async () => {
    const { read } = await scenario(GOOD);
    expect("scenario" in read).toBe(true);
    if (!("scenario" in read)) return;
    expect(read.scenario.name).toBe("order status");
    expect(read.scenario.parameters).toEqual({ FirstName: "Jane" });
    expect(read.scenario.steps.map((s) => s.kind)).toEqual(["say", "silence", "answer", "barge-in", "listen", "dtmf"]);
    expect(read.scenario.steps[2]).toEqual({ kind: "answer", withinMs: 2000, required: true });
    expect(read.scenario.steps[3]).toMatchObject({ kind: "barge-in", withinMs: 800, required: true });
    expect(read.scenario.steps[5]).toEqual({ kind: "dtmf", digits: "12#" });
    expect(validate(parse(GOOD))).toBe(true);
  });

  it("the same scenario in JSON", async () => {
    const json = JSON.stringify(parse(GOOD));
    const { read } = await scenario(json, "json");
    expect("scenario" in read && read.scenario.steps.length).toBe(6);
  });

  it.each([
    ["steps:\n  - silence: 5\n  - sya: x.wav\n", 3, /unknown step "sya"; a step is one of: say: FILE\.wav/],
    ["steps:\n  - silence: 100\n  - expect clear within: 500\n", 3, /expect clear within follows a barge-in/],
    ["steps:\n  - hangup\n  - silence: 100\n", 3, /nothing may follow hangup/],
    ["steps:\n  - silence: -5\n", 2, /silence takes whole milliseconds from 0 to 600000/],
    ["steps:\n  - silence: 1.5\n", 2, /silence takes whole milliseconds/],
    ["steps:\n  - say: missing.wav\n", 2, /cannot read missing\.wav: ENOENT/],
    ["steps:\n  - say: not-a.wav\n", 2, /not-a\.wav: not a WAV file/],
    ['steps:\n  - dtmf: "1x"\n', 2, /dtmf takes keys: digits, \* and #/],
    ["name: x\nsteps: []\n", 2, /steps is a list of at least one step/],
    ["name: x\n", 1, /a scenario needs steps/],
    ["name: x\nsteps:\n  - hangup\nvoice: loud\n", 4, /unknown field "voice"/],
    ["steps:\n  - say: [unclosed\n", 3, /not YAML or JSON/],
    ["steps:\n  - { say: a.wav, silence: 5 }\n", 2, /a step is one of/],
  ])("%j: an error naming line %i", async (text, line, message) => {
    const { file, read } = await scenario(text);
    expect("error" in read).toBe(true);
    if (!("error" in read)) return;
    expect(read.error).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} line ${line}: `));
    expect(read.error).toMatch(message);
  });

  // The keys of a dtmf step are the reader's alone: schema patterns are compiled (compiled-patterns.test.ts).
  it("the JSON Schema agrees: the shapes the reader refuses, the schema refuses", () => {
    for (const bad of [
      { steps: [] },
      { name: "x" },
      { steps: [{ sya: "x.wav" }] },
      { steps: [{ silence: -5 }] },
      { steps: [{ silence: 1.5 }] },
      { steps: [{ dtmf: "" }] },
      { steps: [{ say: "a.wav", silence: 5 }] },
      { steps: ["hangup"], voice: "loud" },
      { steps: ["wait"] },
      { steps: ["hangup"], parameters: { a: 1 } },
    ])
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
  });

  it("a file that cannot be read: an error, not a throw", async () => {
    const read = await readScenario("/nonexistent/scenario.yaml");
    expect(read).toEqual({ error: "cannot read the scenario /nonexistent/scenario.yaml: ENOENT" });
  });
});
