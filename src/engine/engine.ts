/**
 * The contract's rules, once, for every transport: the reference provider and the contract mock
 * (node:http) and the nock interceptors all hand a request to `StreamEngine.handle` and send back
 * what it answers. The two policies differ only where a server and a client check differ:
 *
 * - `provider`: the credentials must be the configured account's (its SID and auth token, or one
 *   of its API keys and the key's secret); only calls set up through provider states exist
 *   (others are 404).
 * - `mock`: the Basic user must be the path's AccountSid or an API key SID (`SK…`, whose account
 *   the mock cannot know), with any non-empty password; every call
 *   with a valid SID is in progress, and a Stream named in a stop request that the mock has not
 *   seen is taken to exist. What the client got wrong is reported as a breach of the contract.
 *
 * Order of the checks, as Twilio does them: route (404), method (405), credentials (401),
 * envelope and body (400; malformed SIDs in the path 404), state (404, 400), then the operation.
 */
import { isUtf8 } from "node:buffer";
import { detached } from "../lib/detach.js";
import { createStreamPath, matchStreamRoute, STREAM_PATH_TEMPLATES, type StreamRoute, streamPath } from "../contract/paths.js";
import { createParts, stopPart } from "../contract/coverage.js";
import { TWILIO_ERROR_CODES, twilioError, twilioErrorCode } from "../contract/errors.js";
import { validateCreateStreamRequest } from "../validators/create-stream-request.js";
import { formatRfc2822DateTime } from "../validators/formats/rfc2822.js";
import { type ContractIssue, describeValue, issue } from "../validators/issue.js";
import { isAccountSid, isApiKeySid, isStreamSid } from "../validators/sid.js";
import { validateUpdateStreamRequest } from "../validators/update-stream-request.js";
import { type BasicCredentials, checkContentType, checkFieldCount, readBasicCredentials, readFormText } from "./envelope.js";
import { BoundedMemo } from "../lib/bounded-memo.js";
import { createSidSource, type SidSource } from "./sids.js";
import { StreamStore, type StoredStream, toResource } from "./store.js";
import type { CreateStreamInfo, StatusCallbackTarget, StreamEventListener } from "./stream-events.js";
import type { StatusCallbackMethod, StreamEvent } from "../validators/generated/types.js";

/** Whose side the engine checks: a server's answers (provider) or a client's requests (mock). */
type EnginePolicy =
  | { readonly kind: "provider"; readonly accountSid: string; readonly authToken: string; readonly apiKeys?: readonly ApiKey[] }
  | { readonly kind: "mock" };

/** An API key of the account: Twilio takes `SK…:secret` as Basic credentials as well as `AC…:token`. @public */
export interface ApiKey {
  /** `SK` and 32 hexadecimal digits. */
  readonly sid: string;
  /** The key's secret: never printed. */
  readonly secret: string;
}

/** How to build an engine. */
export interface EngineOptions {
  readonly policy: EnginePolicy;
  /** Seed of the SID generator (default 0): same seed, same requests → same SIDs. */
  readonly seed?: number;
  /** The clock behind `date_updated` (default: the system clock). */
  readonly now?: () => Date;
  /**
   * The status of a successful create (default 200, as Twilio's OpenAPI document says since
   * 2025-02; 201 Created before). verify and the pact take either.
   */
  readonly createStatus?: CreateStatus;
  /** Told each Stream start, stop and failure (status callbacks are sent from these). */
  readonly onStreamEvent?: StreamEventListener;
}

/** The success status of CreateStream: 200 (Twilio's document today) or 201 (2022-02 to 2025-02). @public */
export type CreateStatus = 200 | 201;

/** The default success status of CreateStream: Twilio's current OpenAPI document's. */
const DEFAULT_CREATE_STATUS: CreateStatus = 200;

/** A request as any transport has it. */
export interface EngineRequest {
  readonly method: string;
  /** The request target: path and optional query string. */
  readonly path: string;
  readonly authorization?: string | undefined;
  readonly contentType?: string | undefined;
  readonly body: Buffer | string;
}

