/**
 * `verify --callbacks`: does the server under test call back as Twilio does? verify listens on
 * 127.0.0.1, creates Streams whose StatusCallback points at itself — one stopped by SID with
 * POST callbacks, one stopped by name with GET callbacks — and checks what arrives: the events,
 * their order, the parameters against the Stream, the signature with the account's token, the
 * method asked for. A `stream-error` the server sends too is allowed (Twilio may send one).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { onCall } from "./checks/fixtures.js";
import type { CheckEnv } from "./check.js";
import { isSuccess, jsonObject } from "./expect.js";
import { createStreamHttpRequest, updateStreamHttpRequest } from "./requests.js";
import type { CheckFailure, CheckOutcome } from "../report/types.js";
import { isValidTwilioSignature, TWILIO_SIGNATURE_HEADER, TWILIO_SIGNATURE_SETTINGS_HEADER } from "../signature/twilio-signature.js";
import type { StatusCallbackMethod } from "../validators/generated/types.js";
import { validateStreamStatusCallback } from "../validators/stream-status-callback.js";

/** A callback as verify's receiver got it. */
interface Arrival {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly params: Record<string, string>;
  readonly issues: readonly string[];
}

/** One Stream verify created, and what it expects to hear about it. */
interface Scenario {
  readonly label: string;
  readonly method: StatusCallbackMethod;
  readonly path: string;
  readonly stopBy: "SID" | "name";
  streamSid?: string;
  name?: string;
  callSid?: string;
  /** Why the Stream could not be created or stopped, if so. */
  problem?: string;
}

/** Options of the callback checks. */
export interface CallbackCheckOptions {
  /** How long to wait for the callbacks after the stop (default 5000 ms). */
  readonly waitMs?: number;
  readonly callSid: string;
}

function queryOf(url: string): string {
  const at = url.indexOf("?");
  return at === -1 ? "" : url.slice(at + 1);
}

