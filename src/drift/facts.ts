/**
 * The common ground of a drift check: both the contract's schemas and Twilio's OpenAPI document
 * are reduced to the same flat list of facts — "CreateStream body › Track › enum is [...]" — so
 * that comparing them is comparing two maps. Descriptions, titles and examples are not facts.
 */

/** One thing a document says. `value` is canonical JSON, so equal facts compare equal. */
export interface Fact {
  /** e.g. `CreateStream body`, `UpdateStream path`, `CreateStream response`, `CreateStream responses`. */
  readonly where: string;
  /** A parameter or property name, a status code, or `(object)` for the object itself. */
  readonly name: string;
  /** `present`, `type`, `nullable`, `format`, `pattern`, `enum`, `minLength`, `required`, … */
  readonly aspect: string;
  readonly value: string;
}

/** The key two facts are matched by. */
export function factKey(fact: Pick<Fact, "where" | "name" | "aspect">): string {
  return `${fact.where} › ${fact.name} › ${fact.aspect}`;
}

/** A JSON Schema or OpenAPI schema object. */
export type SchemaObject = Readonly<Record<string, unknown>>;

/** Resolves a `$ref` to the schema it names. */
export type Resolve = (ref: string) => SchemaObject;

/** The schema with every `$ref` replaced by its target, merged with the sibling keywords. */
function flatten(schema: SchemaObject, resolve: Resolve): SchemaObject {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const { $ref: _ref, ...siblings } = schema;
  return { ...flatten(resolve(ref), resolve), ...siblings };
}

// The keywords whose value is a fact as it stands.
const PLAIN_ASPECTS = ["format", "pattern", "minLength", "maxLength", "minimum", "maximum", "default"] as const;

/**
 * The facts of one property (or parameter): that it is there, its type and nullability (OpenAPI
 * 3.0 `nullable: true` and JSON Schema `type: [..., "null"]` are the same fact), enum (as a set),
 * and the plain keywords.
 */
export function propertyFacts(where: string, name: string, schema: SchemaObject, resolve: Resolve): Fact[] {
  const s = flatten(schema, resolve);
  const fact = (aspect: string, value: unknown): Fact => ({ where, name, aspect, value: JSON.stringify(value) });
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : [];
  const nonNull = types.filter((t) => t !== "null");
  const facts = [fact("present", true), fact("nullable", s.nullable === true || types.includes("null"))];
  if (nonNull.length > 0) facts.push(fact("type", nonNull.sort().join(" or ")));
  if (Array.isArray(s.enum))
    facts.push(
      fact(
        "enum",
        [...(s.enum as unknown[])]
          .filter((v) => v !== null)
          .map(String)
          .sort(),
      ),
    );
  for (const aspect of PLAIN_ASPECTS) if (s[aspect] !== undefined) facts.push(fact(aspect, s[aspect]));
  return facts;
}

/** The facts of an object schema's properties, `required` list and `additionalProperties`. */
export function objectFacts(where: string, schema: SchemaObject, resolve: Resolve, extraNames: readonly string[] = []): Fact[] {
  const s = flatten(schema, resolve);
  const properties = (s.properties ?? {}) as Record<string, SchemaObject>;
  const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, SchemaObject>);
  const facts: Fact[] = [];
  for (const [name, property] of Object.entries(properties)) facts.push(...propertyFacts(where, name, property, resolve));
  // A name the other side lists one by one (Parameter1.Name … Parameter99.Value) that one of
  // this schema's patternProperties covers is a property of this schema too.
  for (const name of extraNames) {
    if (name in properties) continue;
    const covering = patterns.find(([pattern]) => new RegExp(pattern, "u").test(name));
    if (covering !== undefined) facts.push(...propertyFacts(where, name, covering[1], resolve));
  }
  for (const name of (s.required ?? []) as string[]) facts.push({ where, name, aspect: "required", value: "true" });
  if (s.additionalProperties !== undefined)
    facts.push({ where, name: "(object)", aspect: "additionalProperties", value: JSON.stringify(s.additionalProperties) });
  return facts;
}
