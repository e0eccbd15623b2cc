/**
 * The Pact verifier's own process, started by src/verify/pact.ts (built as
 * dist/verify/pact-child.js). The native verifier prints to this process's stdout and stderr,
 * and can log request headers: the parent reads both through a pipe and only ever keeps them
 * redacted. The options come in on stdin (so that the credentials never show in the process
 * list); the results go out as JSON on file descriptor 3, apart from the verifier's own output.
 *
 * Never import this module: it runs on load. Its types are imported with `import type`.
 */
import { readFileSync, writeSync } from "node:fs";
import pactCore, { type VerifierOptions } from "@pact-foundation/pact-core";

/** What the parent writes on stdin: one verifier run per batch of pacts, and where the results go. */
export interface ChildInput {
  readonly runs: readonly VerifierOptions[];
  /** The file descriptor the parent opened as a pipe for the results. */
  readonly resultFd: number;
}

/** One run's result: the verifier's JSON (pactffi_verifier_json), or why it failed. */
export interface ChildResult {
  readonly json?: string;
  readonly error?: string;
}

// pact-core is CommonJS: under Node's ESM loader its default export is the whole module.exports,
// whose own `default` is the pact object.
const pact = pactCore.default;

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(0, "utf8")) as ChildInput;
  const results: ChildResult[] = [];
  for (const options of input.runs) {
    try {
      results.push({ json: await pact.verifyPacts(options) });
    } catch (error) {
      // A verification that fails rejects with the JSON result as its message.
      const text = error instanceof Error ? error.message : String(error);
      results.push(text.startsWith("{") ? { json: text } : { error: text });
    }
  }
  writeSync(input.resultFd, JSON.stringify(results));
  process.exit(0); // the native verifier may hold handles open
}

void main();
