/**
 * What `publish` checks before a pact leaves the machine: a pact is what providers are verified
 * against, so one that would teach them something false — a 2xx for an invalid request, a Stream
 * that breaks the schema, a 500 as an expected answer, a credential in clear — is refused.
 *
 * Every rule comes from the validators (and so from schemas/); this file only decides which
 * validator applies to which example, from the request's path and the response's status.
 */
import { matchStreamRoute, type StreamRoute } from "../contract/paths.js";
import { PINNED_ERROR_CODES } from "../contract/errors.js";
import { validateCreateStreamRequest } from "../validators/create-stream-request.js";
import { validateUpdateStreamRequest } from "../validators/update-stream-request.js";
import { validateStream } from "../validators/stream.js";
import { validateTwilioError } from "../validators/twilio-error.js";
import { field, headerValue, isObject } from "../lib/json.js";
import { validateTwilioStreamMessage } from "../validators/media-message.js";

/** A pact that passed the checks: what the broker needs to know about it. */
export interface CheckedPact {
  readonly consumer: string;
  readonly provider: string;
  readonly interactions: number;
}

/** The outcome of checking one pact document: its names when readable, and every problem. */
export interface PactCheck {
  readonly pact?: CheckedPact;
  readonly problems: readonly string[];
}

type Json = Record<string, unknown>;

const FORM = "application/x-www-form-urlencoded";

/** Checks a parsed pact document. */
export function checkPact(document: unknown): PactCheck {
  if (!isObject(document)) return { problems: ["not a pact: the document is not a JSON object"] };
  const problems: string[] = [];
  const version = field(field(document.metadata, "pactSpecification"), "version");
  if (typeof version !== "string" || !version.startsWith("4.")) {
    problems.push(
      `not a Pact V4 file: metadata.pactSpecification.version is ${version === undefined ? "missing" : JSON.stringify(version)}, expected "4.0"`,
    );
  }
  const consumer = field(document.consumer, "name");
  const provider = field(document.provider, "name");
  if (typeof consumer !== "string" || consumer === "") problems.push("consumer.name is missing");
  if (typeof provider !== "string" || provider === "") problems.push("provider.name is missing");
  const interactions = document.interactions;
  if (!Array.isArray(interactions) || interactions.length === 0) {
    problems.push("the pact has no interactions");
  } else {
    interactions.forEach((interaction, index) => {
      const label = `interaction ${index + 1}${isObject(interaction) && typeof interaction.description === "string" ? ` "${interaction.description}"` : ""}`;
      for (const problem of checkInteraction(interaction)) problems.push(`${label}: ${problem}`);
    });
  }
  if (typeof consumer !== "string" || typeof provider !== "string") return { problems };
  return { pact: { consumer, provider, interactions: Array.isArray(interactions) ? interactions.length : 0 }, problems };
}

function checkInteraction(interaction: unknown): string[] {
  if (!isObject(interaction)) return ["not an object"];
  if (interaction.type === "Asynchronous/Messages") return checkMediaMessage(interaction);
  if (interaction.type !== "Synchronous/HTTP") {
    return [
      `type is ${JSON.stringify(interaction.type)}: this contract has only "Synchronous/HTTP" interactions and Media Streams messages ("Asynchronous/Messages")`,
    ];
  }
  const request = isObject(interaction.request) ? interaction.request : {};
  const response = isObject(interaction.response) ? interaction.response : {};
  const problems: string[] = [];
  const method = typeof request.method === "string" ? request.method.toUpperCase() : "";
  const path = typeof request.path === "string" ? request.path : "";
  const status = typeof response.status === "number" ? response.status : NaN;
  const route = matchStreamRoute(path);
  const requestIssues =
    route === undefined
      ? [`${path || "(no path)"} is neither CreateStream's nor UpdateStream's path`]
      : checkRequest(route, method, request);

  const authorization = headerValue(request.headers, "authorization");
  if (authorization !== undefined && !hasRegexRule(request, "authorization")) {
    problems.push("request Authorization header is a literal value: match it by regex, so that no credential is fixed in the pact");
  }

  if (!(status >= 200 && status < 500)) {
    problems.push(
      `response status ${Number.isNaN(status) ? "is missing" : status}: a pact may only expect 2xx or 4xx answers from a provider`,
    );
    return problems;
  }
  if (status < 300) {
    for (const issue of requestIssues) problems.push(`a 2xx answer to an invalid request: ${issue}`);
    if (authorization === undefined) problems.push("a 2xx answer to a request without an Authorization header");
    if (route !== undefined) problems.push(...checkStreamResponse(route, body(response)));
    return problems;
  }
  if (status === 400 && requestIssues.length === 0 && route !== undefined) {
    problems.push(`a 400 answer to a valid ${route.operation} request`);
  }
  problems.push(...checkErrorResponse(status, body(response)));
  return problems;
}

