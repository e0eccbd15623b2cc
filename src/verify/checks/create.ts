/**
 * CreateStream with valid requests: accepted, and the Stream it answers is the one asked for.
 */
import createRequestSchema from "../../../schemas/create-stream-request.schema.json" with { type: "json" };
import { streamPath } from "../../contract/paths.js";
import { AnswerIssue, type ConformanceCheck } from "../check.js";
import { describeAnswer, expectField, expectStatus, isSuccess, jsonObject, send } from "../expect.js";
import { authorizationOf } from "../credentials.js";
import { createStreamHttpRequest } from "../requests.js";
import { validCreate, type CreateSample } from "../samples.js";
import { onCall } from "./fixtures.js";
import { isBlankName } from "../server-rules.js";
import type { CheckEnv } from "../check.js";
import type { HttpExchange } from "../http.js";

/** Given both an auth token and an API key, half the samples (by their Call SID) authenticate with the key. */
function prefersApiKey(sample: CreateSample): boolean {
  return sample.callSid.charCodeAt(sample.callSid.length - 1) % 2 === 1;
}

/** The named fields of the CreateStream body (Url, Name, Track …), from the schema. */
const CREATE_FIELDS = Object.keys(createRequestSchema.$defs.body.properties);

/**
 * Coverage keys of a valid create: each credential kind, each field set and each left out,
 * each value of an enum, a blank Name (the server rule blankName).
 */
function createKeys(sample: CreateSample): string[] {
  const { body } = sample;
  return [
    `credentials: ${prefersApiKey(sample) ? "API key" : "auth token"}`,
    ...Object.entries(body).map(([field, value]) =>
      field === "Track" || field === "StatusCallbackMethod" ? `${field}=${value}` : field.replace(/\d+/g, "N"),
    ),
    ...CREATE_FIELDS.filter((field) => body[field] === undefined).map((field) => `without ${field}`),
    ...(body.Name !== undefined && isBlankName(body.Name) ? ["blank Name"] : []),
  ];
}

/**
 * POSTs a valid create request on a call in progress. Given both an auth token and an API key,
 * half the samples (by their Call SID) authenticate with the key: a server must take both.
 */
async function create(
  env: CheckEnv,
  sample: CreateSample,
  run: (exchange: HttpExchange, accountSid: string, callSid: string) => Promise<void> | void,
): Promise<void> {
  const preferApiKey = prefersApiKey(sample);
  await onCall(env, sample.callSid, async (call) => {
    const exchange = await send(
      env,
      createStreamHttpRequest(
        { authorization: authorizationOf(env.credentials, preferApiKey) },
        call.accountSid,
        call.callSid,
        sample.body,
      ),
    );
    await run(exchange, call.accountSid, call.callSid);
  });
}

/** Valid create requests → 2xx. */
export const positiveDataAcceptance: ConformanceCheck<CreateSample> = {
  name: "positive data acceptance",
  asserts: "valid CreateStream requests on a call in progress are accepted (2xx)",
  states: "required",
  arbitrary: validCreate,
  cover: createKeys,
  run: (sample, env) =>
    create(env, sample, (exchange) => {
      expectStatus(exchange, isSuccess, "2xx (200 OK)", "a valid CreateStream request was refused");
    }),
};

/** The created Stream is the one the request asked for. */
export const streamMatchesRequest: ConformanceCheck<CreateSample> = {
  name: "stream matches request",
  asserts: "a created Stream has the path's account_sid and call_sid, name = Name (null without), status in-progress, uri = its own path",
  states: "required",
  arbitrary: validCreate,
  cover: createKeys,
  run: (sample, env, reach) =>
    create(env, sample, (exchange, accountSid, callSid) => {
      // Refusals, bodies that are not JSON and schema breaks are other checks' business.
      const stream = isSuccess(exchange.status) ? jsonObject(exchange) : undefined;
      if (stream === undefined) return reach.unreached();
      const why = "the created Stream does not match the request";
      expectField(exchange, "account_sid", stream.account_sid, accountSid, why);
      expectField(exchange, "call_sid", stream.call_sid, callSid, why);
      // The server rule blankName: a blank Name may be kept or read as not sent (null).
      const name = sample.body.Name;
      if (!(name !== undefined && isBlankName(name) && stream.name === null)) expectField(exchange, "name", stream.name, name ?? null, why);
      expectField(exchange, "status", stream.status, "in-progress", why);
      if (typeof stream.sid === "string") expectField(exchange, "uri", stream.uri, streamPath(accountSid, callSid, stream.sid), why);
    }),
};

/** Every create hands out a SID no Stream of this run had. */
export const newStreamSid: ConformanceCheck<CreateSample> = {
  name: "new stream sid",
  asserts: "every created Stream has a SID no other Stream of the run has (two creates on one call included)",
  states: "required",
  arbitrary: validCreate,
  cover: createKeys,
  run: (sample, env, reach) =>
    create(env, sample, async (first, accountSid, callSid) => {
      if (!isSuccess(first.status)) return reach.unreached();
      // A second Stream on the same call, without the first one's Name (names are unique per call).
      const rest = { ...sample.body };
      delete rest.Name;
      const second = await send(env, createStreamHttpRequest(env.credentials, accountSid, callSid, rest));
      let compared = 0;
      for (const exchange of [first, second]) {
        if (!isSuccess(exchange.status)) continue;
        const sid = jsonObject(exchange)?.sid;
        if (typeof sid !== "string") continue; // response schema conformance reports that
        if (env.seenStreamSids.has(sid)) {
          throw new AnswerIssue(
            `a new Stream got the SID ${sid}, which an earlier Stream of this run already had`,
            "a SID no Stream had before",
            describeAnswer(exchange),
            exchange,
          );
        }
        env.seenStreamSids.add(sid);
        compared++;
      }
      // No answer carried a SID: nothing was checked (a sample that checked nothing is not a pass).
      if (compared === 0) reach.unreached();
    }),
};
