/**
 * V8 keeps a substring (slice, indexOf-and-slice, a regex match) as a view of the string it came
 * from: a 40-character field name cut from a 1 MB request body keeps the whole body alive. What
 * is kept for long (a journal entry, a stored Stream, a memo key) is detached first.
 */

/**
 * A copy of `text` that shares no memory with the string it was cut from. (Concatenation then
 * slicing forces V8 to flatten into a new string of `text`'s own length.)
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}
