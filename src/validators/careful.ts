/**
 * The slow path of every validator, taken only after the fast one threw: the value had a getter
 * or a Proxy trap that throws, was a revoked Proxy, or otherwise could not be read. Here the
 * value is copied into plain data, reading each property once in its own try/catch, and the
 * compiled check runs on the copy. So the verdict names the path that could not be read and
 * that reading it threw, next to the ordinary issues of everything that could be read.
 */
import { pointerToken } from "../lib/json.js";
import { type CompiledCheck, type ContractIssue, issue } from "./issue.js";

/**
 * How deep the copy goes. The compiled checks read properties two levels down at most
 * (`request.path.AccountSid`) and only look at the type of what lies below, which never throws;
 * deeper values are kept as they are (the issue renderer reads them safely).
 */
const COPY_DEPTH = 3;

/** Elements of an array that are copied: more than an issue ever shows of it. */
const COPIED_ELEMENTS = 64;

/** Where a value could not be read, and what reading it threw. */
export interface UnreadablePath {
  readonly path: string;
  readonly thrown: unknown;
}

/** Stands for a value that could not be read: an object, so no check mistakes it for missing. */
const UNREADABLE = Object.freeze({});

/**
 * A plain copy of `value` down to `depth` levels, each read guarded. Every object is read
 * once (a Map keeps the copies), so shared and cyclic values cost what they weigh.
 */
export function copyCarefully(value: unknown, path: string, unreadable: UnreadablePath[], depth = COPY_DEPTH): unknown {
  return copy(value, path, depth, unreadable, new Map());
}

function copy(value: unknown, path: string, depth: number, unreadable: UnreadablePath[], copies: Map<object, unknown>): unknown {
  if (typeof value !== "object" || value === null || depth === 0) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  try {
    if (Array.isArray(value)) {
      const length = (value as unknown[]).length;
      const out: unknown[] = [];
      copies.set(value, out);
      for (let i = 0; i < length && i < COPIED_ELEMENTS; i++) {
        out.push(copy(readProperty(value, String(i), path, unreadable), `${path}/${i}`, depth - 1, unreadable, copies));
      }
      out.length = length;
      return out;
    }
    const keys = Object.keys(value);
    const out: Record<string, unknown> = {};
    copies.set(value, out);
    for (const key of keys) {
      const at = `${path}/${pointerToken(key)}`;
      // defineProperty: a key named __proto__ stays a field instead of replacing the prototype.
      Object.defineProperty(out, key, {
        value: copy(readProperty(value, key, at, unreadable), at, depth - 1, unreadable, copies),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  } catch (thrown) {
    unreadable.push({ path, thrown });
    copies.set(value, UNREADABLE);
    return UNREADABLE;
  }
}

function readProperty(holder: object, key: string, path: string, unreadable: UnreadablePath[]): unknown {
  try {
    return (holder as Record<string, unknown>)[key];
  } catch (thrown) {
    unreadable.push({ path, thrown });
    return UNREADABLE;
  }
}

/** The error a read threw, in a few words; never throws itself. */
function describeThrown(thrown: unknown): string {
  try {
    if (typeof thrown === "object" && thrown !== null) {
      const { name, message } = thrown as { name?: unknown; message?: unknown };
      const text = typeof message === "string" && message !== "" ? `${String(name)}: ${message}` : String(name);
      return text.length > 80 ? `${text.slice(0, 79)}…` : text;
    }
    return typeof thrown === "string" ? JSON.stringify(thrown.slice(0, 80)) : String(thrown);
  } catch {
    return "an error that cannot be read either";
  }
}

/** The issue of a value that could not be read. */
function unreadableIssue(path: string, thrown: unknown): ContractIssue {
  return issue(path, "readable", "a value that can be read", `reading it threw ${describeThrown(thrown)}`);
}

/**
 * The issues of `value` after the fast path threw `thrown`: those of the copy, but where a
 * value could not be read, that fact alone. `run` checks the copy (and may itself throw, which
 * is reported at `prefix`).
 */
export function carefulIssues(
  run: () => readonly ContractIssue[],
  unreadable: readonly UnreadablePath[],
  thrown: unknown,
  prefix = "",
): ContractIssue[] {
  let issues: readonly ContractIssue[];
  const reported = [...unreadable];
  try {
    issues = run();
  } catch (again) {
    issues = [];
    reported.push({ path: prefix, thrown: again });
  }
  // The fast path threw although every value could be read here (a trap the copy does not call,
  // such as getPrototypeOf): the value as given still could not be read.
  if (reported.length === 0) reported.push({ path: prefix, thrown });
  const under = (path: string) => reported.some((u) => path === u.path || path.startsWith(`${u.path}/`));
  return [...reported.map((u) => unreadableIssue(u.path, u.thrown)), ...issues.filter((i) => !under(i.path))];
}

/** The issues of one compiled check on `value`, read carefully (see above). */
export function checkCarefully(check: CompiledCheck, value: unknown, thrown: unknown): ContractIssue[] {
  const unreadable: UnreadablePath[] = [];
  const plain = copyCarefully(value, "", unreadable);
  return carefulIssues(() => check(plain, "") ?? [], unreadable, thrown);
}