/** What the client got wrong, by kind of rule. @public */
export type IssueKind = "route" | "method" | "auth" | "content-type" | "encoding" | "too-large" | "path" | "body" | "state";

/** A request that broke the contract: which kind of rule and the issues. @public */
export interface RequestIssues {
  readonly kind: IssueKind;
  /** The first MAX_ISSUES_PER_REQUEST issues, each cut to a bounded size. */
  readonly issues: readonly ContractIssue[];
  /** How many further issues the request had (not kept: a hostile body can have 100,000). */
  readonly omittedIssues: number;
}

/**
 * An error answer forced in place of the real one (fault injection): any status 400–599, with a
 * Twilio error body whose code is the table's (src/contract/errors.ts). @public
 */
export interface ForcedFault {
  readonly status: number;
  /** The error body's message (default `Injected fault: <status>`). */
  readonly message?: string;
  /** Retry-After, in seconds, sent with a 429 or 503 (default 1). */
  readonly retryAfter?: number;
}

/** `handle`'s fault for a connection reset or left hanging: checked, not performed, no answer. */
export const NO_ANSWER = "no answer";

/** What to send back, and what the request was. */
export interface EngineAnswer {
  readonly status: number;
  /** A JSON Stream or Twilio error. */
  readonly body: string;
  /** Extra headers (Allow on 405); Content-Type is always `application/json; charset=utf-8`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly operation: StreamRoute["operation"] | undefined;
  readonly breach: RequestIssues | undefined;
  /** A performed request's parts of the contract (src/contract/coverage.ts): what coverage counts. */
  readonly parts?: readonly string[];
}

/** How many calls the mock remembers (their Streams can be stopped by name). */
const MOCK_MAX_CALLS = 10_000;

/** How many Streams the mock remembers (a client may create any number on one call). */
const MOCK_MAX_STREAMS = 10_000;

/** How many bytes of Streams the mock remembers (10,000 Streams with 1 MiB names would be 20 GB). */
const MOCK_MAX_STREAM_BYTES = 32 * 1024 * 1024;

/**
 * Issues kept per request. A 1 MB body of distinct unknown fields has over 100,000; keeping
 * them all is what let a few hundred such requests exhaust the mock's heap.
 */
export const MAX_ISSUES_PER_REQUEST = 20;

/** Longest issue path kept (a field name can be as long as the body); longer ones are cut. */
const MAX_ISSUE_PATH = 200;

/** Largest request body accepted; larger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const ALLOW_POST: Readonly<Record<string, string>> = Object.freeze({ Allow: "POST" });
/** Statuses an injected fault sends Retry-After with, as Twilio and most gateways do. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** The rule engine: state, SIDs and the checks. */
export class StreamEngine {
  /** The calls and Streams (the provider's states write to it). */
  readonly store: StreamStore;
  private readonly sids: SidSource;
  /** The configured clock; without one, Date.now() (no Date to build per request). */
  private readonly now: (() => Date) | undefined;
  // Clients repeat their requests, Authorization header and paths: the checks' outcomes are kept
  // (bounded; every check is a pure function of the request and the policy).
  private readonly checked = new BoundedMemo<CheckedRequest>(1024, 8192);
  private readonly routes = new BoundedMemo<StreamRoute | undefined>();
  private readonly credentials = new BoundedMemo<BasicCredentials | ContractIssue>();
  /** What events need of a Stream beyond the resource; weak, so forgotten Streams go. */
  private readonly lifecycle = new WeakMap<
    StoredStream,
    { mediaUrl: string | undefined; statusCallback: StatusCallbackTarget | undefined; createRequest: CreateStreamInfo }
  >();
  /** The last `date_updated` written and the second it is for (it changes once a second). */
  private lastSecond = Number.NaN;
  private lastTimestamp = "";

