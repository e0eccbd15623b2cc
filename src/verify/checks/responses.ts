/**
 * Checks every answer must pass, whatever the request (Schemathesis's response checks): no
 * server error, JSON content type, a documented status code, a body valid against the schema
 * (a Stream on success, a Twilio error otherwise), and optionally a bounded response time.
 * Each runs over a mix of every kind of request the other checks send.
 */
import fc from "fast-check";
import { DOCUMENTED_ERROR_STATUSES } from "../../contract/errors.js";
import { createStreamPath } from "../../contract/paths.js";
import { serverDutyFor, serverRuleFor } from "../server-rules.js";
import { isCallSid } from "../../validators/sid.js";
import { AnswerIssue, type CheckEnv, type ConformanceCheck } from "../check.js";
import { describeAnswer, describeRequest, expectStream, expectTwilioError, isClientError, isSuccess, send } from "../expect.js";
import type { HttpExchange } from "../http.js";
import { bareRequest, createStreamHttpRequest, updateStreamHttpRequest } from "../requests.js";
import { invalidCreate, invalidUpdate, streamInProgress, validCreate, type InvalidSample, type RequestSample } from "../samples.js";
import { onCall, onStream } from "./fixtures.js";

/** One request of any kind. */
type Probe =
  | { readonly kind: "valid create"; readonly callSid: string; readonly body: Readonly<Record<string, string>> }
  | { readonly kind: "stop"; readonly callSid: string; readonly streamSid: string; readonly name: string; readonly by: "sid" | "name" }
  | { readonly kind: "invalid create"; readonly sample: InvalidSample<RequestSample> }
  | { readonly kind: "invalid stop"; readonly sample: InvalidSample<RequestSample> }
  | { readonly kind: "unsupported method"; readonly callSid: string; readonly method: string }
  | { readonly kind: "no credentials"; readonly callSid: string; readonly body: Readonly<Record<string, string>> };

