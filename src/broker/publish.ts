/**
 * Publishing through the broker's documented API: GET the HAL index, follow
 * `pb:publish-contracts` (Pact Broker ≥ 2.86, PactFlow), POST one request per consumer:
 *
 *     { pacticipantName, pacticipantVersionNumber, branch, tags, buildUrl,
 *       contracts: [{ consumerName, providerName, specification: "pact",
 *                     contentType: "application/json", content: <base64 of the pact file> }] }
 *
 * The broker answers with `notices` ([{ type, text }]; `logs` [{ level, message }] on older
 * versions), which are handed back for printing.
 */
import { cutRedacted } from "../secrets.js";
import { BrokerError, type BrokerClient } from "./client.js";
import type { PactToPublish } from "./pact-files.js";
import { isObject } from "../lib/json.js";

/** The relation of the publish endpoint in the broker's index. */
const PUBLISH_CONTRACTS_RELATION = "pb:publish-contracts";

/** What every contract of a publication is published as. */
export interface Publication {
  readonly version: string;
  readonly branch?: string;
  readonly tags: readonly string[];
  readonly buildUrl?: string;
}

/** A message of the broker's. */
export interface BrokerNotice {
  readonly type: string;
  readonly text: string;
}

/** The request bodies to POST: one per consumer (the API publishes for one pacticipant). */
function publishRequests(pacts: readonly PactToPublish[], publication: Publication): Record<string, unknown>[] {
  const byConsumer = new Map<string, PactToPublish[]>();
  for (const file of pacts) {
    if (file.pact === undefined) continue;
    byConsumer.set(file.pact.consumer, [...(byConsumer.get(file.pact.consumer) ?? []), file]);
  }
  return [...byConsumer].map(([consumer, files]) => ({
    pacticipantName: consumer,
    pacticipantVersionNumber: publication.version,
    ...(publication.branch === undefined ? {} : { branch: publication.branch }),
    ...(publication.tags.length === 0 ? {} : { tags: [...publication.tags] }),
    ...(publication.buildUrl === undefined ? {} : { buildUrl: publication.buildUrl }),
    contracts: files.map((file) => ({
      consumerName: consumer,
      providerName: file.pact?.provider,
      specification: "pact",
      contentType: "application/json",
      content: Buffer.from(file.text, "utf8").toString("base64"),
    })),
  }));
}

/** Publishes; resolves with the broker's notices, throws BrokerError with a user-facing message. */
export async function publishPacts(client: BrokerClient, pacts: readonly PactToPublish[], publication: Publication): Promise<BrokerNotice[]> {
  const notices: BrokerNotice[] = [];
  let consumer = "";
  try {
    const href = await client.relation(PUBLISH_CONTRACTS_RELATION);
    if (href === undefined) {
      throw new BrokerError(`the broker's index has no "${PUBLISH_CONTRACTS_RELATION}" relation: publishing needs Pact Broker 2.86 or later (or PactFlow)`);
    }
    for (const request of publishRequests(pacts, publication)) {
      consumer = String(request.pacticipantName);
      const response = await client.postJson(href, request);
      notices.push(...noticesOf(response.body));
    }
  } catch (error) {
    if (!(error instanceof BrokerError) || error.status === undefined) throw error;
    throw new BrokerError(client.redact(explain(error, consumer, publication.version)), error.status, error.body);
  }
  return notices;
}

/** The broker's notices in an answer: `notices` (current) or `logs` (older brokers). */
function noticesOf(body: unknown): BrokerNotice[] {
  if (!isObject(body)) return [];
  const out: BrokerNotice[] = [];
  if (Array.isArray(body.notices)) {
    for (const n of body.notices) if (isObject(n) && typeof n.text === "string") out.push({ type: typeof n.type === "string" ? n.type : "info", text: n.text });
  } else if (Array.isArray(body.logs)) {
    for (const n of body.logs) if (isObject(n) && typeof n.message === "string") out.push({ type: typeof n.level === "string" ? n.level : "info", text: n.message });
  }
  return out;
}

/** A failed publication in words, with what to do about it. */
function explain(error: BrokerError, consumer: string, version: string): string {
  const details = errorDetails(error.body);
  const suffix = details.length === 0 ? "" : `\n${details.map((line) => `  ${line}`).join("\n")}`;
  switch (error.status) {
    case 401:
      return `the broker refused the credentials (401): check PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD${suffix}`;
    case 403:
      return `the credentials may not publish contracts${consumer ? ` for ${consumer}` : ""} (403): the token needs publishing permission${suffix}`;
    case 404:
      return `${error.message} (not found): is --broker-base-url / PACT_BROKER_BASE_URL the broker's base URL?${suffix}`;
    case 409:
      return `the broker already holds a different pact for ${consumer || "this consumer"} version ${version} (409): publish changed pacts under a new version (a new commit SHA)${suffix}`;
    case 400:
    case 422:
      return `the broker refused the publication as invalid (${error.status})${suffix}`;
    default:
      return `${error.message}${suffix}`;
  }
}

/** The lines of a broker error body: `errors` (object of arrays, or problem+json list), `notices`. */
function errorDetails(body: unknown): string[] {
  if (typeof body === "string") return body.trim() === "" ? [] : [cutRedacted(body, 500).trim()];
  if (!isObject(body)) return [];
  const lines = noticesOf(body).filter((n) => n.type === "error" || n.type === "warning").map((n) => n.text);
  const errors = body.errors;
  if (Array.isArray(errors)) {
    for (const e of errors) lines.push(isObject(e) ? `${typeof e.pointer === "string" ? `${e.pointer}: ` : ""}${String(e.detail ?? e.title ?? JSON.stringify(e))}` : String(e));
  } else if (isObject(errors)) {
    for (const [field, messages] of Object.entries(errors)) {
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        const text = typeof message === "string" ? message : JSON.stringify(message);
        if (!lines.includes(text)) lines.push(`${field}: ${text}`);
      }
    }
  }
  if (lines.length === 0 && typeof body.title === "string") lines.push(`${body.title}${typeof body.detail === "string" ? `: ${body.detail}` : ""}`);
  return lines;
}
