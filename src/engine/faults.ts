/**
 * Fault injection, once for both transports (the mock over HTTP, nock in the test process): what
 * a fault is, how one is read from JSON (the mock's control endpoint) or from a `--fault` spec
 * (check-client), and which requests get it.
 *
 * A fault applies to every matching request until cleared, or to the next `times` of them. The
 * request is still checked (a breach of the contract is still recorded) but not performed, except
 * for a slow body alone, which slows down the real answer.
 */
import { Readable } from "node:stream";
import { matchStreamRoute } from "../contract/paths.js";
import { decimalInteger } from "../lib/decimal.js";
import { type ForcedFault, NO_ANSWER } from "./engine.js";

/** A fault to inject in place of the real answer. @public */
export interface FaultInjection {
  /** Answer this status (400–599) with a Twilio error body; its code comes from Twilio's table by status. */
  readonly status?: number;
  /** The error body's message (default `Injected fault: <status>`). */
  readonly message?: string;
  /** Retry-After in seconds, with a 429 or 503 (default 1). */
  readonly retryAfter?: number;
  /** `reset`: close the connection without an answer; `hang`: never answer (the client's timeout must end it). */
  readonly connection?: "reset" | "hang";
  /** Send the answer's body (the real one, or the `status` fault's) spread over this many milliseconds. */
  readonly slowBodyMs?: number;
  /** Only for this operation (default: both). */
  readonly operation?: "CreateStream" | "UpdateStream";
  /** For this many requests, then the real answers again (default: until cleared). */
  readonly times?: number;
}

/** The longest slow body, so that a mistyped value cannot hold a test for hours. */
const MAX_SLOW_BODY_MS = 600_000;

/** Checks a fault given as data (JSON, or a nock user's object); the fault, or what is wrong. */
export function readFault(value: unknown): FaultInjection | string {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return 'a fault is a JSON object such as {"status": 503} or {"connection": "reset"}';
  const fault = value as Record<string, unknown>;
  const known = ["status", "message", "retryAfter", "connection", "slowBodyMs", "operation", "times"];
  const unknown = Object.keys(fault).find((key) => !known.includes(key));
  if (unknown !== undefined) return `unknown fault field ${JSON.stringify(unknown)}; the fields are ${known.join(", ")}`;
  const { status, message, retryAfter, connection, slowBodyMs, operation, times } = fault;
  if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599))
    return `status must be an integer from 400 to 599, got ${JSON.stringify(status)}`;
  if (message !== undefined && (typeof message !== "string" || message === "")) return "message must be a non-empty string";
  if (retryAfter !== undefined) {
    if (status !== 429 && status !== 503) return "retryAfter goes with status 429 or 503";
    if (!Number.isInteger(retryAfter) || (retryAfter as number) < 0)
      return `retryAfter must be a whole number of seconds, got ${JSON.stringify(retryAfter)}`;
  }
  if (connection !== undefined && connection !== "reset" && connection !== "hang")
    return `connection must be "reset" or "hang", got ${JSON.stringify(connection)}`;
  if (
    slowBodyMs !== undefined &&
    !(Number.isInteger(slowBodyMs) && (slowBodyMs as number) > 0 && (slowBodyMs as number) <= MAX_SLOW_BODY_MS)
  )
    return `slowBodyMs must be a whole number of milliseconds from 1 to ${MAX_SLOW_BODY_MS}, got ${JSON.stringify(slowBodyMs)}`;
  if (operation !== undefined && operation !== "CreateStream" && operation !== "UpdateStream")
    return `operation must be "CreateStream" or "UpdateStream", got ${JSON.stringify(operation)}`;
  if (times !== undefined && !(Number.isSafeInteger(times) && (times as number) > 0))
    return `times must be a positive integer, got ${JSON.stringify(times)}`;
  if (connection !== undefined && (status !== undefined || slowBodyMs !== undefined))
    return "a connection fault sends no answer: give connection, or status and/or slowBodyMs, not both";
  if (connection === undefined && status === undefined && slowBodyMs === undefined)
    return "say what to inject: status, connection or slowBodyMs";
  return fault as FaultInjection;
}

/**
 * Reads check-client's `--fault` spec: a comma-separated list whose first item says what to inject
 * and the rest how, e.g. `503`, `429,retry-after=5,times=2`, `reset,operation=UpdateStream`,
 * `hang`, `slow=2000`, `500,slow=2000`. The fault, or what is wrong.
 */
