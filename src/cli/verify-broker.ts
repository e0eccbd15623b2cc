/**
 * `verify` with a Pact Broker: `--broker-base-url` fetches the pacts to verify (consumer version
 * selectors) instead of reading contracts/, and `--publish-verification-results` sends each
 * pact's result back with the provider version and branch. Credentials: PACT_BROKER_TOKEN, or
 * PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD, from the environment only, never printed.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkg from "../../package.json" with { type: "json" };
import { BrokerError, brokerAuthFromEnv, createBrokerClient, type BrokerClient } from "../broker/client.js";
import { fetchPactsForVerification, type FetchedPact, publishVerificationResults } from "../broker/verification.js";
import { resolveVersionInfo } from "../broker/version-info.js";
import type { RunReport } from "../report/types.js";
import { PROVIDER_NAME } from "../verify/pact.js";
import { registerSecret, urlForMessage } from "../secrets.js";
import { isObject } from "../lib/json.js";
import { UsageError } from "./exit.js";
import { optionsHelp } from "./help.js";

/** The options' parseArgs definitions: `...brokerOptions` in verify's options. */
export const brokerOptions = {
  "broker-base-url": { type: "string" },
  "consumer-version-selectors": { type: "string" },
  "publish-verification-results": { type: "boolean" },
  "provider-app-version": { type: "string" },
  "provider-branch": { type: "string" },
} as const;

/** The options' help lines (column 27, as verify's). */
export const BROKER_HELP = optionsHelp(
  [
    [
      "--broker-base-url URL",
      "verify the pacts a Pact Broker selects instead of contracts/\n(credentials: $PACT_BROKER_TOKEN, or $PACT_BROKER_USERNAME and\n$PACT_BROKER_PASSWORD; never printed)",
    ],
    ["--consumer-version-selectors JSON", `which pacts (default: ${JSON.stringify(defaultSelectors())})`],
    ["--publish-verification-results", "send each pact's result back to the broker"],
    [
      "--provider-app-version V",
      "the provider version published with the results (default:\n$GITHUB_SHA, $CI_COMMIT_SHA, … or the git commit SHA)",
    ],
    ["--provider-branch B", "its branch (default: $GITHUB_HEAD_REF, $GITHUB_REF_NAME, … or git's)"],
  ],
  27,
);

/** The provider name the bundled contracts are written for. */
const DEFAULT_PROVIDER = PROVIDER_NAME;

function defaultSelectors(): Record<string, unknown>[] {
  return [{ mainBranch: true }, { deployedOrReleased: true }];
}

type Values = { [K in keyof typeof brokerOptions]?: (typeof brokerOptions)[K]["type"] extends "boolean" ? boolean : string };

/** Pacts fetched from a broker for one run of verify, and how to report back. */
export interface BrokerRun {
  /** The directory to verify (`pactPaths`). */
  readonly directory: string;
  readonly pacts: readonly FetchedPact[];
  /** Publishes the results of `report` when asked to; returns lines for the user. */
  publish(report: RunReport): Promise<string[]>;
  /** Deletes the fetched files. */
  dispose(): Promise<void>;
}

/** The broker's deadline per request: 30 s, or verify's --timeout when that is longer. */
const BROKER_TIMEOUT_MS = 30_000;

