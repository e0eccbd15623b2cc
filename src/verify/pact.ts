/**
 * Pact verification of the contracts with the Pact FFI verifier (@pact-foundation/pact-core,
 * the Rust verifier; not pact-js's Verifier proxy, which mangles form bodies).
 *
 * Two things shape how it runs:
 * - Credentials. The pacts carry example Authorization headers (matched by regex); the verifier
 *   replaces them with the run's real credentials (a custom provider header replaces the pact's
 *   header of the same name). Interactions whose expected answer is 401 are about refusing bad
 *   credentials, so they are verified apart, with the pact's own (deliberately wrong) ones.
 * - The account. The pacts' provider states name an example account (`params.accountSid`); the
 *   copies handed to the verifier name the run's account instead, so that a state handler sets
 *   up calls where the credentials can reach them, and the paths it generates from the state's
 *   answer (`${accountSid}`) are the run's.
 * - Secrets in output. The native verifier prints to the process's stdout and can log request
 *   headers, so it runs in a child process whose output is piped through `redact`, never shown
 *   raw; its results come back as JSON on a separate pipe.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { packageContractsDirectory, pactFilePaths, type PactFile, type PactInteraction } from "../contract/pact-files.js";
import type { CheckFailure, CheckOutcome } from "../report/types.js";
import { cutRedacted, redact, tailRedacted } from "../secrets.js";
import { authorizationOf, type Credentials, redactionOf } from "./credentials.js";
import { renderCurl } from "./curl.js";
import type { FailedCheck } from "./diagnose.js";
import type { HttpRequest } from "./http.js";
import type { ChildInput, ChildResult } from "./pact-child.js"; // types only: that module runs on load
import type { VerifierOptions } from "@pact-foundation/pact-core";

/** The file descriptor of the child's results pipe (0–2 are its stdio). */
const RESULT_FD = 3;

/** What to verify, against what. */
export interface PactVerificationOptions {
  /** The provider's base URL (path prefix allowed). */
  readonly providerBaseUrl: string;
  /**
   * Pact files or directories (default: the package's contracts/). Pacts from a broker come
   * here as files too (src/cli/verify-broker.ts fetches them): the split by credentials above
   * needs the interactions in hand.
   */
  readonly pactPaths?: readonly string[];
  /** The provider name in the pacts (default `twilio-api`): the verifier only picks those. */
  readonly provider?: string;
  readonly statesUrl?: string;
  readonly credentials: Credentials;
  /** Per-request timeout of the verifier, in milliseconds. */
  readonly timeoutMs: number;
  /** Stops the verifier (the run found the server unreachable meanwhile). */
  readonly signal?: AbortSignal;
}

/** Outcomes (one per interaction), plus whether the verifier itself could not run. */
export interface PactVerificationResult {
  readonly outcomes: readonly CheckOutcome[];
  /** The verifier crashed or could not start: a failure of the run, not of the provider. */
  readonly error?: string;
  /** Failed interactions with the status they got, or a failed state change, for the diagnosis. */
  readonly failed: readonly FailedCheck[];
}

/** The provider name the contracts are written for. */
export const PROVIDER_NAME = "twilio-api";

const GROUP = "pact";

/** Reads the pact files under the given paths (a directory's `*.json`). */
function readPacts(paths: readonly string[]): { file: string; pact: PactFile }[] {
  let files: string[];
  try {
    files = pactFilePaths(paths);
  } catch (error) {
    throw new PactSourceError(`no pact file or directory at ${(error as NodeJS.ErrnoException).path ?? paths.join(", ")}`);
  }
  return files.map((file) => {
    try {
      return { file, pact: JSON.parse(readFileSync(file, "utf8")) as PactFile };
    } catch (error) {
      throw new PactSourceError(`${file} is not a readable pact file: ${(error as Error).message}`);
    }
  });
}

/** The pacts could not be read: a usage error. */
export class PactSourceError extends Error {
  override readonly name = "PactSourceError";
}

/** Whether an interaction is about refusing bad credentials (verified with the pact's own). */
function expectsUnauthorized(interaction: PactInteraction): boolean {
  return interaction.response?.status === 401;
}