  constructor(readonly options: EngineOptions) {
    // The mock makes up a call for every request: it keeps the latest MOCK_MAX_CALLS calls and
    // MOCK_MAX_STREAMS Streams, at most MOCK_MAX_STREAM_BYTES of them (a Stream it forgot is, like any it never saw, taken to exist).
    const mock = options.policy.kind === "mock";
    this.store = mock ? new StreamStore(MOCK_MAX_CALLS, MOCK_MAX_STREAMS, MOCK_MAX_STREAM_BYTES) : new StreamStore();
    this.sids = createSidSource(options.seed ?? 0);
    this.now = options.now;
  }

  /** A fresh Stream SID. */
  nextStreamSid(): string {
    return this.sids.next("MZ");
  }

  /** The current time as `date_updated` writes it. */
  timestamp(): string {
    const time = this.now === undefined ? Date.now() : this.now().getTime();
    const second = Math.floor(time / 1000);
    if (second !== this.lastSecond) {
      this.lastTimestamp = formatRfc2822DateTime(new Date(time));
      this.lastSecond = second;
    }
    return this.lastTimestamp;
  }

  /**
   * Checks a request and, when it is valid, performs it. With a `fault`, the request is still
   * checked (its breach is reported) but answered with the fault, and nothing is changed;
   * NO_ANSWER answers status 0 and no body (the transport sends nothing).
   */
  handle(request: EngineRequest, fault?: ForcedFault | typeof NO_ANSWER): EngineAnswer {
    const checked = this.checkRequestOnce(request);
    const refusal = "refusal" in checked ? checked.refusal : this.checkState(checked);
    if (refusal !== undefined) return fault === undefined ? refuse(refusal) : forced(fault, refusal.operation, refusal.breach);
    const valid = checked as ValidRequest;
    if (fault !== undefined) return forced(fault, valid.operation, undefined);
    return valid.operation === "CreateStream" ? this.create(valid) : this.stop(valid);
  }

  /** `checkRequest`, from the memo for a request seen before (a UTF-8 body: its text is the key). */
  private checkRequestOnce(request: EngineRequest): CheckedRequest {
    const { body } = request;
    const text = typeof body === "string" ? body : isUtf8(body) ? body.toString("utf8") : undefined;
    if (text === undefined) return this.checkRequest(request);
    return this.checked.get(requestKey(request, text), () => this.checkRequest(request));
  }

  /** The rules that need no state: route, method, credentials, envelope, schemas. */
  private checkRequest(request: EngineRequest): CheckedRequest {
    const route = this.routes.get(request.path, matchStreamRoute);
    if (route === undefined) {
      const notFound = `The requested resource ${stripQuery(request.path)} was not found`;
      const expected = `${STREAM_PATH_TEMPLATES.CreateStream} or ${STREAM_PATH_TEMPLATES.UpdateStream}`;
      return refusal(404, TWILIO_ERROR_CODES.notFound, notFound, undefined, "route", [
        issue("/path", "route", expected, describeValue(stripQuery(request.path))),
      ]);
    }
    const { operation, params } = route;
    if (request.method !== "POST") {
      const message = `The requested resource does not support http method '${request.method}'`;
      return refusal(405, TWILIO_ERROR_CODES.methodNotAllowed, message, operation, "method", [
        issue("/method", "method", "POST", describeValue(request.method)),
      ]);
    }
    const authIssue = this.checkCredentials(request.authorization, params.AccountSid);
    if (authIssue !== undefined) {
      return refusal(
        401,
        TWILIO_ERROR_CODES.authenticationFailed,
        "Authentication Error - invalid username or password",
        operation,
        "auth",
        [authIssue],
      );
    }
    const typeIssue = checkContentType(request.contentType);
    if (typeIssue !== undefined) return invalid(operation, "content-type", [typeIssue]);
    const text = readFormText(request.body);
    if (typeof text !== "string") return invalid(operation, "encoding", [text]);
    const countIssue = checkFieldCount(text);
    if (countIssue !== undefined) return invalid(operation, "body", [countIssue]);
    if (route.operation === "CreateStream") {
      const result = validateCreateStreamRequest({ path: route.params, body: text });
      if (!result.valid) return schemaRefusal(operation, request.path, result.issues);
      // Copies of the fields, kept beside the Stream: a slice of the request's text would keep
      // the whole text alive.
      const fields = detachedFields(result.value.body as unknown as Readonly<Record<string, string>>);
      const body = fields as {
        Name?: string;
        Url: string;
        StatusCallback?: string;
        StatusCallbackMethod?: StatusCallbackMethod;
      };
      const signing = this.signingKey(request.authorization);
      const statusCallback =
        body.StatusCallback === undefined
          ? undefined
          : { url: body.StatusCallback, method: body.StatusCallbackMethod ?? "POST", ...signing };
      const createRequest = { body: fields, ...signing };
      return {
        operation: "CreateStream",
        AccountSid: params.AccountSid,
        CallSid: params.CallSid,
        name: body.Name,
        mediaUrl: body.Url,
        statusCallback,
        createRequest,
        parts: createParts(fields),
      };
    }
    const result = validateUpdateStreamRequest({ path: route.params, body: text });
    if (!result.valid) return schemaRefusal(operation, request.path, result.issues);
    const { Sid } = route.params;
    return { operation: "UpdateStream", AccountSid: params.AccountSid, CallSid: params.CallSid, Sid, parts: [stopPart(Sid)] };
  }