/** Checks the broker options; undefined without --broker-base-url. `timeoutMs`: verify's --timeout. */
export async function prepareBrokerRun(
  values: Values,
  progress: (line: string) => void,
  timeoutMs = BROKER_TIMEOUT_MS,
): Promise<BrokerRun | undefined> {
  const url = values["broker-base-url"];
  if (url === undefined) {
    for (const flag of ["consumer-version-selectors", "publish-verification-results", "provider-app-version", "provider-branch"] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --broker-base-url`);
    }
    return undefined;
  }
  if (!/^https?:\/\//.test(url)) throw new UsageError("--broker-base-url must be an http:// or https:// URL");
  registerUrlPassword(url);
  const selectors = parseSelectors(values["consumer-version-selectors"]);
  const env = process.env;
  const versionInfo = await resolveVersionInfo(
    { version: values["provider-app-version"], branch: values["provider-branch"] },
    values["publish-verification-results"] === true,
    env,
    process.cwd(),
  );
  const providerVersion = versionInfo.version;
  const providerBranch = versionInfo.branch;
  if (values["publish-verification-results"] && providerVersion === undefined) {
    throw new UsageError(
      "--publish-verification-results needs a provider version: give --provider-app-version, or run in a git checkout or CI job",
    );
  }
  const client = createBrokerClient({
    baseUrl: url,
    auth: brokerAuthFromEnv(env),
    timeoutMs: Math.max(BROKER_TIMEOUT_MS, timeoutMs),
    retries: 3,
    retryDelayMs: 250,
    progress,
  });
  const directory = await mkdtemp(join(tmpdir(), "stream-contract-broker-pacts-"));
  let pacts: FetchedPact[];
  try {
    pacts = await brokerCall(client, () =>
      fetchPactsForVerification(client, {
        provider: DEFAULT_PROVIDER,
        consumerVersionSelectors: selectors,
        providerVersionBranch: providerBranch,
        directory,
      }),
    );
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  if (pacts.length === 0) {
    await rm(directory, { recursive: true, force: true });
    throw new UsageError(
      client.redact(
        `the broker at ${urlForMessage(url)} has no pacts for provider "${DEFAULT_PROVIDER}" matching ${JSON.stringify(selectors)}`,
      ),
    );
  }
  progress(`fetched ${pacts.length} pact${pacts.length === 1 ? "" : "s"} from the broker: ${pacts.map((p) => p.consumer).join(", ")}`);
  for (const pact of pacts) for (const notice of pact.notices) progress(client.redact(`  ${pact.consumer}: ${notice}`));
  return {
    directory,
    pacts,
    async publish(report) {
      if (!values["publish-verification-results"] || providerVersion === undefined) return [];
      if ((report as { runError?: string }).runError !== undefined) return ["verification did not run to the end: no results published"];
      return brokerCall(client, () =>
        publishVerificationResults(client, pacts, (pact) => consumerPassed(report, pact.consumer), {
          provider: DEFAULT_PROVIDER,
          providerVersion,
          providerBranch,
          buildUrl: versionInfo.buildUrl,
          verifierVersion: pkg.version,
        }),
      );
    },
    dispose: () => rm(directory, { recursive: true, force: true }),
  };
}

/** A password in the URL (https://user:pass@host) is a secret like the others: every sink masks it. */
function registerUrlPassword(url: string): void {
  try {
    const { username, password } = new URL(url);
    if (password !== "") registerSecret(decodeURIComponent(password), [decodeURIComponent(username)]);
  } catch {
    // Not a URL: the broker client says so, through urlForMessage.
  }
}

/** Whether every interaction of `consumer`'s pact passed; undefined when none was verified. */
function consumerPassed(report: RunReport, consumer: string): boolean | undefined {
  // verify names each Pact outcome `pact › <consumer> › <description>`.
  const outcomes = report.outcomes.filter((o) => o.group === "pact" && o.name.startsWith(`pact › ${consumer} › `));
  if (outcomes.length === 0) return undefined;
  return outcomes.every((o) => o.status === "passed");
}

function parseSelectors(text: string | undefined): Record<string, unknown>[] {
  if (text === undefined) return defaultSelectors();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--consumer-version-selectors must be JSON, e.g. '[{"mainBranch":true}]'`);
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every(isObject)) {
    throw new UsageError(
      `--consumer-version-selectors must be a non-empty JSON array of objects, e.g. '[{"mainBranch":true},{"deployedOrReleased":true}]'`,
    );
  }
  return value as Record<string, unknown>[];
}

/** A broker failure as a usage error (exit 2), credentials masked. */
async function brokerCall<T>(client: BrokerClient, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof BrokerError)) throw error;
    const hint =
      error.status === 401
        ? ": check PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD"
        : error.status === 403
          ? ": the credentials lack permission"
          : "";
    throw new UsageError(client.redact(`broker: ${error.message}${hint}`));
  }
}
