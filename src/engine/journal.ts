/**
 * What a client did, as the mock and the nock interceptors record it: every request with the
 * answer it got, and every request that broke the contract with the reason. Bounded in entries
 * and in bytes, so that no sequence of requests can fill a mock's memory; the counts stay exact.
 */
import { answerPart } from "../contract/coverage.js";
import { detached } from "../lib/detach.js";
import type { ContractIssue } from "../validators/issue.js";
import { type IssueKind, issuesText, type EngineAnswer, type EngineRequest } from "./engine.js";

/** A request that broke the contract. @public */
export interface ClientIssue {
  readonly method: string;
  /** The request path (and query), cut at MAX_RECORDED_PATH characters; it carries no credential. */
  readonly path: string;
  readonly operation: "CreateStream" | "UpdateStream" | undefined;
  /** The status the client was answered. */
  readonly status: number;
  /** Which kind of rule was broken: route, method, auth, content-type, encoding, too-large, path, body or state. */
  readonly kind: IssueKind;
  /** The first issues (at most MAX_ISSUES_PER_REQUEST, src/engine/engine.ts). */
  readonly issues: readonly ContractIssue[];
  /** How many more issues the request had. */
  readonly omittedIssues: number;
  /** One line: the kind and the issues' messages. */
  readonly message: string;
}

/** A request and the status it got. @public */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation: "CreateStream" | "UpdateStream" | undefined;
  readonly status: number;
  /** Whether it broke the contract (the details are in `violations()`). */
  readonly violation: boolean;
}

/** How many entries of each list are kept. */
const JOURNAL_LIMIT = 100_000;

/**
 * How many bytes (estimated: UTF-16 text plus per-object overhead) each list may hold. Counts
 * alone did not bound memory: 100,000 requests with 15 KB paths are 3 GB. Past either bound,
 * further entries are counted but not kept.
 */
const JOURNAL_MAX_BYTES = 24 * 1024 * 1024;

/** Longest request path recorded; longer ones are cut (marked with `…`). */
const MAX_RECORDED_PATH = 2048;

/** What an object of a few fields costs V8 beyond its strings, roughly. */
const ENTRY_OVERHEAD = 96;

/** The record of a client's requests. */
export class Journal {
  private requestList: RecordedRequest[] = [];
  private violationList: ClientIssue[] = [];
  private requestBytes = 0;
  private violationBytes = 0;
  /** Requests and violations seen, including those not kept (past JOURNAL_LIMIT or JOURNAL_MAX_BYTES). */
  requestCount = 0;
  violationCount = 0;
  /** How often each part of the contract was exercised (src/contract/coverage.ts): a few dozen keys at most, exact past every limit. */
  private partCounts = new Map<string, number>();

  /** Records one answered request; returns its violation, if it was one. */
  record(request: Pick<EngineRequest, "method" | "path">, answer: EngineAnswer): ClientIssue | undefined {
    const method = cut(request.method, 64);
    const path = cut(request.path, MAX_RECORDED_PATH);
    const { operation, status, breach } = answer;
    this.requestCount++;
    const answered = answerPart(status, answer.headers);
    for (const part of answered === undefined ? (answer.parts ?? []) : [answered])
      this.partCounts.set(part, (this.partCounts.get(part) ?? 0) + 1);
    const requestSize = ENTRY_OVERHEAD + 2 * (method.length + path.length);
    if (this.requestList.length < JOURNAL_LIMIT && this.requestBytes + requestSize <= JOURNAL_MAX_BYTES) {
      this.requestList.push({ method, path, operation, status, violation: breach !== undefined });
      this.requestBytes += requestSize;
    }
    if (breach === undefined) return undefined;
    const violation: ClientIssue = {
      method,
      path,
      operation,
      status,
      kind: breach.kind,
      issues: breach.issues.map(detachedIssue),
      omittedIssues: breach.omittedIssues,
      message: detached(`${breach.kind}: ${issuesText(breach)}`),
    };
    this.violationCount++;
    const violationSize =
      requestSize +
      2 * violation.message.length +
      breach.issues.reduce(
        (sum, i) => sum + ENTRY_OVERHEAD + 2 * (i.path.length + i.rule.length + i.expected.length + i.received.length + i.message.length),
        0,
      );
    if (this.violationList.length < JOURNAL_LIMIT && this.violationBytes + violationSize <= JOURNAL_MAX_BYTES) {
      this.violationList.push(violation);
      this.violationBytes += violationSize;
    }
    return violation;
  }

  requests(): readonly RecordedRequest[] {
    return this.requestList;
  }

  violations(): readonly ClientIssue[] {
    return this.violationList;
  }

  /** How often each part of the contract was exercised: the operations and parameters of performed requests, the kinds of error answer. */
  exercised(): ReadonlyMap<string, number> {
    return this.partCounts;
  }

  /** Forgets everything recorded. */
  clear(): void {
    this.requestList = [];
    this.violationList = [];
    this.requestBytes = 0;
    this.violationBytes = 0;
    this.requestCount = 0;
    this.violationCount = 0;
    this.partCounts = new Map();
  }
}

/** `text`, at most `max` characters, detached from the request it came from. */
function cut(text: string, max: number): string {
  return detached(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

/** An issue's strings can be cuts of a 1 MB body (a field name, a value): kept, they would keep it. */
function detachedIssue(issue: ContractIssue): ContractIssue {
  return {
    path: detached(issue.path),
    rule: detached(issue.rule),
    expected: detached(issue.expected),
    received: detached(issue.received),
    message: detached(issue.message),
  };
}