/** Why the request is not a valid call of its operation (empty when it is). */
function checkRequest(route: StreamRoute, method: string, request: Json): string[] {
  if (method !== "POST") return [`method ${method || "(none)"}: ${route.operation} is a POST`];
  const contentType = headerValue(request.headers, "content-type");
  const issues: string[] = [];
  if (contentType === undefined || !contentType.toLowerCase().startsWith(FORM)) {
    issues.push(`request Content-Type is ${contentType === undefined ? "missing" : JSON.stringify(contentType)}, expected ${FORM}`);
  }
  const content = body(request);
  const form = typeof content === "string" ? content : content === undefined ? "" : undefined;
  if (form === undefined) return [...issues, "request body is not a form body"];
  const result = (route.operation === "CreateStream" ? validateCreateStreamRequest : validateUpdateStreamRequest)({
    path: route.params,
    body: form,
  });
  return result.valid ? issues : [...issues, ...result.issues.map((e) => `request ${e.message}`)];
}

function checkStreamResponse(route: StreamRoute, content: unknown): string[] {
  const result = validateStream(content);
  if (!result.valid) return result.issues.map((e) => `response body ${e.message}`);
  const stream = result.value;
  const problems: string[] = [];
  if (stream.account_sid !== route.params.AccountSid)
    problems.push(`response account_sid ${JSON.stringify(stream.account_sid)} is not the path's ${route.params.AccountSid}`);
  if (stream.call_sid !== route.params.CallSid)
    problems.push(`response call_sid ${JSON.stringify(stream.call_sid)} is not the path's ${route.params.CallSid}`);
  const expected = route.operation === "CreateStream" ? "in-progress" : "stopped";
  if (stream.status !== expected)
    problems.push(`response status is ${JSON.stringify(stream.status)}: ${route.operation} answers with "${expected}"`);
  return problems;
}

/** A message interaction: a message Twilio sends on a Media Stream (schemas/twilio-media-message.schema.json). */
function checkMediaMessage(interaction: Json): string[] {
  const contents = isObject(interaction.contents) ? interaction.contents : {};
  const result = validateTwilioStreamMessage(body({ body: contents }));
  return result.valid ? [] : result.issues.map((e) => `message ${e.message}`);
}

function checkErrorResponse(status: number, content: unknown): string[] {
  if (content === undefined) return [];
  const result = validateTwilioError(content);
  if (!result.valid) return result.issues.map((e) => `response body is not a Twilio error body: ${e.message}`);
  const problems: string[] = [];
  if (result.value.status !== status) problems.push(`response body says status ${result.value.status}, the response is ${status}`);
  const code = PINNED_ERROR_CODES[status];
  if (code !== undefined && result.value.code !== code)
    problems.push(`response code ${result.value.code}: a ${status} carries Twilio code ${code}`);
  return problems;
}

/** A V4 body `{ content, contentType, encoded }`, decoded: a string for forms, a value for JSON. */
function body(part: Json): unknown {
  const b = part.body;
  if (!isObject(b) || !("content" in b)) return b === undefined || b === null ? undefined : b;
  let content = b.content;
  if (b.encoded === "base64" && typeof content === "string") content = Buffer.from(content, "base64").toString("utf8");
  const type = typeof b.contentType === "string" ? b.contentType : "";
  if (typeof content === "string" && type.includes("json")) {
    try {
      return JSON.parse(content);
    } catch {
      return content;
    }
  }
  return content;
}

function hasRegexRule(part: Json, name: string): boolean {
  const headers = field(part.matchingRules, "header");
  if (!isObject(headers)) return false;
  for (const [key, rule] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || !isObject(rule)) continue;
    const matchers = Array.isArray(rule.matchers) ? rule.matchers : [];
    if (matchers.some((m) => isObject(m) && m.match === "regex")) return true;
  }
  return false;
}
