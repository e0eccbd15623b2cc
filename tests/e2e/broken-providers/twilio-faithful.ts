/**
 * A Twilio-faithful provider: the reference provider behind a proxy that treats request bodies
 * the way Twilio's OpenAPI document (tests/fixtures/twilio-oai-streams.json) describes, and no
 * stricter. Written from that document, not from src/verify/server-rules.ts, so that the
 * server-side rules are checked against an independent reading of Twilio:
 *
 * - parameters the document does not list (misspelt, lower-case, `Parameter0`…) are ignored;
 * - empty optional parameters are ignored (as if not sent);
 * - enum values are compared without regard to letter case or white space around them;
 * - `format: uri` values are refused only when they hold a character RFC 3986 does not allow
 *   in a URI (ASCII only: non-ASCII is taken as an IRI); a Url that is a URI but not the
 *   suite's `wss://` kind is taken (Twilio reports it later, when it connects);
 * - a `ParameterN.Value` without its Name is ignored.
 *
 * What it would accept is rewritten into what the strict reference provider accepts; what it
 * would refuse is forwarded as it is, and the reference provider refuses it.
 */
import { readFileSync } from "node:fs";
import { isHttpUrl, isWssUrl } from "../../../src/validators/formats/url.js";
import { matchStreamRoute } from "../../../src/contract/paths.js";
import { type BrokenProvider, startBrokenProvider } from "./proxy.js";

interface PropertySchema {
  readonly enum?: readonly string[];
  readonly format?: string;
  readonly $ref?: string;
}
interface OperationSchema {
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly required?: readonly string[];
}

const document = JSON.parse(readFileSync(new URL("../../fixtures/twilio-oai-streams.json", import.meta.url), "utf8")) as {
  paths: Record<string, { post: { requestBody: { content: Record<string, { schema: OperationSchema }> } } }>;
  components: { schemas: Record<string, PropertySchema> };
};

function operationSchema(pathSuffix: string): OperationSchema {
  const path = Object.keys(document.paths).find((p) => p.endsWith(pathSuffix));
  if (path === undefined) throw new Error(`no path ending ${pathSuffix} in the OpenAPI document`);
  return document.paths[path]!.post.requestBody.content["application/x-www-form-urlencoded"]!.schema;
}

const SCHEMAS = { CreateStream: operationSchema("/Streams.json"), UpdateStream: operationSchema("/Streams/{Sid}.json") } as const;

function resolve(property: PropertySchema): PropertySchema {
  return property.$ref === undefined ? property : document.components.schemas[property.$ref.split("/").pop()!]!;
}

/** RFC 3986 section 2: the ASCII characters a URI may hold, and `%` escapes. */
function isUriText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c.charCodeAt(0) > 127) continue;
    if (c === "%") {
      if (!/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) return false;
      i += 2;
    } else if (!/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]/.test(c)) return false;
  }
  return true;
}

/** The body as Twilio reads it, rewritten for the reference provider; undefined: Twilio refuses it. */
function asTwilioReadsIt(operation: "CreateStream" | "UpdateStream", body: string): string | undefined {
  const schema = SCHEMAS[operation];
  const form = new URLSearchParams(body);
  const out = new URLSearchParams();
  for (const [field, raw] of form) {
    const property = schema.properties[field];
    if (property === undefined || out.has(field)) continue; // unknown: ignored
    const value = raw.trim();
    if (value === "") continue; // empty: as if not sent
    const resolved = resolve(property);
    if (resolved.enum !== undefined) {
      const member = resolved.enum.find((m) => m.toLowerCase() === value.toLowerCase());
      if (member === undefined) return undefined;
      out.set(field, member);
    } else if (property.format === "uri") {
      if (!isUriText(value)) return undefined;
      const fine = field === "Url" ? isWssUrl(raw) : isHttpUrl(raw);
      if (fine) out.set(field, raw);
      else if (field === "Url") out.set(field, "wss://example.com/twilio-takes-it");
    } else {
      out.set(field, raw);
    }
  }
  for (const required of schema.required ?? []) if (!out.has(required)) return undefined;
  for (const field of [...out.keys()]) {
    const value = /^Parameter(\d+)\.Value$/.exec(field);
    if (value !== null && !out.has(`Parameter${value[1]}.Name`)) out.delete(field);
  }
  return out.toString();
}

/** Starts a Twilio-faithful provider (see above). */
export function startTwilioFaithfulProvider(): Promise<BrokenProvider> {
  return startBrokenProvider({
    request: (request) => {
      const route = matchStreamRoute(request.path);
      if (route === undefined || request.method !== "POST") return;
      const read = asTwilioReadsIt(route.operation, request.body);
      if (read !== undefined) request.body = read;
    },
  });
}