/** Listens on 127.0.0.1 and records every request; answers 204. */
async function startReceiver(): Promise<{ base: string; arrivals: Map<string, Arrival[]>; close(): Promise<void> }> {
  const arrivals = new Map<string, Arrival[]>();
  let base = "";
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    req.on("end", () => {
      const target = req.url ?? "/";
      const path = target.split("?")[0] ?? target;
      const text = req.method === "POST" ? Buffer.concat(chunks).toString("utf8") : queryOf(target);
      const result = validateStreamStatusCallback(text);
      const params: Record<string, string> = {};
      for (const [name, value] of new URLSearchParams(text)) params[name] = value;
      const list = arrivals.get(path) ?? [];
      list.push({
        method: req.method ?? "",
        url: base + target,
        headers: req.headers,
        params,
        issues: result.valid ? [] : result.issues.map((e) => e.message),
      });
      arrivals.set(path, list);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function outcome(name: string, failures: CheckFailure[], started: number, skipReason?: string): CheckOutcome {
  if (skipReason !== undefined)
    return { name: `callbacks › ${name}`, group: "callbacks", status: "skipped", durationMs: 0, message: skipReason, failures: [] };
  return {
    name: `callbacks › ${name}`,
    group: "callbacks",
    status: failures.length === 0 ? "passed" : "failed",
    durationMs: Date.now() - started,
    failures,
  };
}

const NAMES = {
  started: "stream-started after CreateStream",
  stoppedBySid: "stream-stopped after UpdateStream by SID",
  stoppedByName: "stream-stopped after UpdateStream by name",
  order: "stream-started before stream-stopped",
  signature: "signed with the account's auth token (X-Twilio-Signature)",
  method: "sent with the StatusCallbackMethod asked for",
  params: "parameters follow the schema and match the Stream",
} as const;

/** The names of the callback checks, for --help and --only. */
export const CALLBACK_CHECK_NAMES: readonly string[] = Object.values(NAMES).map((name) => `callbacks › ${name}`);

/** Runs the scenarios against the server and checks the callbacks; never throws for a broken server. */
export async function checkCallbacks(env: CheckEnv, options: CallbackCheckOptions): Promise<CheckOutcome[]> {
  const started = Date.now();
  if (env.states === undefined)
    return CALLBACK_CHECK_NAMES.map((name) =>
      outcome(name.replace("callbacks › ", ""), [], started, "needs --states-url: a call must be set up to create Streams on"),
    );
  const receiver = await startReceiver();
  const scenarios: Scenario[] = [
    { label: "Stream stopped by SID, POST callbacks", method: "POST", path: "/callbacks/by-sid", stopBy: "SID" },
    { label: "Stream stopped by name, GET callbacks", method: "GET", path: "/callbacks/by-name", stopBy: "name" },
  ];
  const urlOf = (s: Scenario) => `${receiver.base}${s.path}${s.method === "GET" ? "?tenant=verify" : ""}`;
  try {
    for (const [index, scenario] of scenarios.entries()) {
      await onCall(env, options.callSid, async (call) => {
        scenario.callSid = call.callSid;
        const name = scenario.stopBy === "name" ? `callbacks-${index}` : undefined;
        const body: Record<string, string> = {
          Url: "wss://example.com/media",
          StatusCallback: urlOf(scenario),
          StatusCallbackMethod: scenario.method,
          ...(name === undefined ? {} : { Name: name }),
        };
        const created = await env.http.send(createStreamHttpRequest(env.credentials, call.accountSid, call.callSid, body));
        env.counters.checkedRequests++;
        if (!isSuccess(created.status)) return void (scenario.problem = `CreateStream was answered ${created.status}`);
        const sid = jsonObject(created)?.sid;
        if (typeof sid !== "string") return void (scenario.problem = "CreateStream's answer has no sid");
        scenario.streamSid = sid;
        if (name !== undefined) scenario.name = name;
        await waitFor(receiver.arrivals, scenario.path, (list) => list.some((a) => a.params.StreamEvent === "stream-started"), 1000);
        const stopped = await env.http.send(updateStreamHttpRequest(env.credentials, call.accountSid, call.callSid, name ?? sid));
        env.counters.checkedRequests++;
        if (stopped.status !== 200) return void (scenario.problem = `UpdateStream by ${scenario.stopBy} was answered ${stopped.status}`);
        await waitFor(
          receiver.arrivals,
          scenario.path,
          (list) => list.some((a) => a.params.StreamEvent === "stream-stopped"),
          options.waitMs ?? 5000,
        );
      });
    }
  } finally {
    await receiver.close();
  }

  const failures = {
    started: [] as CheckFailure[],
    stoppedBySid: [] as CheckFailure[],
    stoppedByName: [] as CheckFailure[],
    order: [] as CheckFailure[],
    signature: [] as CheckFailure[],
    method: [] as CheckFailure[],
    params: [] as CheckFailure[],
  };
  let anyArrived = false;
  const wait = options.waitMs ?? 5000;
  for (const scenario of scenarios) {
    const arrivals = receiver.arrivals.get(scenario.path) ?? [];
    anyArrived ||= arrivals.length > 0;
    const where = `${scenario.label} (StatusCallback ${urlOf(scenario)})`;
    if (scenario.problem !== undefined) {
      failures.started.push({ message: `${where}: ${scenario.problem}; no callback can be expected` });
      continue;
    }
    const events = arrivals.map((a) => a.params.StreamEvent);
    const startedAt = events.indexOf("stream-started");
    const stoppedAt = events.indexOf("stream-stopped");
    if (startedAt === -1)
      failures.started.push({
        message: `${where}: no stream-started arrived (waited ${wait} ms); got ${events.length === 0 ? "no callback at all" : events.join(", ")}`,
        expected: "stream-started",
        actual: events.join(", ") || "nothing",
      });
    const stoppedList = scenario.stopBy === "SID" ? failures.stoppedBySid : failures.stoppedByName;
    if (stoppedAt === -1)
      stoppedList.push({
        message: `${where}: no stream-stopped arrived within ${wait} ms of the stop; got ${events.length === 0 ? "no callback at all" : events.join(", ")}`,
        expected: "stream-stopped",
        actual: events.join(", ") || "nothing",
      });
    if (startedAt !== -1 && stoppedAt !== -1 && stoppedAt < startedAt)
      failures.order.push({
        message: `${where}: stream-stopped arrived before stream-started`,
        expected: "stream-started, stream-stopped",
        actual: events.join(", "),
      });
    for (const arrival of arrivals) {
      const what = `${where}: ${arrival.params.StreamEvent ?? "a callback"}`;
      const signature = arrival.headers[TWILIO_SIGNATURE_HEADER.toLowerCase()];
      const settings = arrival.headers[TWILIO_SIGNATURE_SETTINGS_HEADER.toLowerCase()];
      if (typeof signature !== "string" || signature === "") {
        failures.signature.push({ message: `${what} is unsigned: no ${TWILIO_SIGNATURE_HEADER} header` });
      } else if (
        !isValidTwilioSignature({
          url: arrival.url,
          signature,
          authToken: env.credentials.authToken ?? "",
          ...(arrival.method === "POST" ? { params: arrival.params } : {}),
          ...(typeof settings === "string" ? { signatureSettings: settings } : {}),
        })
      ) {
        failures.signature.push({
          message: `${what}: ${TWILIO_SIGNATURE_HEADER} does not match the account's auth token for ${arrival.method} ${arrival.url}`,
        });
      }
      if (arrival.method !== scenario.method)
        failures.method.push({ message: `${what} came by ${arrival.method}`, expected: scenario.method, actual: arrival.method });
      const mismatch: string[] = [...arrival.issues];
      const expect = (field: string, value: string | undefined) => {
        if (value !== undefined && arrival.params[field] !== undefined && arrival.params[field] !== value)
          mismatch.push(`${field} is ${JSON.stringify(arrival.params[field])}, the Stream's is ${JSON.stringify(value)}`);
      };
      expect("AccountSid", env.credentials.accountSid);
      expect("CallSid", scenario.callSid);
      expect("StreamSid", scenario.streamSid);
      expect("StreamName", scenario.name ?? scenario.streamSid);
      if (mismatch.length > 0) failures.params.push({ message: `${what}: ${mismatch.join("; ")}` });
    }
  }
  const noneSkip = anyArrived ? undefined : "no callback arrived (see the checks above)";
  return [
    outcome(NAMES.started, failures.started, started),
    outcome(NAMES.stoppedBySid, failures.stoppedBySid, started),
    outcome(NAMES.stoppedByName, failures.stoppedByName, started),
    outcome(NAMES.order, failures.order, started, noneSkip),
    outcome(NAMES.signature, failures.signature, started, noneSkip),
    outcome(NAMES.method, failures.method, started, noneSkip),
    outcome(NAMES.params, failures.params, started, noneSkip),
  ];
}

async function waitFor(
  arrivals: Map<string, Arrival[]>,
  path: string,
  done: (list: Arrival[]) => boolean,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done(arrivals.get(path) ?? []) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
