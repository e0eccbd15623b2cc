/**
 * UpdateStream `Status=stopped`: by SID, by name, and again once stopped.
 */
import fc from "fast-check";
import type { StreamParams } from "../../contract/states.js";
import type { CheckEnv, ConformanceCheck } from "../check.js";
import { expectField, expectStatus, jsonObject, send } from "../expect.js";
import type { HttpExchange } from "../http.js";
import { updateStreamHttpRequest } from "../requests.js";
import { streamInProgress, type StreamSample } from "../samples.js";
import { onStream } from "./fixtures.js";

const is200 = (status: number) => status === 200;

/** POSTs `Status=stopped` to the Stream's path, by its SID or its name. */
function stop(env: CheckEnv, stream: StreamParams, by: "sid" | "name"): Promise<HttpExchange> {
  return send(
    env,
    updateStreamHttpRequest(env.credentials, stream.accountSid, stream.callSid, by === "sid" ? stream.streamSid : stream.name),
  );
}

/** 200, `stopped`, the same SID. */
function expectStopped(exchange: HttpExchange, stream: StreamParams, why: string): void {
  expectStatus(exchange, is200, "200", why);
  const body = jsonObject(exchange);
  if (body === undefined) return; // content-type and schema checks report that
  expectField(exchange, "status", body.status, "stopped", why);
  expectField(exchange, "sid", body.sid, stream.streamSid, why);
}

/** A name that goes into the path as it is, or one that needs percent-encoding there. */
function nameKind(stream: StreamSample): string {
  return /^[A-Za-z0-9_-]+$/.test(stream.name) ? "plain name" : "name to percent-encode";
}

function stopCheck(by: "sid" | "name"): ConformanceCheck<StreamSample> {
  return {
    name: `stop by ${by}`,
    asserts: `UpdateStream Status=stopped by the Stream's ${by === "sid" ? "SID" : "name"} → 200, status stopped, same sid`,
    states: "required",
    arbitrary: () => streamInProgress(),
    cover: (sample) => [by === "name" ? nameKind(sample) : "stop"],
    run: (sample, env) =>
      onStream(env, sample, async (stream) => {
        expectStopped(await stop(env, stream, by), stream, `stopping a Stream by its ${by === "sid" ? "SID" : "name"} did not stop it`);
      }),
  };
}

export const stopBySid = stopCheck("sid");
export const stopByName = stopCheck("name");

/** Stopping a stopped Stream: idempotent, as the reference provider documents it. */
export const useAfterStop: ConformanceCheck<{ stream: StreamSample; first: "sid" | "name"; second: "sid" | "name" }> = {
  name: "use after stop",
  asserts:
    "stopping an already stopped Stream → 200 with the Stream still stopped, same sid (idempotent; never back in progress, never a new Stream)",
  states: "required",
  arbitrary: () =>
    fc.record({
      stream: streamInProgress(),
      first: fc.constantFrom("sid" as const, "name" as const),
      second: fc.constantFrom("sid" as const, "name" as const),
    }),
  cover: ({ first, second }) => [`by ${first}, then by ${second}`],
  run: (sample, env, reach) =>
    onStream(env, sample.stream, async (stream) => {
      const first = await stop(env, stream, sample.first);
      if (first.status !== 200) return reach.unreached(); // stop by sid / by name report that
      expectStopped(await stop(env, stream, sample.second), stream, "stopping an already stopped Stream");
    }),
};
