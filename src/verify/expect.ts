/**
 * What the checks assert about one answer, each failure an `AnswerIssue` that says what was
 * expected and what came, with the exchange for the curl command.
 */
import { cutRedacted } from "../secrets.js";
import { validateStream } from "../validators/stream.js";
import { validateTwilioError } from "../validators/twilio-error.js";
import type { Stream, TwilioError } from "../validators/generated/types.js";
import { AnswerIssue, type CheckEnv } from "./check.js";
import type { HttpExchange, HttpRequest } from "./http.js";
import { isObject } from "../lib/json.js";

const MAX_SHOWN = 300;

/** Sends a request whose answer will be checked, counting it. */
export async function send(env: CheckEnv, request: HttpRequest): Promise<HttpExchange> {
  const exchange = await env.http.send(request);
  env.counters.checkedRequests += 1;
  if (exchange.decodingError !== undefined) {
    throw new AnswerIssue(
      `the answer cannot be decoded: ${exchange.decodingError}`,
      "a body encoded as its Content-Encoding header says",
      describeAnswer(exchange),
      exchange,
    );
  }
  return exchange;
}

/** One line: status, content type and (cut) body. */
export function describeAnswer(exchange: HttpExchange): string {
  const body = cutRedacted(exchange.body, MAX_SHOWN); // redacted before the cut: a cut secret would not be found after
  const type = exchange.headers["content-type"] ?? "no Content-Type";
  return `${exchange.status} (${type}) ${body.replace(/\s+/g, " ")}`;
}

/** `METHOD path` of the exchange's request. */
export function describeRequest(exchange: HttpExchange): string {
  return `${exchange.request.method} ${exchange.request.path}`;
}

/** Throws unless the status is one of `accepted`. */
export function expectStatus(exchange: HttpExchange, accepted: (status: number) => boolean, expected: string, why: string): void {
  if (!accepted(exchange.status)) {
    throw new AnswerIssue(
      `${why}: ${describeRequest(exchange)} answered ${exchange.status}, expected ${expected}`,
      expected,
      describeAnswer(exchange),
      exchange,
    );
  }
}

export const isSuccess = (status: number): boolean => status >= 200 && status <= 299;
export const isClientError = (status: number): boolean => status >= 400 && status <= 499;

/** The body as JSON; an AnswerIssue when it is not JSON. */
function expectJson(exchange: HttpExchange, what: string): unknown {
  try {
    return JSON.parse(exchange.body) as unknown;
  } catch {
    throw new AnswerIssue(
      `${describeRequest(exchange)} answered ${exchange.status} with a body that is not JSON, expected ${what}`,
      `${what} (JSON)`,
      describeAnswer(exchange),
      exchange,
    );
  }
}

/** The body as a JSON object, or undefined (other checks report bodies that are not). */
export function jsonObject(exchange: HttpExchange): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(exchange.body) as unknown;
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The body as a schema-valid Stream; an AnswerIssue listing the schema issues otherwise. */
export function expectStream(exchange: HttpExchange): Stream {
  const result = validateStream(expectJson(exchange, "a Stream resource"));
  if (!result.valid) {
    const issues = result.issues.map((e) => e.message).join("; ");
    throw new AnswerIssue(
      `${describeRequest(exchange)} answered ${exchange.status} with a Stream that breaks the schema: ${issues}`,
      "a Stream resource valid against schemas/stream.schema.json",
      describeAnswer(exchange),
      exchange,
    );
  }
  return result.value;
}

/** The body as a schema-valid Twilio error; an AnswerIssue otherwise. */
export function expectTwilioError(exchange: HttpExchange): TwilioError {
  const result = validateTwilioError(expectJson(exchange, "a Twilio error body"));
  if (!result.valid) {
    const issues = result.issues.map((e) => e.message).join("; ");
    throw new AnswerIssue(
      `${describeRequest(exchange)} answered ${exchange.status} with an error body that breaks the schema: ${issues}`,
      "a Twilio error body valid against schemas/twilio-error.schema.json",
      describeAnswer(exchange),
      exchange,
    );
  }
  return result.value;
}

/** Throws unless `actual` equals `expected` (a field of a Stream, say). */
export function expectField(exchange: HttpExchange, field: string, actual: unknown, expected: unknown, why: string): void {
  if (actual !== expected) {
    throw new AnswerIssue(
      `${why}: ${field} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)} (${describeRequest(exchange)})`,
      `${field} = ${JSON.stringify(expected)}`,
      describeAnswer(exchange),
      exchange,
    );
  }
}
