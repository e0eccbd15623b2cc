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
import { judgeChecks, type JudgedCheck } from "../runner/run.js";
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
  /** Only the checks whose name contains this. */
  readonly only?: string;
  readonly onProgress?: (line: string) => void;
}

/** What the checks judge: the Streams created and the callbacks that arrived for each. */
interface Observed {
  readonly scenarios: readonly Scenario[];
  readonly arrivals: ReadonlyMap<string, readonly Arrival[]>;
  readonly base: string;
  readonly waitMs: number;
  readonly accountSid: string;
  readonly authToken: string;
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

const GROUP = "callbacks";
const NONE_ARRIVED = (o: Observed) =>
  [...o.arrivals.values()].some((list) => list.length > 0) ? undefined : "no callback arrived (see the checks above)";

function urlOf(observed: Observed, s: Scenario): string {
  return `${observed.base}${s.path}${s.method === "GET" ? "?tenant=verify" : ""}`;
}

/** How a failure names the Stream it is about. */
function where(observed: Observed, s: Scenario): string {
  return `${s.label} (StatusCallback ${urlOf(observed, s)})`;
}

function eventsOf(observed: Observed, s: Scenario): (string | undefined)[] {
  return (observed.arrivals.get(s.path) ?? []).map((a) => a.params.StreamEvent);
}

function got(events: readonly (string | undefined)[]): string {
  return events.length === 0 ? "no callback at all" : events.join(", ");
}

/** A stream-stopped must arrive after the stop of the Streams stopped `by`. */
function stoppedCheck(by: Scenario["stopBy"]): JudgedCheck<Observed> {
  return {
    name: `stream-stopped after UpdateStream by ${by}`,
    asserts: `a stream-stopped callback arrives within --callback-wait of the Stream's stop by ${by}`,
    judge: (o) =>
      o.scenarios
        .filter((s) => s.problem === undefined && s.stopBy === by && !eventsOf(o, s).includes("stream-stopped"))
        .map((s) => ({
          message: `${where(o, s)}: no stream-stopped arrived within ${o.waitMs} ms of the stop; got ${got(eventsOf(o, s))}`,
          expected: "stream-stopped",
          actual: eventsOf(o, s).join(", ") || "nothing",
        })),
  };
}

/** A check of each callback that arrived. */
function everyArrival(
  name: string,
  asserts: string,
  judge: (arrival: Arrival, what: string, s: Scenario, o: Observed) => CheckFailure | undefined,
): JudgedCheck<Observed> {
  return {
    name,
    asserts,
    skip: NONE_ARRIVED,
    judge: (o) =>
      o.scenarios
        .filter((s) => s.problem === undefined)
        .flatMap((s) =>
          (o.arrivals.get(s.path) ?? []).map((a) => judge(a, `${where(o, s)}: ${a.params.StreamEvent ?? "a callback"}`, s, o)),
        )
        .filter((failure) => failure !== undefined),
  };
}

/** Every check of `verify --callbacks`, in the order they are reported. */
export const CALLBACK_CHECKS: readonly JudgedCheck<Observed>[] = [
  {
    name: "stream-started after CreateStream",
    asserts: "each Stream verify creates (and can stop) gets a stream-started callback",
    judge: (o) =>
      o.scenarios.flatMap((s): CheckFailure[] => {
        if (s.problem !== undefined) return [{ message: `${where(o, s)}: ${s.problem}; no callback can be expected` }];
        const events = eventsOf(o, s);
        if (events.includes("stream-started")) return [];
        return [
          {
            message: `${where(o, s)}: no stream-started arrived (waited ${o.waitMs} ms); got ${got(events)}`,
            expected: "stream-started",
            actual: events.join(", ") || "nothing",
          },
        ];
      }),
  },
  stoppedCheck("SID"),
  stoppedCheck("name"),
  {
    name: "stream-started before stream-stopped",
    asserts: "no stream-stopped arrives before the Stream's stream-started",
    skip: NONE_ARRIVED,
    judge: (o) =>
      o.scenarios
        .filter((s) => {
          const events = eventsOf(o, s);
          const [started, stopped] = [events.indexOf("stream-started"), events.indexOf("stream-stopped")];
          return s.problem === undefined && started !== -1 && stopped !== -1 && stopped < started;
        })
        .map((s) => ({
          message: `${where(o, s)}: stream-stopped arrived before stream-started`,
          expected: "stream-started, stream-stopped",
          actual: eventsOf(o, s).join(", "),
        })),
  },
  everyArrival(
    "signed with the account's auth token (X-Twilio-Signature)",
    "every callback carries X-Twilio-Signature over its URL (and POST parameters) with the account's auth token",
    (a, what, _s, o) => {
      const signature = a.headers[TWILIO_SIGNATURE_HEADER.toLowerCase()];
      const settings = a.headers[TWILIO_SIGNATURE_SETTINGS_HEADER.toLowerCase()];
      if (typeof signature !== "string" || signature === "")
        return { message: `${what} is unsigned: no ${TWILIO_SIGNATURE_HEADER} header` };
      const valid = isValidTwilioSignature({
        url: a.url,
        signature,
        authToken: o.authToken,
        ...(a.method === "POST" ? { params: a.params } : {}),
        ...(typeof settings === "string" ? { signatureSettings: settings } : {}),
      });
      return valid
        ? undefined
        : { message: `${what}: ${TWILIO_SIGNATURE_HEADER} does not match the account's auth token for ${a.method} ${a.url}` };
    },
  ),
  everyArrival(
    "sent with the StatusCallbackMethod asked for",
    "every callback comes by the StatusCallbackMethod of its Stream (POST, or GET with the parameters in the query)",
    (a, what, s) => (a.method === s.method ? undefined : { message: `${what} came by ${a.method}`, expected: s.method, actual: a.method }),
  ),
  everyArrival(
    "parameters follow the schema and match the Stream",
    "every callback's parameters are valid by the schema, and AccountSid, CallSid, StreamSid, StreamName are the Stream's",
    (a, what, s, o) => {
      const mismatch: string[] = [...a.issues];
      const expect = (field: string, value: string | undefined) => {
        if (value !== undefined && a.params[field] !== undefined && a.params[field] !== value)
          mismatch.push(`${field} is ${JSON.stringify(a.params[field])}, the Stream's is ${JSON.stringify(value)}`);
      };
      expect("AccountSid", o.accountSid);
      expect("CallSid", s.callSid);
      expect("StreamSid", s.streamSid);
      expect("StreamName", s.name ?? s.streamSid);
      return mismatch.length === 0 ? undefined : { message: `${what}: ${mismatch.join("; ")}` };
    },
  ),
];

/** The names of the callback checks, for --help and --only. */
export const CALLBACK_CHECK_NAMES: readonly string[] = CALLBACK_CHECKS.map((check) => `${GROUP} › ${check.name}`);

/** Runs the scenarios against the server and checks the callbacks; never throws for a broken server. */
export async function checkCallbacks(env: CheckEnv, options: CallbackCheckOptions): Promise<CheckOutcome[]> {
  const startedAt = Date.now();
  const checks = CALLBACK_CHECKS.filter((check) => options.only === undefined || `${GROUP} › ${check.name}`.includes(options.only));
  const settings = {
    group: GROUP,
    progressPrefix: "verify",
    startedAt,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
  if (env.states === undefined)
    return judgeChecks(checks, { skip: "needs --states-url: a call must be set up to create Streams on" }, settings);
  return judgeChecks(checks, { value: await observe(env, options) }, settings);
}

/**
 * Creates the Streams — one stopped by SID with POST callbacks, one stopped by name with GET
 * callbacks — on a call each, and records the callbacks that arrive.
 */
async function observe(env: CheckEnv, options: CallbackCheckOptions): Promise<Observed> {
  const receiver = await startReceiver();
  const waitMs = options.waitMs ?? 5000;
  const scenarios: Scenario[] = [
    { label: "Stream stopped by SID, POST callbacks", method: "POST", path: "/callbacks/by-sid", stopBy: "SID" },
    { label: "Stream stopped by name, GET callbacks", method: "GET", path: "/callbacks/by-name", stopBy: "name" },
  ];
  const observed: Observed = {
    scenarios,
    arrivals: receiver.arrivals,
    base: receiver.base,
    waitMs,
    accountSid: env.credentials.accountSid,
    authToken: env.credentials.authToken ?? "",
  };
  try {
    for (const [index, scenario] of scenarios.entries())
      await playScenario(env, options.callSid, scenario, index, urlOf(observed, scenario), receiver.arrivals, waitMs);
  } finally {
    await receiver.close();
  }
  return observed;
}

/** Creates one Stream whose StatusCallback is the receiver, waits for stream-started, stops it, waits for stream-stopped. */
async function playScenario(
  env: CheckEnv,
  callSid: string,
  scenario: Scenario,
  index: number,
  callbackUrl: string,
  arrivals: Map<string, Arrival[]>,
  waitMs: number,
): Promise<void> {
  await onCall(env, callSid, async (call) => {
    scenario.callSid = call.callSid;
    const name = scenario.stopBy === "name" ? `callbacks-${index}` : undefined;
    const body: Record<string, string> = {
      Url: "wss://example.com/media",
      StatusCallback: callbackUrl,
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
    await waitFor(arrivals, scenario.path, (list) => list.some((a) => a.params.StreamEvent === "stream-started"), 1000);
    const stopped = await env.http.send(updateStreamHttpRequest(env.credentials, call.accountSid, call.callSid, name ?? sid));
    env.counters.checkedRequests++;
    if (stopped.status !== 200) return void (scenario.problem = `UpdateStream by ${scenario.stopBy} was answered ${stopped.status}`);
    await waitFor(arrivals, scenario.path, (list) => list.some((a) => a.params.StreamEvent === "stream-stopped"), waitMs);
  });
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