  /** The rules that need state: the call (provider), the name (create), the Stream (provider). */
  private checkState(request: ValidRequest): Refusal | undefined {
    const { operation, AccountSid, CallSid } = request;
    const provider = this.options.policy.kind === "provider";
    const notFound = () => ({
      status: 404,
      code: TWILIO_ERROR_CODES.notFound,
      message: `The requested resource ${operation === "CreateStream" ? createStreamPath(AccountSid, CallSid) : streamPath(AccountSid, CallSid, request.Sid)} was not found`,
      operation,
    });
    if (provider && !this.store.hasCall(AccountSid, CallSid)) return notFound();
    if (operation === "CreateStream") {
      if (request.name === undefined || !this.store.nameInUse(AccountSid, CallSid, request.name)) return undefined;
      return invalid(operation, "state", [
        issue("/body/Name", "state", "a name no Stream in progress on this call has", describeValue(request.name)),
      ]).refusal;
    }
    if (provider && this.store.findStream(AccountSid, CallSid, request.Sid) === undefined) return notFound();
    return undefined;
  }

  /**
   * A new Stream in progress, stored: what a create makes, what the mock takes a Stream it never
   * saw to be, and what the provider state `a stream is in progress` sets up.
   */
  addStreamInProgress(accountSid: string, callSid: string, sid: string, name: string | null, extraBytes = 0): StoredStream {
    const stream: StoredStream = {
      sid,
      account_sid: accountSid,
      call_sid: callSid,
      name: name === null ? null : detached(name),
      status: "in-progress",
      date_updated: this.timestamp(),
      uri: streamPath(accountSid, callSid, sid),
    };
    this.store.addStream(stream, extraBytes);
    return stream;
  }

  /**
   * The key status callbacks and upgrades are signed with: the provider's token; for the mock,
   * the password of the client's Basic credentials — the account's auth token when their user is
   * the AccountSid, an API key's secret (flagged with the key, `apiKeySid`) when it is an API key
   * SID: Twilio signs with the account's token, which the mock then does not know.
   */
  private signingKey(header: string | undefined): { authToken: string; apiKeySid?: string } {
    const { policy } = this.options;
    if (policy.kind === "provider") return { authToken: policy.authToken };
    const credentials = header === undefined ? undefined : this.credentials.get(header, readBasicCredentials);
    if (credentials === undefined || "path" in credentials) return { authToken: "" };
    return isApiKeySid(credentials.user)
      ? { authToken: credentials.password, apiKeySid: credentials.user }
      : { authToken: credentials.password };
  }

