/**
 * How an issue shows the value it received: as JSON, cut to a readable length — for any
 * JavaScript value. `JSON.stringify` would throw on a BigInt, a cycle, a value nested deeper than
 * the stack, a throwing `toJSON`, getter or Proxy trap, and walk a huge value whole only to cut it
 * to 60 characters. This renderer writes the same text as `JSON.stringify` for JSON data, stops
 * as soon as it has more than it shows (so its work is bounded by its output, whatever the
 * value's size or depth), and never throws: what it cannot read it marks `<unreadable>`.
 */

const MAX_RECEIVED = 60;

/** Shown where `JSON.stringify` would have thrown. */
const UNREADABLE = "<unreadable>";
const CYCLE = "<cycle>";

/** A value as JSON, cut to a readable length; never throws. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  // The common cases first, without the walker: a string or a number is all most issues show.
  if (typeof value === "string") return cut(stringLiteral(value.length > MAX_RECEIVED ? value.slice(0, MAX_RECEIVED + 1) : value));
  if (typeof value === "number" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  const out = new Output(MAX_RECEIVED);
  const ancestors: object[] = [];
  if (!out.value(value, "", ancestors)) out.raw(primitiveText(value));
  return cut(out.text);
}

/**
 * `JSON.stringify(text)`. Most strings an issue shows (a SID, a date, a status) need no escape,
 * and putting them between quotes costs a third of calling JSON.stringify: it was the largest
 * part of reporting an invalid Stream. JSON.stringify escapes the quote, the backslash, control
 * characters and lone surrogates (a pair, seen here too, is left to it). A loop, not a RegExp:
 * with the RegExp, the batch of bench/validators.bench.mjs (thousands of distinct strings) ran at
 * 0.84–0.97× the hand-written check's speed, with the loop at 1.11–1.12×.
 */
function stringLiteral(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

function cut(text: string): string {
  return text.length > MAX_RECEIVED ? `${text.slice(0, MAX_RECEIVED - 1)}…` : text;
}

/** What `String(value)` gives for a value JSON has no text for (a function, a symbol), or `<unreadable>`. */
function primitiveText(value: unknown): string {
  try {
    const text = String(value);
    return text.length > MAX_RECEIVED ? text.slice(0, MAX_RECEIVED + 1) : text;
  } catch {
    return UNREADABLE;
  }
}

/** A marker for "this property has no JSON text" (undefined, a function, a symbol): left out. */
const SKIP: unique symbol = Symbol("skip");

class Output {
  text = "";
  constructor(private readonly limit: number) {}

  /** Whether enough has been written to fill the cut: every loop below stops there. */
  get full(): boolean {
    return this.text.length > this.limit;
  }

  raw(text: string): void {
    this.text += text;
  }

  /** A string as a JSON string literal; only the part that can show is escaped. */
  string(text: string): void {
    const room = this.limit - this.text.length + 1;
    this.text += stringLiteral(text.length > room ? text.slice(0, room) : text);
  }

  /**
   * Writes `value` (the property `key` of its holder) as JSON; false when JSON has no text for
   * it (then nothing is written). `ancestors` are the objects being written around it.
   */
  value(value: unknown, key: string, ancestors: object[]): boolean {
    const resolved = jsonValueOf(value, key);
    if (resolved === SKIP) return false;
    if (this.full) return true;
    if (resolved === UNREADABLE_VALUE) {
      this.raw(UNREADABLE);
      return true;
    }
    switch (typeof resolved) {
      case "string":
        this.string(resolved);
        return true;
      case "number":
      case "boolean":
        this.raw(JSON.stringify(resolved));
        return true;
      case "bigint":
        this.raw(`${resolved}n`);
        return true;
      default:
        break;
    }
    if (resolved === null) {
      this.raw("null");
      return true;
    }
    const object = resolved as object;
    if (ancestors.includes(object)) {
      this.raw(CYCLE);
      return true;
    }
    ancestors.push(object);
    try {
      if (Array.isArray(object)) this.array(object, ancestors);
      else this.object(object, ancestors);
    } catch {
      this.raw(UNREADABLE);
    } finally {
      ancestors.pop();
    }
    return true;
  }

  private array(array: readonly unknown[], ancestors: object[]): void {
    const length = array.length; // read before writing: it may throw
    this.raw("[");
    for (let i = 0; i < length && !this.full; i++) {
      if (i > 0) this.raw(",");
      if (!this.value(read(array, String(i)), String(i), ancestors)) this.raw("null");
    }
    this.raw("]");
  }

  private object(object: object, ancestors: object[]): void {
    const keys = Object.keys(object); // read before writing: it may throw
    this.raw("{");
    let first = true;
    for (const key of keys) {
      if (this.full) break;
      const mark = this.text.length;
      this.raw(first ? "" : ",");
      this.string(key);
      this.raw(":");
      if (this.value(read(object, key), key, ancestors)) first = false;
      else this.text = this.text.slice(0, mark);
    }
    this.raw("}");
  }
}

const UNREADABLE_VALUE: unique symbol = Symbol("unreadable");

/** `holder[key]`, or UNREADABLE_VALUE when reading it throws (a getter, a Proxy trap). */
function read(holder: object, key: string): unknown {
  try {
    return (holder as Record<string, unknown>)[key];
  } catch {
    return UNREADABLE_VALUE;
  }
}

/**
 * What JSON.stringify would write for `value`: the result of its `toJSON(key)` if it has one,
 * SKIP for what it leaves out, UNREADABLE_VALUE when asking throws.
 */
function jsonValueOf(value: unknown, key: string): unknown {
  if (value === UNREADABLE_VALUE) return value;
  let resolved = value;
  if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
    try {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === "function") resolved = (toJSON as (key: string) => unknown).call(value, key);
    } catch {
      return UNREADABLE_VALUE;
    }
  }
  return resolved === undefined || typeof resolved === "function" || typeof resolved === "symbol" ? SKIP : resolved;
}