function probes(): fc.Arbitrary<Probe> {
  return fc.oneof(
    { weight: 3, arbitrary: validCreate().map((r): Probe => ({ kind: "valid create", ...r })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(streamInProgress(), fc.constantFrom("sid" as const, "name" as const))
        .map(([s, by]): Probe => ({ kind: "stop", ...s, by })),
    },
    { weight: 2, arbitrary: invalidCreate().map((sample): Probe => ({ kind: "invalid create", sample })) },
    { weight: 1, arbitrary: invalidUpdate().map((sample): Probe => ({ kind: "invalid stop", sample })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validCreate(), fc.constantFrom("GET", "PUT", "PATCH", "DELETE"))
        .map(([r, method]): Probe => ({ kind: "unsupported method", callSid: r.callSid, method })),
    },
    { weight: 1, arbitrary: validCreate().map((r): Probe => ({ kind: "no credentials", ...r })) },
  );
}

/** Coverage keys of a probe: its kind, and for an invalid one the server rule it falls under. */
function probeKeys(probe: Probe): string[] {
  return [probeKey(probe)];
}

function probeKey(probe: Probe): string {
  switch (probe.kind) {
    case "invalid create":
      return `${probe.kind}: ${serverRuleFor("CreateStream", probe.sample)}`;
    case "invalid stop":
      return `${probe.kind}: ${serverRuleFor("UpdateStream", probe.sample)}`;
    case "stop":
      return `stop by ${probe.by}`;
    case "unsupported method":
      return `${probe.kind} ${probe.method}`;
    default:
      return probe.kind;
  }
}

/**
 * What a conformant server answers a probe with; "created or refused" / "stopped or refused"
 * for invalid inputs Twilio ignores (src/verify/server-rules.ts), unless `--strict`.
 */
type Expectation = "created" | "stopped" | "refused" | "created or refused" | "stopped or refused";

/** What the server-side rules let a server answer an invalid probe with. */
function invalidExpectation(operation: "CreateStream" | "UpdateStream", sample: InvalidSample<RequestSample>, env: CheckEnv): Expectation {
  if (serverDutyFor(serverRuleFor(operation, sample), env.strict) === "refuse") return "refused";
  return operation === "CreateStream" ? "created or refused" : "stopped or refused";
}

/** Sends the probe (its state set up around it) and hands the answer to `check`. */
function perform(probe: Probe, env: CheckEnv, check: (exchange: HttpExchange, expectation: Expectation) => void): Promise<void> {
  const account = env.credentials.accountSid;
  switch (probe.kind) {
    case "valid create":
      return onCall(env, probe.callSid, async (call) =>
        check(await send(env, createStreamHttpRequest(env.credentials, call.accountSid, call.callSid, probe.body)), "created"),
      );
    case "stop":
      return onStream(env, probe, async (stream) =>
        check(
          await send(
            env,
            updateStreamHttpRequest(
              env.credentials,
              stream.accountSid,
              stream.callSid,
              probe.by === "sid" ? stream.streamSid : stream.name,
            ),
          ),
          "stopped",
        ),
      );
    case "invalid create": {
      const { path, body } = probe.sample.value;
      const accountSid = probe.sample.path.startsWith("/path/AccountSid") ? (path.AccountSid as string) : account;
      const expectation = invalidExpectation("CreateStream", probe.sample, env);
      const go = async (callSid: string) =>
        check(await send(env, createStreamHttpRequest(env.credentials, accountSid, callSid, body)), expectation);
      return isCallSid(path.CallSid) ? onCall(env, path.CallSid, (call) => go(call.callSid)) : go(path.CallSid ?? "");
    }
    case "invalid stop": {
      const { path, body } = probe.sample.value;
      const accountSid = probe.sample.path.startsWith("/path/AccountSid") ? (path.AccountSid as string) : account;
      const expectation = invalidExpectation("UpdateStream", probe.sample, env);
      return (async () =>
        check(
          await send(env, updateStreamHttpRequest(env.credentials, accountSid, path.CallSid as string, path.Sid as string, body)),
          expectation,
        ))();
    }
    case "unsupported method":
      return onCall(env, probe.callSid, async (call) =>
        check(await send(env, bareRequest(env.credentials, probe.method, createStreamPath(call.accountSid, call.callSid))), "refused"),
      );
    case "no credentials":
      return onCall(env, probe.callSid, async (call) =>
        check(await send(env, createStreamHttpRequest("none", call.accountSid, call.callSid, probe.body)), "refused"),
      );
  }
}

function responseCheck(
  name: string,
  asserts: string,
  check: (exchange: HttpExchange, expectation: Expectation, env: CheckEnv) => void,
  applies?: (env: CheckEnv) => boolean,
): ConformanceCheck<Probe> {
  return {
    name,
    asserts,
    states: "optional",
    ...(applies === undefined ? {} : { applies }),
    arbitrary: probes,
    cover: probeKeys,
    run: (probe, env) => perform(probe, env, (exchange, expectation) => check(exchange, expectation, env)),
  };
}

export const notAServerError = responseCheck("not a server error", "no request, valid or not, gets a 5xx answer", (exchange) => {
  if (exchange.status >= 500) {
    throw new AnswerIssue(
      `${describeRequest(exchange)} got a server error ${exchange.status}`,
      "an answer below 500 (4xx for a bad request)",
      describeAnswer(exchange),
      exchange,
    );
  }
});

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJsonMediaType(header: string | undefined): boolean {
  return header !== undefined && header.split(";")[0]?.trim().toLowerCase() === "application/json";
}

export const contentTypeConformance = responseCheck(
  "content-type conformance",
  "every answer, success or error, is Content-Type application/json",
  (exchange) => {
    if (!isJsonMediaType(exchange.headers["content-type"])) {
      throw new AnswerIssue(
        `${describeRequest(exchange)} answered ${exchange.status} with Content-Type ${exchange.headers["content-type"] ?? "(none)"}`,
        "Content-Type: application/json",
        describeAnswer(exchange),
        exchange,
      );
    }
  },
);

/** Documented statuses: success per operation, and the errors Twilio documents for both. */
const SUCCESS_STATUSES: Readonly<Record<Exclude<Expectation, "refused">, readonly number[]>> = {
  created: [200, 201],
  stopped: [200],
  "created or refused": [200, 201],
  "stopped or refused": [200],
};
const ERROR_STATUSES = DOCUMENTED_ERROR_STATUSES;

export const statusCodeConformance = responseCheck(
  "status code conformance",
  `every answer has a documented status: 200 (or 201) for a create, 200 for a stop, or one of ${ERROR_STATUSES.join(", ")}`,
  (exchange, expectation) => {
    const allowed = expectation === "refused" ? ERROR_STATUSES : [...SUCCESS_STATUSES[expectation], ...ERROR_STATUSES];
    if (!allowed.includes(exchange.status)) {
      throw new AnswerIssue(
        `${describeRequest(exchange)} answered ${exchange.status}, a status the contract does not document for it`,
        `one of ${allowed.join(", ")}`,
        describeAnswer(exchange),
        exchange,
      );
    }
  },
);

export const responseSchemaConformance = responseCheck(
  "response schema conformance",
  "every 2xx body is a Stream valid against schemas/stream.schema.json, every 4xx body a Twilio error valid against schemas/twilio-error.schema.json",
  (exchange) => {
    if (isSuccess(exchange.status)) expectStream(exchange);
    else if (isClientError(exchange.status)) expectTwilioError(exchange);
  },
);

export const maxResponseTime = responseCheck(
  "max response time",
  "every answer arrives within --max-response-time",
  (exchange, _expectation, env) => {
    const limit = env.maxResponseTimeMs ?? Infinity;
    if (exchange.durationMs > limit) {
      throw new AnswerIssue(
        `${describeRequest(exchange)} took ${Math.round(exchange.durationMs)} ms`,
        `at most ${limit} ms`,
        `${Math.round(exchange.durationMs)} ms: ${describeAnswer(exchange)}`,
        exchange,
      );
    }
  },
  (env) => env.maxResponseTimeMs !== undefined,
);