  private create({ AccountSid, CallSid, name, mediaUrl, statusCallback, createRequest, parts }: CreateRequest): EngineAnswer {
    // What the events need is kept beside the Stream, and counted in the store's bound in bytes:
    // a body of 99 megabyte-long parameters must push old Streams out as a long name does.
    const keep = this.options.onStreamEvent !== undefined;
    const stream = this.addStreamInProgress(AccountSid, CallSid, this.nextStreamSid(), name ?? null, keep ? bytesOf(createRequest) : 0);
    if (keep) {
      this.lifecycle.set(stream, { mediaUrl, statusCallback, createRequest });
      this.emit("stream-started", stream);
    }
    return ok(this.options.createStatus ?? DEFAULT_CREATE_STATUS, stream, "CreateStream", parts);
  }

  private stop({ AccountSid, CallSid, Sid, parts }: UpdateRequest): EngineAnswer {
    let stream = this.store.findStream(AccountSid, CallSid, Sid);
    if (stream === undefined) {
      // Only the mock gets here (the provider answered 404): a Stream it never saw is taken to be
      // in progress, as every call is.
      const sid = isStreamSid(Sid) ? Sid : this.nextStreamSid();
      stream = this.addStreamInProgress(AccountSid, CallSid, sid, sid === Sid ? null : Sid);
    }
    // Stopping a stopped Stream is idempotent: 200 with the resource as it is.
    if (stream.status === "in-progress") this.stopStream(stream);
    return ok(200, stream, "UpdateStream", parts);
  }

  private stopStream(stream: StoredStream): void {
    stream.status = "stopped";
    stream.date_updated = this.timestamp();
    this.emit("stream-stopped", stream);
  }

  /** Tells the listener, if any (what it needs of a Stream beyond the resource is in `lifecycle`). */
  private emit(event: StreamEvent, stream: StoredStream, error?: string): void {
    const listener = this.options.onStreamEvent;
    if (listener === undefined) return;
    const extra = this.lifecycle.get(stream);
    const time = this.now === undefined ? new Date() : this.now();
    listener({
      event,
      accountSid: stream.account_sid,
      callSid: stream.call_sid,
      streamSid: stream.sid,
      streamName: stream.name,
      mediaUrl: extra?.mediaUrl,
      ...(event === "stream-started" && extra !== undefined ? { createRequest: extra.createRequest } : {}),
      ...(error === undefined ? {} : { error }),
      timestamp: time.toISOString(),
      statusCallback: extra?.statusCallback,
    });
  }

  /**
   * A Stream in progress failed (its WebSocket handshake failed or the connection broke): the
   * listener hears `stream-error` with `error`, then `stream-stopped` — the Stream is over, as
   * after a stop. The hook a Media Streams transport calls.
   * @returns whether such a Stream was in progress.
   */
  failStream(accountSid: string, callSid: string, sidOrName: string, error: string): boolean {
    const stream = this.store.findStream(accountSid, callSid, sidOrName);
    if (stream === undefined || stream.status !== "in-progress") return false;
    this.emit("stream-error", stream, error);
    this.stopStream(stream);
    return true;
  }

  /** The call ended: its Streams in progress stop (each heard as `stream-stopped`), then it is forgotten. */
  endCall(accountSid: string, callSid: string): void {
    for (const stream of this.store.streamsOf(accountSid, callSid)) if (stream.status === "in-progress") this.stopStream(stream);
    this.store.removeCall(accountSid, callSid);
  }

  /** The answer to a body over MAX_BODY_BYTES (the transport stops reading it). */
  tooLarge(request: Pick<EngineRequest, "path">, received: string): EngineAnswer {
    const tooBig = issue("/body", "size", `at most ${MAX_BODY_BYTES} bytes`, received);
    const message = `Request body larger than ${MAX_BODY_BYTES} bytes`;
    return refuse(
      refusal(413, TWILIO_ERROR_CODES.payloadTooLarge, message, matchStreamRoute(request.path)?.operation, "too-large", [tooBig]).refusal,
    );
  }