export function parseFaultSpec(spec: string): FaultInjection | string {
  const fault: Record<string, unknown> = {};
  for (const item of spec.split(",").map((part) => part.trim())) {
    const equals = item.indexOf("=");
    const key = equals < 0 ? item : item.slice(0, equals);
    const value = equals < 0 ? undefined : item.slice(equals + 1);
    // Read as every numeric flag of the CLI is (lib/decimal.ts): `1e3`, `0x10` and ` 5` stay
    // text, which readFault refuses, quoting them.
    const number = value === undefined ? undefined : (decimalInteger(value) ?? value);
    if (value === undefined && /^\d+$/.test(key)) fault.status = Number(key);
    else if (value === undefined && (key === "reset" || key === "hang")) fault.connection = key;
    else if (key === "slow" && value !== undefined) fault.slowBodyMs = number;
    else if (key === "times" && value !== undefined) fault.times = number;
    else if (key === "retry-after" && value !== undefined) fault.retryAfter = number;
    else if (key === "operation" && value !== undefined) fault.operation = value;
    else
      return `cannot read ${JSON.stringify(item)} in --fault ${JSON.stringify(spec)}: give a status (400-599), reset, hang or slow=MS, then any of times=N, operation=CreateStream|UpdateStream, retry-after=S`;
  }
  const checked = readFault(fault);
  return typeof checked === "string"
    ? `--fault ${JSON.stringify(spec)}: ${checked.replace("retryAfter", "retry-after").replace("slowBodyMs", "slow")}`
    : checked;
}

/** What the engine is told for a fault: an error answer, no answer, or the real answer (undefined). */
export function engineFault(fault: FaultInjection): ForcedFault | typeof NO_ANSWER | undefined {
  if (fault.connection !== undefined) return NO_ANSWER;
  if (fault.status === undefined) return undefined;
  return {
    status: fault.status,
    ...(fault.message === undefined ? {} : { message: fault.message }),
    ...(fault.retryAfter === undefined ? {} : { retryAfter: fault.retryAfter }),
  };
}

/** The fault in force and how many more requests it applies to. */
export class FaultSchedule {
  private fault: { readonly spec: FaultInjection; left: number } | undefined;

  /** Injects a fault (replacing any earlier one). */
  inject(spec: FaultInjection): void {
    this.fault = { spec, left: spec.times ?? Number.POSITIVE_INFINITY };
  }

  /** Back to the real answers. */
  clear(): void {
    this.fault = undefined;
  }

  /** The fault in force and how many requests it still applies to (null: until cleared). */
  current(): { readonly fault: FaultInjection; readonly left: number | null } | undefined {
    return this.fault === undefined
      ? undefined
      : { fault: this.fault.spec, left: Number.isFinite(this.fault.left) ? this.fault.left : null };
  }

  /** The fault for a request to `path`, used up by one, or undefined. */
  take(path: string): FaultInjection | undefined {
    const { fault } = this;
    if (fault === undefined) return undefined;
    if (fault.spec.operation !== undefined && matchStreamRoute(path)?.operation !== fault.spec.operation) return undefined;
    fault.left--;
    if (fault.left <= 0) this.fault = undefined;
    return fault.spec;
  }
}

/** How many pieces a slow body is sent in. */
const SLOW_PIECES = 10;

/** The body as a stream that sends it in SLOW_PIECES pieces spread over `ms` (the slow body fault). */
export function slowBody(body: string, ms: number): Readable {
  const bytes = Buffer.from(body, "utf8");
  const size = Math.max(1, Math.ceil(bytes.length / SLOW_PIECES));
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        const piece = bytes.subarray(offset, offset + size);
        offset += piece.length;
        this.push(piece.length > 0 ? piece : null);
        if (offset >= bytes.length) this.push(null);
      }, ms / SLOW_PIECES);
    },
    destroy(error, done) {
      clearTimeout(timer);
      done(error);
    },
  });
}

/** The error a client sees when the connection is reset (nock's stand-in for a TCP reset). */
export function connectionResetError(): NodeJS.ErrnoException {
  return Object.assign(new Error("socket hang up (connection reset by an injected fault)"), { code: "ECONNRESET" });
}
