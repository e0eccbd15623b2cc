/**
 * A provider's side of the broker: fetch the pacts to verify (`pb:provider-pacts-for-verification`
 * with consumer version selectors) and publish the results (`pb:publish-verification-results` of
 * each pact, after recording the provider version's branch with `pb:pacticipant-branch-version`).
 *
 * The pacts are fetched here, not by the Rust verifier, and handed to `verify` as files: verify
 * splits and rewrites interactions before verifying them (the 401 interaction keeps its bad
 * credentials, states name the run's account), which it can only do with files in hand.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BrokerError, type BrokerClient } from "./client.js";
import { asArray, field } from "../lib/json.js";

const PACTS_FOR_VERIFICATION_RELATION = "pb:provider-pacts-for-verification";
const BRANCH_VERSION_RELATION = "pb:pacticipant-branch-version";

/** A pact fetched for verification and written to a file. */
export interface FetchedPact {
  readonly consumer: string;
  readonly file: string;
  /** Where its verification result goes (the pact's `pb:publish-verification-results`). */
  readonly resultsUrl?: string;
  /** Why the broker chose it (`verificationProperties.notices`). */
  readonly notices: readonly string[];
}

export interface FetchOptions {
  readonly provider: string;
  readonly consumerVersionSelectors: readonly Record<string, unknown>[];
  readonly providerVersionBranch?: string;
  /** Where the pact files are written. */
  readonly directory: string;
}

/** Fetches the pacts the broker selects for `provider` and writes them under `directory`. */
export async function fetchPactsForVerification(client: BrokerClient, options: FetchOptions): Promise<FetchedPact[]> {
  const template = await client.relation(PACTS_FOR_VERIFICATION_RELATION);
  if (template === undefined)
    throw new BrokerError(
      `the broker's index has no "${PACTS_FOR_VERIFICATION_RELATION}" relation: fetching pacts by consumer version selectors needs a more recent Pact Broker (or PactFlow)`,
    );
  const url = expand(template, { provider: options.provider });
  const answer = await client.postJson(url, {
    consumerVersionSelectors: options.consumerVersionSelectors,
    ...(options.providerVersionBranch === undefined ? {} : { providerVersionBranch: options.providerVersionBranch }),
    includePendingStatus: false,
  });
  const listed = asArray(field(field(answer.body, "_embedded"), "pacts"));
  await mkdir(options.directory, { recursive: true });
  const fetched: FetchedPact[] = [];
  for (const [index, entry] of listed.entries()) {
    const href = field(field(field(entry, "_links"), "self"), "href");
    if (typeof href !== "string") continue;
    const pact = (await client.getJson(href)).body;
    const consumer = field(field(pact, "consumer"), "name");
    if (typeof consumer !== "string") throw new BrokerError(`the broker answered ${href} with something that is not a pact`);
    const file = join(options.directory, `${String(index + 1).padStart(3, "0")}-${consumer.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
    await writeFile(file, JSON.stringify(pact, null, 2));
    const resultsUrl = field(field(field(pact, "_links"), "pb:publish-verification-results"), "href");
    const notices = asArray(field(field(entry, "verificationProperties"), "notices"))
      .map((n) => field(n, "text"))
      .filter((t): t is string => typeof t === "string");
    fetched.push({ consumer, file, ...(typeof resultsUrl === "string" ? { resultsUrl } : {}), notices });
  }
  return fetched;
}

export interface VerificationPublication {
  readonly provider: string;
  readonly providerVersion: string;
  readonly providerBranch?: string;
  readonly buildUrl?: string;
  /** The package's version, for `verifiedBy`. */
  readonly verifierVersion: string;
}

/**
 * Publishes one result per fetched pact (`success` decides it, by consumer). Pacts without a
 * result (`success` undefined: not verified) and pacts without a results link are left out;
 * returns what was published, as lines for the user.
 */
export async function publishVerificationResults(
  client: BrokerClient,
  pacts: readonly FetchedPact[],
  success: (pact: FetchedPact) => boolean | undefined,
  publication: VerificationPublication,
): Promise<string[]> {
  const lines: string[] = [];
  if (publication.providerBranch !== undefined) {
    const template = await client.relation(BRANCH_VERSION_RELATION);
    if (template !== undefined) {
      await client.putJson(
        expand(template, { pacticipant: publication.provider, branch: publication.providerBranch, version: publication.providerVersion }),
        {},
      );
      lines.push(`recorded ${publication.provider} version ${publication.providerVersion} on branch ${publication.providerBranch}`);
    } else {
      lines.push(
        `the broker does not record branches (no "${BRANCH_VERSION_RELATION}"): branch ${publication.providerBranch} not recorded`,
      );
    }
  }
  for (const pact of pacts) {
    const passed = success(pact);
    if (passed === undefined || pact.resultsUrl === undefined) continue;
    await client.postJson(pact.resultsUrl, {
      success: passed,
      providerApplicationVersion: publication.providerVersion,
      ...(publication.buildUrl === undefined ? {} : { buildUrl: publication.buildUrl }),
      verifiedBy: { implementation: "twilio-stream-contract", version: publication.verifierVersion },
    });
    lines.push(
      `published verification result for ${pact.consumer}: ${passed ? "success" : "failure"} (provider version ${publication.providerVersion})`,
    );
  }
  return lines;
}

/** RFC 6570 level-1 expansion, as HAL templates use it. */
function expand(template: string, values: Readonly<Record<string, string>>): string {
  let out = template;
  for (const [name, value] of Object.entries(values)) out = out.split(`{${name}}`).join(encodeURIComponent(value));
  return out;
}