/** The interaction with its provider states' `accountSid` set to the run's account. */
function withAccount(interaction: PactInteraction, accountSid: string): PactInteraction {
  if (interaction.providerStates === undefined) return interaction;
  return {
    ...interaction,
    providerStates: interaction.providerStates.map((state) => {
      const params = (state as { params?: Record<string, unknown> }).params;
      return params !== undefined && "accountSid" in params ? { ...state, params: { ...params, accountSid } } : state;
    }),
  };
}

/** The interaction's request, as the pact has it (example path and body), for curl. */
function exampleRequest(interaction: PactInteraction, credentials: Credentials): HttpRequest {
  const request = interaction.request ?? {};
  const headers = Object.create(null) as Record<string, string>; // the names are the pact file's
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  if (!expectsUnauthorized(interaction)) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === "authorization") delete headers[name];
    headers.Authorization = authorizationOf(credentials);
  }
  const query = Object.entries(request.query ?? {}).flatMap(([k, vs]) =>
    vs.map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
  );
  const content = request.body?.content;
  // The verifier's path names the run's account (see withAccount); so does the curl command.
  let path = request.path ?? "/";
  for (const state of interaction.providerStates ?? []) {
    const example = (state as { params?: Record<string, unknown> }).params?.accountSid;
    if (typeof example === "string" && example !== "") path = path.split(example).join(credentials.accountSid);
  }
  return {
    method: request.method ?? "GET",
    path: path + (query.length > 0 ? `?${query.join("&")}` : ""),
    headers,
    ...(content === undefined ? {} : { body: typeof content === "string" ? content : JSON.stringify(content) }),
  };
}

/** The verifier's JSON result (pactffi_verifier_json). */
interface VerifierJson {
  interactionResults?: {
    description?: string;
    consumer?: string;
    duration?: string;
    result?: string;
    providerStates?: string[];
    mismatch?: {
      type?: string;
      message?: string;
      mismatches?: { type?: string; path?: string; key?: string; expected?: unknown; actual?: unknown; mismatch?: string }[];
    };
  }[];
  errors?: unknown[];
  result?: boolean;
}

/**
 * The child's script: dist/verify/pact-child.js of this package (built from
 * src/verify/pact-child.ts), whichever bundle or source file this module runs from.
 */
function childScript(): string {
  const contracts = packageContractsDirectory();
  return join(contracts === undefined ? resolve(".") : dirname(contracts), "dist", "verify", "pact-child.js");
}

/** The Pact engine: an optional peer dependency, needed only by the Pact part of verify. */
const PACT_ENGINE = "@pact-foundation/pact-core";

/**
 * Why the Pact verification cannot run here, naming what to install, or undefined when the Pact
 * engine resolves from the child's script (as the child's own import will resolve it).
 */
export function pactEngineMissing(skipPact: string): string | undefined {
  try {
    createRequire(childScript()).resolve(PACT_ENGINE);
    return undefined;
  } catch {
    return (
      `the Pact verification needs the Pact engine, ${PACT_ENGINE}, which is not installed: ` +
      `\`npm i -D ${PACT_ENGINE}\` beside twilio-stream-contract ` +
      `(with npx: \`npx -p twilio-stream-contract -p ${PACT_ENGINE} stream-contract verify …\`), ` +
      `or ${skipPact} to run the conformance checks only`
    );
  }
}

