/**
 * Reading untyped JSON — pact files, Pact Broker answers, OpenAPI documents — without casts:
 * every helper answers for any value, so hostile input gets a verdict, never a throw.
 */

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value[key]` when `value` is an object, else undefined. */
export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

/** `value` when it is an array, else an empty one. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A header's value from a record of headers, the name compared case-insensitively; an array value
 * (Pact V4 writes header values as arrays, node:http repeated headers) is joined with ", ".
 * Not `new Headers(record)`: it throws on a name or value HTTP forbids, and these records come
 * from files and peers this package does not trust.
 */
export function headerValue(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.join(", ");
  }
  return undefined;
}

/** RFC 6901: one property name as a JSON Pointer token (`~` → `~0`, `/` → `~1`). */
export function pointerToken(name: string): string {
  return name.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The value at a JSON Pointer (RFC 6901: `""` is the whole document, `/a/b` goes down) in `document`, or undefined. */
export function atPointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split("/").slice(1)) node = field(node, token.replace(/~1/g, "/").replace(/~0/g, "~"));
  return node;
}
