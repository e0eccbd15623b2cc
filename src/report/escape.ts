/**
 * Text for HTML: the one escaping of every string the HTML report shows.
 */

// Characters HTML does not carry as text (C0 controls but tab, LF, CR; lone surrogates): shown as U+FFFD.
const NOT_HTML_TEXT =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Text for an element's content or a quoted attribute value: every markup character escaped, as
 * src/secrets.ts knows the escaped forms (the writer's last `redact` still sees an escaped secret).
 */
export function text(value: string): string {
  return value.replace(NOT_HTML_TEXT, "\uFFFD").replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