/** Verifies the pacts; one outcome per interaction. */
export async function verifyPacts(options: PactVerificationOptions): Promise<PactVerificationResult> {
  const provider = options.provider ?? PROVIDER_NAME;
  const pacts = readPacts(options.pactPaths ?? [packageContractsDirectory() ?? resolve("contracts")]).filter(
    ({ pact }) => pact.provider?.name === provider,
  );
  const interactions = pacts.flatMap(({ pact }) => (pact.interactions ?? []).map((interaction) => ({ pact, interaction })));
  if (interactions.length === 0) return { outcomes: [], failed: [], error: `no pact with provider "${provider}" found` };

  const { secrets, users } = redactionOf(options.credentials);
  const dir = await mkdtemp(join(tmpdir(), "stream-contract-verify-"));
  try {
    const runs = await verifierRuns(pacts, options, provider, dir);
    // Capped at the longest delay a Node timer takes: a longer one fires at once, killing the verifier.
    const hardLimitMs = Math.min(2 ** 31 - 1, 30_000 + options.timeoutMs * (interactions.length * 3 + 2));
    const { results, output } = await runChild(runs, hardLimitMs, options.signal);
    const clean = (text: string) => redact(text, secrets, users);
    if (results === undefined) {
      return {
        outcomes: [],
        failed: [],
        error: clean(`the Pact verifier did not finish: ${output.trim().split("\n").slice(-15).join("\n")}`),
      };
    }
    const byDescription = new Map<string, NonNullable<VerifierJson["interactionResults"]>[number]>();
    const crashes: string[] = [];
    for (const result of results) {
      if (result.json === undefined) {
        crashes.push(result.error ?? "unknown error");
        continue;
      }
      const json = JSON.parse(result.json) as VerifierJson;
      for (const r of json.interactionResults ?? []) byDescription.set(`${r.consumer ?? ""}\u0000${r.description ?? ""}`, r);
    }
    const failed: FailedCheck[] = [];
    const outcomes = interactions.map(({ pact, interaction }): CheckOutcome => {
      const description = interaction.description ?? "(no description)";
      const name = `${GROUP} › ${pact.consumer?.name ?? "consumer"} › ${description}`;
      const result = byDescription.get(`${pact.consumer?.name ?? ""}\u0000${description}`);
      const durationMs = Number.parseInt(result?.duration ?? "0", 10) || 0;
      if (result === undefined) {
        const message = clean(
          crashes.length > 0
            ? `not verified: the Pact verifier failed: ${crashes.join("; ")}`
            : "not verified: the Pact verifier did not report this interaction",
        );
        return { name, group: GROUP, status: "failed", durationMs, message, failures: [{ message }] };
      }
      if (result.result === "OK") return { name, group: GROUP, status: "passed", durationMs, failures: [] };
      const statusMismatch = result.mismatch?.mismatches?.find((m) => m.type === "StatusMismatch");
      const status = Number(statusMismatch?.actual);
      failed.push({
        name,
        ...(Number.isInteger(status) ? { status } : {}),
        stateError: /state change/i.test(result.mismatch?.message ?? ""),
      });
      const curl = renderCurl(new URL(options.providerBaseUrl), exampleRequest(interaction, options.credentials), options.credentials);
      const states = (interaction.providerStates ?? []).map((s) => s.name).filter(Boolean);
      const given = states.length > 0 ? ` (given ${states.join(", ")})` : "";
      const failures: CheckFailure[] =
        result.mismatch?.type === "mismatches"
          ? (result.mismatch.mismatches ?? []).map((m) => ({
              message: clean(
                `${m.type ?? "Mismatch"}${m.path ? ` at ${m.path}` : m.key ? ` in header ${m.key}` : ""}: ${cut(m.mismatch ?? "does not match")}${given}`,
              ),
              expected: clean(typeof m.expected === "string" ? m.expected : JSON.stringify(m.expected)),
              actual: clean(typeof m.actual === "string" ? m.actual : JSON.stringify(m.actual)),
              curl,
            }))
          : [{ message: clean(`${result.mismatch?.message ?? "verification failed"}${given}`), curl }];
      return { name, group: GROUP, status: "failed", durationMs, message: failures[0]?.message, failures };
    });
    // A batch the verifier could not run at all is the run's failure, not the provider's (exit 2).
    return { outcomes, failed, ...(crashes.length > 0 ? { error: clean(`the Pact verifier could not run: ${crashes.join("; ")}`) } : {}) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The verifier's runs: the pacts' interactions in two batches (with the credentials, and those expecting 401 without), each pact file copied with the account's SID. */
async function verifierRuns(
  pacts: ReturnType<typeof readPacts>,
  options: PactVerificationOptions,
  provider: string,
  dir: string,
): Promise<VerifierOptions[]> {
  // One pact file per batch: the verifier applies custom headers to every interaction it runs.
  const batches = [
    { unauthorized: false, header: { Authorization: authorizationOf(options.credentials) } },
    { unauthorized: true, header: undefined },
  ];
  const runs: VerifierOptions[] = [];
  for (const batch of batches) {
    const files: string[] = [];
    for (const [index, { file, pact }] of pacts.entries()) {
      const selected = (pact.interactions ?? [])
        .filter((i) => expectsUnauthorized(i) === batch.unauthorized)
        .map((i) => withAccount(i, options.credentials.accountSid));
      if (selected.length === 0) continue;
      const copy = join(dir, `${batch.unauthorized ? "unauthorized" : "authorized"}-${index}-${file.split(/[\\/]/).at(-1)}`);
      await writeFile(copy, JSON.stringify({ ...pact, interactions: selected }));
      files.push(copy);
    }
    if (files.length === 0) continue;
    runs.push({
      providerBaseUrl: withExplicitPort(options.providerBaseUrl),
      provider,
      pactUrls: files,
      logLevel: "error",
      timeout: options.timeoutMs,
      failIfNoPactsFound: true,
      ...(options.statesUrl === undefined
        ? {}
        : { providerStatesSetupUrl: options.statesUrl, providerStatesSetupTeardown: true, providerStatesSetupBody: true }),
      ...(batch.header === undefined ? {} : { customProviderHeaders: batch.header }),
    });
  }
  return runs;
}

/** The verifier's mismatch texts quote whole regexes: the expected/actual lines carry the facts. */
function cut(text: string): string {
  return cutRedacted(text, 200);
}

/** The verifier reads the port from the URL and needs it spelled out. */
function withExplicitPort(baseUrl: string): string {
  const url = new URL(baseUrl);
  const port = url.port === "" ? (url.protocol === "https:" ? "443" : "80") : url.port;
  return `${url.protocol}//${url.hostname}:${port}${url.pathname.replace(/\/+$/, "")}`;
}

/** Runs the verifier in a child process: its output captured (for redaction), results on fd 3. */
function runChild(
  runs: ChildInput["runs"],
  hardLimitMs: number,
  signal: AbortSignal | undefined,
): Promise<{ results: ChildResult[] | undefined; output: string }> {
  const script = childScript();
  if (!existsSync(script))
    return Promise.resolve({
      results: undefined,
      output: `the Pact verifier's process script ${script} is missing: run \`npm run build\``,
    });
  const missing = pactEngineMissing("--skip-pact");
  if (missing !== undefined) return Promise.resolve({ results: undefined, output: missing });
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [script], {
      stdio: ["pipe", "pipe", "pipe", "pipe"],
      env: { ...process.env, PACT_DO_NOT_TRACK: "true" },
    });
    let output = "";
    // The verifier's own output can quote request headers: it is only ever kept redacted (the
    // tail, a cut secret's end masked too).
    const keep = (chunk: Buffer) => {
      output = tailRedacted(output + chunk.toString("utf8"), 65_536);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let resultText = "";
    const resultPipe = child.stdio[RESULT_FD] as NodeJS.ReadableStream;
    resultPipe.on("data", (chunk: Buffer) => {
      resultText += chunk.toString("utf8");
    });
    const timer = setTimeout(() => {
      output += `\n(stopped after ${hardLimitMs} ms)`;
      child.kill("SIGKILL");
    }, hardLimitMs);
    const abort = () => {
      output += "\n(stopped: the run was aborted)";
      child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", abort, { once: true });
    child.on("error", (error) => {
      output += `\n${error.message}`;
    });
    child.on("close", () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
      let results: ChildResult[] | undefined;
      try {
        results = resultText === "" ? undefined : (JSON.parse(resultText) as ChildResult[]);
      } catch {
        results = undefined;
      }
      resolvePromise({ results, output });
    });
    // Options go in on stdin: the credentials never show in the process list.
    const input: ChildInput = { runs, resultFd: RESULT_FD };
    child.stdin.end(JSON.stringify(input));
  });
}
