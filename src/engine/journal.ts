/**
 * What a client did, as the mock and the nock interceptors record it: every request with the
 * answer it got, and every request that broke the contract with the reason. Bounded, so a mock
 * left running does not grow without end; the counts stay exact.
 */
import type { ContractIssue } from "../validators/issue.js";
import type { BreachKind, EngineAnswer, EngineRequest } from "./engine.js";

/** A request that broke the contract. @public */
export interface ClientViolation {
  readonly method: string;
  /** The request path (and query); it carries no credential. */
  readonly path: string;
  readonly operation: "CreateStream" | "UpdateStream" | undefined;
  /** The status the client was answered. */
  readonly status: number;
  /** Which kind of rule was broken: route, method, auth, content-type, encoding, too-large, path, body or state. */
  readonly kind: BreachKind;
  readonly issues: readonly ContractIssue[];
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

/** The record of a client's requests. */
export class Journal {
  private requestList: RecordedRequest[] = [];
  private violationList: ClientViolation[] = [];
  /** Requests and violations seen, including those past JOURNAL_LIMIT. */
  requestCount = 0;
  violationCount = 0;

  /** Records one answered request; returns its violation, if it was one. */
  record(request: Pick<EngineRequest, "method" | "path">, answer: EngineAnswer): ClientViolation | undefined {
    const { method, path } = request;
    const { operation, status, breach } = answer;
    this.requestCount++;
    if (this.requestList.length < JOURNAL_LIMIT) this.requestList.push({ method, path, operation, status, violation: breach !== undefined });
    if (breach === undefined) return undefined;
    const violation: ClientViolation = {
      method,
      path,
      operation,
      status,
      kind: breach.kind,
      issues: breach.issues,
      message: `${breach.kind}: ${breach.issues.map((i) => i.message).join("; ")}`,
    };
    this.violationCount++;
    if (this.violationList.length < JOURNAL_LIMIT) this.violationList.push(violation);
    return violation;
  }

  requests(): readonly RecordedRequest[] {
    return this.requestList;
  }

  violations(): readonly ClientViolation[] {
    return this.violationList;
  }

  /** Forgets everything recorded. */
  clear(): void {
    this.requestList = [];
    this.violationList = [];
    this.requestCount = 0;
    this.violationCount = 0;
  }
}