  private checkCredentials(header: string | undefined, pathAccountSid: string): ContractIssue | undefined {
    const credentials: BasicCredentials | ContractIssue =
      header === undefined ? readBasicCredentials(header) : this.credentials.get(header, readBasicCredentials);
    if ("path" in credentials) return credentials;
    const { policy } = this.options;
    const apiKeyUser = isApiKeySid(credentials.user);
    const user =
      isAccountSid(credentials.user) || apiKeyUser ? credentials.user : "a user that is neither an Account SID nor an API key SID";
    if (policy.kind === "provider") {
      const key = policy.apiKeys?.find((k) => k.sid === credentials.user);
      const byToken = credentials.user === policy.accountSid && credentials.password === policy.authToken;
      if (!byToken && (key === undefined || credentials.password !== key.secret)) {
        const received =
          credentials.user === policy.accountSid
            ? "a wrong auth token"
            : key !== undefined
              ? "a wrong API key secret"
              : apiKeyUser
                ? `${describeValue(user)}, not an API key of this account`
                : `${describeValue(user)}, not this account`;
        return issue(
          "/headers/authorization",
          "auth",
          "the account's SID and auth token, or one of its API keys and the key's secret",
          received,
        );
      }
      // Either kind authenticates the configured account: the path must name it.
      if (pathAccountSid !== policy.accountSid) {
        return issue(
          "/headers/authorization",
          "auth",
          `credentials of the path's account ${describeValue(pathAccountSid)}`,
          `credentials of ${describeValue(policy.accountSid)}`,
        );
      }
      return undefined;
    }
    if (credentials.password === "") {
      return issue(
        "/headers/authorization",
        "auth",
        "Basic credentials with a password (the auth token or API key secret)",
        "an empty password",
      );
    }
    // An API key may belong to any account: the mock takes it for the path's.
    if (!apiKeyUser && credentials.user !== pathAccountSid) {
      return issue(
        "/headers/authorization",
        "auth",
        `the path's AccountSid ${describeValue(pathAccountSid)} (or an API key SID) as the Basic user`,
        describeValue(user),
      );
    }
    return undefined;
  }
}

/** A copy of a form's fields whose strings share nothing with the request's text. */
function detachedFields(fields: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const copy: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(fields)) copy[detached(key)] = detached(value);
  return copy;
}

/** Roughly what a create's kept fields and token cost: two bytes a character, and the objects. */
function bytesOf({ body, authToken, apiKeySid = "" }: CreateStreamInfo): number {
  let bytes = 256 + 2 * (authToken.length + apiKeySid.length);
  for (const [key, value] of Object.entries(body)) bytes += 64 + 2 * (key.length + value.length);
  return bytes;
}

/** The memo key of a request: every field, length-prefixed (unambiguous), the body text last. */
function requestKey({ method, path, authorization, contentType }: EngineRequest, text: string): string {
  const a = authorization === undefined ? "-" : `${authorization.length}:${authorization}`;
  const c = contentType === undefined ? "-" : `${contentType.length}:${contentType}`;
  return `${method.length}:${method}${path.length}:${path}${a}${c}${text}`;
}

function stripQuery(path: string): string {
  const question = path.indexOf("?");
  return question < 0 ? path : path.slice(0, question);
}

type CreateRequest = {
  readonly operation: "CreateStream";
  readonly AccountSid: string;
  readonly CallSid: string;
  readonly name: string | undefined;
  readonly mediaUrl: string;
  readonly statusCallback: StatusCallbackTarget | undefined;
  readonly createRequest: CreateStreamInfo;
  readonly parts: readonly string[];
};
type UpdateRequest = {
  readonly operation: "UpdateStream";
  readonly AccountSid: string;
  readonly CallSid: string;
  readonly Sid: string;
  readonly parts: readonly string[];
};
/** A request that passed every stateless rule, reduced to what performing it needs. */
type ValidRequest = CreateRequest | UpdateRequest;
/** The outcome of the stateless rules. */
type CheckedRequest = ValidRequest | { readonly refusal: Refusal };

