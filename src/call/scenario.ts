/**
 * A call scenario (`check-media-server --scenario FILE`): YAML or JSON, its form in
 * schemas/call-scenario.schema.json, read into the steps of a call (call.ts). Every mistake is
 * a clear error naming the file and the line; WAV files are read relative to the scenario's
 * folder, any rate and format, converted to μ-law 8 kHz.
 *
 *     steps:
 *       - say: question.wav              the caller speaks
 *       - silence: 500                   ms of the caller's silence
 *       - expect answer within: 2000     the server's first audio, required within ms
 *       - barge-in                       speech over the server's audio (or barge-in: FILE.wav)
 *       - expect clear within: 800       after a barge-in: clear required within ms
 *       - listen: 3000                   let the server's audio play out, at most ms
 *       - dtmf: "1"                      keys
 *       - hangup                         stop (the end of the steps does the same)
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { readWavAsMulaw } from "../dialer/wav.js";
import type { CallStep } from "./call.js";
import { utterance } from "./speech.js";

/** A scenario, read. */
export interface Scenario {
  readonly name?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly steps: readonly CallStep[];
}

/** How long the caller lets the answer play before speaking over it. */
const BARGE_IN_AFTER_MS = 400;
/** How long a barge-in waits for clear when no `expect clear within` follows it. */
const CLEAR_WAIT_MS = 1000;
const MAX_MS = 600_000;
const STEPS =
  "say: FILE.wav, silence: MS, listen: MS, dtmf: DIGITS, expect answer within: MS, barge-in (or barge-in: FILE.wav), expect clear within: MS, hangup";

class ScenarioError extends Error {}

/** Reads a scenario file, or says what is wrong with it (and where). */
export async function readScenario(file: string): Promise<{ readonly scenario: Scenario } | { readonly error: string }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { error: `cannot read the scenario ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const lineOf = (node: Node | null | undefined) => (node?.range == null ? 1 : lines.linePos(node.range[0]).line);
  const fail = (node: Node | null | undefined, what: string): never => {
    throw new ScenarioError(`${file} line ${lineOf(node)}: ${what}`);
  };
  try {
    const syntax = document.errors[0];
    if (syntax !== undefined) throw new ScenarioError(`${file} line ${syntax.linePos?.[0].line ?? 1}: not YAML or JSON: ${syntax.code}`);
    const root = document.contents;
    if (!isMap(root)) return fail(root, "a scenario is a map with steps (and perhaps name and parameters)");
    let name: string | undefined;
    const parameters: Record<string, string> = {};
    const steps: CallStep[] = [];
    let sawSteps = false;
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      const value = pair.value as Node | null;
      if (key === "name") {
        if (!isScalar(value) || typeof value.value !== "string") fail(value, "name is a string");
        name = (value as { value: string }).value;
      } else if (key === "parameters") {
        if (!isMap(value)) return fail(value, "parameters is a map of names to strings");
        for (const p of value.items) {
          const k = isScalar(p.key) ? p.key.value : undefined;
          const v = isScalar(p.value) ? p.value.value : undefined;
          if (typeof k !== "string" || typeof v !== "string")
            fail((p.value ?? p.key) as Node, "each parameter is a name and a string value");
          parameters[k as string] = v as string;
        }
      } else if (key === "steps") {
        sawSteps = true;
        if (!isSeq(value) || value.items.length === 0) return fail(value, `steps is a list of at least one step: ${STEPS}`);
        let hungUp = false;
        for (const item of value.items as Node[]) {
          if (hungUp) fail(item, "nothing may follow hangup");
          const step = await readStep(item, file, fail);
          if (step === "hangup") hungUp = true;
          else if (step.kind === "expect clear") {
            const previous = steps.at(-1);
            if (previous?.kind !== "barge-in") fail(item, "expect clear within follows a barge-in");
            steps[steps.length - 1] = { ...(previous as Extract<CallStep, { kind: "barge-in" }>), withinMs: step.ms, required: true };
          } else steps.push(step);
        }
      } else fail(pair.key as Node, `unknown field ${JSON.stringify(key)} (a scenario has name, parameters and steps)`);
    }
    if (!sawSteps) fail(root, "a scenario needs steps");
    return { scenario: { ...(name === undefined ? {} : { name }), parameters, steps } };
  } catch (error) {
    if (error instanceof ScenarioError) return { error: error.message };
    throw error;
  }
}

/** One step; `expect clear` is joined to the barge-in before it by the caller. */
async function readStep(
  item: Node,
  file: string,
  fail: (node: Node | null | undefined, what: string) => never,
): Promise<CallStep | "hangup" | { readonly kind: "expect clear"; readonly ms: number }> {
  if (isScalar(item)) {
    if (item.value === "hangup") return "hangup";
    if (item.value === "barge-in") return bargeIn(utterance("caller-interruption"));
    return fail(item, `unknown step ${JSON.stringify(item.value)}; a step is one of: ${STEPS}`);
  }
  if (!isMap(item) || item.items.length !== 1) return fail(item, `a step is one of: ${STEPS}`);
  const pair = item.items[0]!;
  const key = isScalar(pair.key) ? pair.key.value : undefined;
  const value = pair.value as Node | null;
  const ms = (): number => {
    const n = isScalar(value) ? value.value : undefined;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_MS)
      return fail(value ?? item, `${String(key)} takes whole milliseconds from 0 to ${MAX_MS}`);
    return n;
  };
  const audio = async (): Promise<Uint8Array> => {
    const path = isScalar(value) ? value.value : undefined;
    if (typeof path !== "string" || path === "") return fail(value ?? item, `${String(key)} takes a WAV file`);
    const full = resolve(dirname(file), path);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(full);
    } catch (error) {
      return fail(value, `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const wav = readWavAsMulaw(bytes);
    if ("error" in wav) return fail(value, `${path}: ${wav.error}`);
    if (wav.clip.length === 0) return fail(value, `${path} holds no audio`);
    return wav.clip;
  };
  switch (key) {
    case "say":
      return { kind: "say", audio: await audio() };
    case "barge-in":
      return bargeIn(await audio());
    case "silence":
      return { kind: "silence", ms: ms() };
    case "listen":
      return { kind: "listen", maxMs: ms() };
    case "dtmf": {
      const digits = isScalar(value) ? String(value.value) : "";
      // Keys of a phone's keypad (a YAML number such as 12 is read as its digits).
      if (!/^[0-9*#]+$/.test(digits)) return fail(value ?? item, "dtmf takes keys: digits, * and #");
      return { kind: "dtmf", digits };
    }
    case "expect answer within": {
      const within = ms();
      return { kind: "answer", withinMs: within, required: true };
    }
    case "expect clear within":
      return { kind: "expect clear", ms: ms() };
    default:
      return fail(pair.key as Node, `unknown step ${JSON.stringify(key)}; a step is one of: ${STEPS}`);
  }
}

function bargeIn(audio: Uint8Array): CallStep {
  return { kind: "barge-in", audio, afterMs: BARGE_IN_AFTER_MS, withinMs: CLEAR_WAIT_MS };
}
