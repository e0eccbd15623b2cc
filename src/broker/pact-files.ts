/**
 * Reads the pact files to publish — each file given, every `*.json` of each directory given — and
 * checks each one (src/broker/check-pact.ts). Nothing is sent unless all of them pass.
 */
import { readFile } from "node:fs/promises";
import { pactFilePaths } from "../contract/pact-files.js";
import { checkPact, type CheckedPact } from "./check-pact.js";

/** A pact file, read and checked. */
export interface PactToPublish {
  readonly file: string;
  /** The file's text exactly as it is on disk: what is published. */
  readonly text: string;
  /** Its names, when they could be read. */
  readonly pact?: CheckedPact;
  readonly problems: readonly string[];
}

/** Reads and checks the pact files under `paths`; throws (with `code`) when a path cannot be read. */
export async function readPactFiles(paths: readonly string[]): Promise<PactToPublish[]> {
  return Promise.all(pactFilePaths(paths).map(readPactFile));
}

async function readPactFile(file: string): Promise<PactToPublish> {
  const text = await readFile(file, "utf8");
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { file, text, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const { pact, problems } = checkPact(document);
  return { file, text, pact, problems };
}