/** Why a request is refused: the Twilio error to send and, when the client broke a rule, which. */
interface Refusal {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly operation: StreamRoute["operation"] | undefined;
  readonly breach?: RequestIssues;
}

function refusal(
  status: number,
  code: number,
  message: string,
  operation: StreamRoute["operation"] | undefined,
  kind: IssueKind,
  issues: readonly ContractIssue[],
): { refusal: Refusal } {
  return { refusal: { status, code, message, operation, breach: boundedBreach(kind, issues) } };
}

/** The breach as recorded: at most MAX_ISSUES_PER_REQUEST issues, paths cut, the rest counted. */
function boundedBreach(kind: IssueKind, issues: readonly ContractIssue[]): RequestIssues {
  const kept = issues.length > MAX_ISSUES_PER_REQUEST ? issues.slice(0, MAX_ISSUES_PER_REQUEST) : issues;
  const cut = kept.some((i) => i.path.length > MAX_ISSUE_PATH)
    ? kept.map((i) =>
        i.path.length > MAX_ISSUE_PATH ? issue(`${i.path.slice(0, MAX_ISSUE_PATH - 1)}…`, i.rule, i.expected, i.received) : i,
      )
    : kept;
  return { kind, issues: cut, omittedIssues: issues.length - kept.length };
}

/** The issues' messages in one line, with how many more there were. */
export function issuesText({ issues, omittedIssues }: RequestIssues): string {
  const more = omittedIssues > 0 ? `; … and ${omittedIssues} more issue${omittedIssues === 1 ? "" : "s"}` : "";
  return `${issues.map((i) => i.message).join("; ")}${more}`;
}

/** 400 with the issues in the message (Twilio's 20001: a parameter is missing or invalid). */
function invalid(operation: StreamRoute["operation"], kind: IssueKind, issues: readonly ContractIssue[]): { refusal: Refusal } {
  const breach = boundedBreach(kind, issues);
  return {
    refusal: {
      status: 400,
      code: TWILIO_ERROR_CODES.invalidParameter,
      message: `Invalid request: ${issuesText(breach)}`,
      operation,
      breach,
    },
  };
}

/** Schema issues: malformed path SIDs name no resource (404, as Twilio); body issues are 400. */
function schemaRefusal(operation: StreamRoute["operation"], requestPath: string, issues: readonly ContractIssue[]): { refusal: Refusal } {
  const pathIssues = issues.filter((i) => i.path.startsWith("/path/"));
  if (pathIssues.length > 0)
    return refusal(
      404,
      TWILIO_ERROR_CODES.notFound,
      `The requested resource ${stripQuery(requestPath)} was not found`,
      operation,
      "path",
      pathIssues,
    );
  return invalid(operation, "body", issues);
}

function refuse({ status, code, message, operation, breach }: Refusal): EngineAnswer {
  return {
    status,
    body: JSON.stringify(twilioError(status, code, message)),
    headers: status === 405 ? ALLOW_POST : NO_HEADERS,
    operation,
    breach,
  };
}

function ok(status: number, stream: StoredStream, operation: StreamRoute["operation"], parts: readonly string[]): EngineAnswer {
  return { status, body: JSON.stringify(toResource(stream)), headers: NO_HEADERS, operation, breach: undefined, parts };
}

function forced(
  fault: ForcedFault | typeof NO_ANSWER,
  operation: StreamRoute["operation"] | undefined,
  breach: RequestIssues | undefined,
): EngineAnswer {
  if (fault === NO_ANSWER) return { status: 0, body: "", headers: NO_HEADERS, operation, breach };
  const { status } = fault;
  const message = fault.message ?? `Injected fault: ${status}`;
  const headers = RETRY_AFTER_STATUSES.has(status) ? { "Retry-After": String(fault.retryAfter ?? 1) } : NO_HEADERS;
  return { status, body: JSON.stringify(twilioError(status, twilioErrorCode(status), message)), headers, operation, breach };
}
