// Part of the build step (scripts/generate-validators.mjs): turns a JSON Schema of schemas/ into
// a plain JavaScript function, written the way one would write it by hand —
//   check<Name>(data, at, stop)  the issues of `data` (paths under the JSON Pointer `at`), or
//                                null when it is valid; with `stop`, returns at the first broken
//                                rule (STOPPED, not null), for the `is…` guards
// Each property is read once into a local, patterns are character loops (compile-pattern.mjs),
// formats are the functions of src/validators/formats/, and an issue is built where its rule
// breaks, with its wording fixed here at build time: nothing is allocated on valid input and no
// intermediate error object is made on invalid input. tests/property/compiled-validators.test.ts
// checks every entry against ajv compiled from the same schemas, on valid, broken and arbitrary
// values (same verdict, same broken paths).
//
// Only the keywords the contract uses are compiled; any other keyword stops the build, so a
// schema can never carry a rule that is silently not checked:
//   type, const, enum                         (const and enum of JSON scalars)
//   minLength, maxLength, pattern, format     (lengths in UTF-16 units: every limited string is ASCII)
//   minimum, maximum
//   required, properties, additionalProperties, patternProperties, dependentRequired
//   items, minItems, maxItems, uniqueItems    (uniqueItems with maxItems, over scalars)
//   $ref (to a definition; the use site may add keywords the definition lacks)
//   oneOf, at the top of an entry only, of entries told apart by one field's const
// Issues come in ajv's order — type, const/enum, then the string, number, object and array rules —
// but in an object: the required fields, then one pass over its keys (unknown fields, pattern
// properties and dependent fields, in the keys' order), then the named properties.

/** The annotations: read by people and by the type generator, never checked. */
const ANNOTATIONS = new Set(["$schema", "$id", "$defs", "$comment", "title", "description", "examples"]);
const KEYWORDS = new Set([
  "$ref",
  "oneOf", // only as a union of entries told apart by a const field (compileUnion)
  "type",
  "const",
  "enum",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "required",
  "properties",
  "additionalProperties",
  "patternProperties",
  "dependentRequired",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
]);

/** What each format asks for, in the words of an issue. */
const FORMAT_WORDS = {
  "date-time-rfc-2822": "an RFC 2822 date-time such as Thu, 30 Jul 2015 20:00:00 +0000",
  "wss-url": "an absolute wss:// URL without a fragment",
  "http-url": "an absolute http:// or https:// URL",
  "date-time-iso-8601": "an ISO 8601 (RFC 3339) date-time such as 2026-01-01T00:00:00.000Z",
  "mulaw-base64": "base64 of raw μ-law audio (padded, at least one byte, no WAV or other file header)",
};

/** The test of one JSON type on the value in `v`, as ajv defines the types. */
const TYPE_TESTS = {
  string: (v) => `typeof ${v} === "string"`,
  null: (v) => `${v} === null`,
  boolean: (v) => `typeof ${v} === "boolean"`,
  number: (v) => `(typeof ${v} === "number" && isFinite(${v}))`,
  integer: (v) => `(typeof ${v} === "number" && Number.isInteger(${v}))`,
  object: (v) => `(${v} !== null && typeof ${v} === "object" && !Array.isArray(${v}))`,
  array: (v) => `Array.isArray(${v})`,
};

const json = (value) => JSON.stringify(value);
const isScalar = (value) => value === null || ["string", "number", "boolean"].includes(typeof value);
/** A JSON Pointer token (RFC 6901), at build time. */
const token = (key) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * A compiler over `schemas` (file name → schema), whose `$ref`s name a file and a pointer.
 * `patterns` is compile-pattern.mjs's compiler. `compile(name, file, pointer)` returns the text
 * of its function; `declarations()` the constants the functions share (patterns, formats, tables).
 */
export function createSchemaCompiler(schemas, patterns) {
  const declarations = [];
  const compiledPatterns = []; // [source, constant name] of the patterns compiled to loops
  const constants = new Map(); // a constant's text → its name
  let counter = 0;
  const fresh = (prefix) => `${prefix}${counter++}`;

  /** The name of a module constant holding `text` (declared once for equal texts). */
  function constant(prefix, text) {
    let name = constants.get(text);
    if (name === undefined) {
      name = `${prefix}_${constants.size}`;
      constants.set(text, name);
      declarations.push(`const ${name} = ${text};`);
    }
    return name;
  }

  /** Whether the entry being compiled remembers the last string each fixed-length pattern matched. */
  let rememberLast = false;

  function pattern(source) {
    const compiled = patterns.compile(source);
    if (compiled === undefined) return constant("PATTERN", `new RegExp(${json(source)}, "u")`);
    const name = constant("PATTERN", compiled);
    if (!compiledPatterns.some(([s]) => s === source)) compiledPatterns.push([source, name]);
    const lengths = patterns.lengths(source);
    if (!rememberLast || lengths.min !== lengths.max || lengths.min < 16) return name;
    // One string again and again (a Stream's SID in every message of its socket): compared
    // whole, which costs less than reading it character by character again. It keeps one string
    // alive per pattern (the last SID matched, or the text a caller cut it from).
    return constant(
      "REMEMBERED",
      `{ last: "", test(s) { if (s === this.last) return true; if (!${name}.test(s)) return false; this.last = s; return true; } }`,
    );
  }

  function format(name) {
    if (!(name in FORMAT_WORDS)) throw new Error(`compile-schema: format ${name} has no wording in FORMAT_WORDS`);
    return constant("FORMAT", `formats[${json(name)}]`);
  }

  /** The schema at `file#pointer`. */
  function definition(file, pointer) {
    const schema = schemas[file];
    if (schema === undefined) throw new Error(`compile-schema: no schema ${file}`);
    const node = pointer
      .split("/")
      .slice(1)
      .reduce((n, key) => n?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], schema);
    if (node === undefined) throw new Error(`compile-schema: ${file}#${pointer} does not exist`);
    return { node, file };
  }

  /**
   * A node with its `$ref` resolved: the definition's keywords, and the use site's own. The two
   * may not both set a keyword (but for `title`, the use site's), which keeps merging exact.
   * `title` is the definition's unless the use site gives one: it names what a pattern expects.
   */
  function resolve(node, file) {
    if (typeof node !== "object" || node === null || Array.isArray(node))
      throw new Error(`compile-schema: a schema in ${file} is not an object`);
    for (const key of Object.keys(node)) {
      if (!KEYWORDS.has(key) && !ANNOTATIONS.has(key)) throw new Error(`compile-schema: ${file} uses "${key}", which is not compiled`);
    }
    if (node.$ref === undefined) return { node, file };
    const [target, pointer = ""] = node.$ref.split("#");
    const found = definition(target || file, pointer);
    const { node: inner, file: innerFile } = resolve(found.node, found.file);
    const { $ref: _ref, ...own } = node;
    for (const key of Object.keys(own)) {
      if (key in inner && key !== "title" && !ANNOTATIONS.has(key))
        throw new Error(`compile-schema: ${file} sets "${key}" beside a $ref to ${node.$ref}, which sets it too`);
      // Subschemas of the use site would be read relative to the definition's file.
      if (typeof own[key] === "object" && own[key] !== null && !Array.isArray(own[key]) && innerFile !== file && !ANNOTATIONS.has(key))
        throw new Error(`compile-schema: ${file} puts subschemas beside a $ref to another file`);
    }
    return { node: { ...inner, ...own }, file: innerFile };
  }

  /**
   * The statements that check the value in the local `v` against `schema`. `at` is the JS
   * expression of its JSON Pointer. A broken rule adds an issue to `issues`, or, when the caller
   * asked to `stop` at the first, returns.
   */
  function emit(schema, file, v, at) {
    const { node, file: nodeFile } = resolve(schema, file);
    if (node.oneOf !== undefined) throw new Error(`compile-schema: oneOf in ${file} below the top of an entry`);
    const fail = (issue) => `{ if (stop) return STOPPED; issues = add(issues, ${issue}); }`;
    const broken = (rule, expected) => fail(`broken(${at}, ${json(rule)}, ${json(expected)}, ${v})`);
    const lines = [];
    const types = node.type === undefined ? undefined : [node.type].flat();
    const groups = {
      string: stringRules(node, v, broken),
      number: numberRules(node, v, broken),
      object: objectRules(node, nodeFile, v, at, fail),
      array: arrayRules(node, nodeFile, v, at, broken),
    };
    // The rules of each kind of value, in a chain of branches by kind (at most one applies); a
    // value of a kind the type does not admit gets the type issue.
    const kinds = { string: ["string"], number: ["number", "integer"], object: ["object"], array: ["array"] };
    const typeIssue = types === undefined ? "" : broken("type", `of type ${types.join(" or ")}`);
    const branches = [];
    const covered = []; // the types a branch admits
    for (const [kind, rules] of Object.entries(groups)) {
      if (rules.length === 0) continue;
      const admitted = types === undefined ? [kind] : kinds[kind].filter((t) => types.includes(t));
      if (admitted.length === 0) throw new Error(`compile-schema: ${kind} rules in a schema of type ${types.join(", ")} in ${file}`);
      covered.push(...(kind === "number" ? kinds.number : admitted)); // every number takes the number branch
      const admits = admitted.map((t) => TYPE_TESTS[t](v)).join(" || ");
      // Number rules apply to any number, as ajv applies them: an integer's minimum is checked on
      // 1.5 too, after its type issue.
      if (kind === "number") {
        const typeCheck = types === undefined ? [] : [`if (!(${admits})) ${typeIssue}`];
        branches.push(`${branches.length === 0 ? "if" : "else if"} (typeof ${v} === "number") {`, ...typeCheck, ...rules, "}");
      } else branches.push(`${branches.length === 0 ? "if" : "else if"} (${admits}) {`, ...rules, "}");
    }
    lines.push(...branches);
    if (types !== undefined) {
      const others = types.filter((t) => !covered.includes(t));
      if (others.length === 0) lines.push(`else ${typeIssue}`);
      else lines.push(`${branches.length === 0 ? "if" : "else if"} (!(${others.map((t) => TYPE_TESTS[t](v)).join(" || ")})) ${typeIssue}`);
    }
    if ("const" in node) {
      if (!isScalar(node.const)) throw new Error(`compile-schema: const ${json(node.const)} is not a JSON scalar`);
      lines.push(`if (${v} !== ${json(node.const)}) ${broken("const", json(node.const))}`);
    }
    if (node.enum !== undefined) {
      if (!node.enum.every(isScalar)) throw new Error(`compile-schema: enum ${json(node.enum)} is not of JSON scalars`);
      lines.push(
        `if (${node.enum.map((value) => `${v} !== ${json(value)}`).join(" && ")}) ${broken("enum", `one of ${node.enum.map(json).join(", ")}`)}`,
      );
    }
    return lines;
  }

  /** A pattern's failure says first what it is for (the schema's title), e.g. "a Stream SID matching ^MZ…". */
  function stringRules(node, v, broken) {
    const lines = [];
    const lengths = [];
    // A length the pattern already fixes is not tested again (a SID's pattern admits 34 characters
    // only): the test could never fail once the pattern has passed.
    const implied = node.pattern === undefined ? undefined : patterns.lengths(node.pattern);
    if (node.maxLength !== undefined && !(implied !== undefined && implied.max <= node.maxLength))
      lengths.push(`if (${v}.length > ${node.maxLength}) ${broken("maxLength", `at most ${node.maxLength} characters long`)}`);
    if (node.minLength !== undefined && !(implied !== undefined && implied.min >= node.minLength))
      lengths.push(`if (${v}.length < ${node.minLength}) ${broken("minLength", `at least ${node.minLength} characters long`)}`);
    if (node.pattern !== undefined) {
      // A length issue would only repeat what the pattern's says (SIDs are fixed by both).
      const what = node.title ?? "string";
      const expected = `${/^[AEIOU]/i.test(what) ? "an" : "a"} ${what} matching ${node.pattern}`;
      lines.push(`if (!${pattern(node.pattern)}.test(${v})) ${broken("pattern", expected)}`);
      if (lengths.length > 0) lines.push("else {", ...lengths, "}");
    } else lines.push(...lengths);
    if (node.format !== undefined) lines.push(`if (!${format(node.format)}(${v})) ${broken("format", FORMAT_WORDS[node.format])}`);
    return lines;
  }

  function numberRules(node, v, broken) {
    const lines = [];
    if (node.maximum !== undefined) lines.push(`if (${v} > ${node.maximum}) ${broken("maximum", `<= ${node.maximum}`)}`);
    if (node.minimum !== undefined) lines.push(`if (${v} < ${node.minimum}) ${broken("minimum", `>= ${node.minimum}`)}`);
    return lines;
  }

  function objectRules(node, file, v, at, fail) {
    const properties = node.properties ?? {};
    const required = node.required ?? [];
    const objectKeywords = ["properties", "required", "additionalProperties", "patternProperties", "dependentRequired"];
    if (objectKeywords.every((keyword) => node[keyword] === undefined)) return [];
    const lines = [];
    const locals = new Map(); // property → the local holding its value
    for (const name of [...Object.keys(properties), ...required]) {
      if (!locals.has(name)) {
        const local = fresh("v");
        locals.set(name, local);
        lines.push(`const ${local} = ${v}[${json(name)}];`);
      }
    }
    const pathOf = (name) => `${at} + ${json(`/${token(name)}`)}`;
    for (const name of required) lines.push(`if (${locals.get(name)} === undefined) ${fail(`missing(${pathOf(name)})`)}`);
    // Unknown fields, pattern properties and dependent fields, in one pass over the keys.
    const patternEntries = Object.entries(node.patternProperties ?? {});
    const additional = node.additionalProperties;
    const dependent = node.dependentRequired;
    const keyLoop = [];
    const key = fresh("key");
    const keyPath = `${at} + "/" + pointerToken(${key})`;
    if (dependent !== undefined && Object.keys(dependent).length > 0) {
      const table = constant("DEPENDENT", `new Map(${json(Object.entries(dependent))})`);
      const needs = fresh("needs");
      const need = fresh("need");
      keyLoop.push(
        `const ${needs} = ${table}.get(${key});`,
        `if (${needs} !== undefined && ${v}[${key}] !== undefined) for (const ${need} of ${needs}) if (${v}[${need}] === undefined) ${fail(`notTogether(${keyPath}, ${need}, ${v}[${key}])`)}`,
      );
    }
    const names = Object.keys(properties);
    for (const [source] of patternEntries) {
      const regExp = new RegExp(source, "u");
      if (names.some((name) => regExp.test(name))) throw new Error(`compile-schema: pattern property ${source} matches a named property`);
    }
    const known = names.length === 0 ? "false" : names.map((name) => `${key} === ${json(name)}`).join(" || ");
    if (patternEntries.length > 0 || (additional !== undefined && additional !== true)) {
      keyLoop.push(`if (${known}) continue;`);
      for (const [source, subschema] of patternEntries) {
        const value = fresh("v");
        keyLoop.push(
          `if (${pattern(source)}.test(${key})) {`,
          `const ${value} = ${v}[${key}];`,
          ...emit(subschema, file, value, keyPath),
          "continue;",
          "}",
        );
      }
      if (additional === false) {
        const fields = constant("FIELDS", json(names));
        keyLoop.push(fail(`unknownField(${keyPath}, ${v}[${key}], ${key}, ${fields})`));
      } else if (additional !== undefined && additional !== true) {
        const value = fresh("v");
        keyLoop.push(`const ${value} = ${v}[${key}];`, ...emit(additional, file, value, keyPath));
      }
    }
    const afterProperties = [];
    for (const [name, subschema] of Object.entries(properties)) {
      const rules = emit(subschema, file, locals.get(name), pathOf(name));
      if (rules.length > 0) afterProperties.push(`if (${locals.get(name)} !== undefined) {`, ...rules, "}");
    }
    // As ajv, unknown fields before the properties.
    if (keyLoop.length > 0) lines.push(`for (const ${key} in ${v}) {`, ...keyLoop, "}");
    lines.push(...afterProperties);
    return lines;
  }

  function arrayRules(node, file, v, at, broken) {
    const lines = [];
    if (node.minItems !== undefined)
      lines.push(
        `if (${v}.length < ${node.minItems}) ${broken("minItems", `at least ${node.minItems} item${node.minItems === 1 ? "" : "s"}`)}`,
      );
    // Past maxItems the items are not checked one by one: the work stays bounded by the schema.
    const items = [];
    if (node.items !== undefined) {
      const index = fresh("i");
      const value = fresh("v");
      items.push(
        `for (let ${index} = 0; ${index} < ${v}.length; ${index}++) {`,
        `const ${value} = ${v}[${index}];`,
        ...emit(node.items, file, value, `${at} + "/" + ${index}`),
        "}",
      );
    }
    if (node.uniqueItems === true) {
      if (node.maxItems === undefined || node.maxItems > 16)
        throw new Error("compile-schema: uniqueItems needs maxItems ≤ 16 (the check compares every pair)");
      const { node: itemNode } = resolve(node.items ?? {}, file);
      const scalars = itemNode.enum ?? ("const" in itemNode ? [itemNode.const] : undefined);
      if (scalars === undefined || !scalars.every(isScalar))
        throw new Error("compile-schema: uniqueItems needs items that are an enum or const of scalars");
      const [i, j] = [fresh("i"), fresh("j")];
      items.push(
        `pairs${i}: for (let ${i} = 1; ${i} < ${v}.length; ${i}++) for (let ${j} = 0; ${j} < ${i}; ${j}++) if (${v}[${i}] === ${v}[${j}]) { ${broken("uniqueItems", "without duplicate items")} break pairs${i}; }`,
      );
    }
    if (node.maxItems !== undefined) {
      lines.push(
        `if (${v}.length > ${node.maxItems}) ${broken("maxItems", `at most ${node.maxItems} item${node.maxItems === 1 ? "" : "s"}`)}`,
      );
      if (items.length > 0) lines.push("else {", ...items, "}");
    } else lines.push(...items);
    return lines;
  }

  /** The entries compiled, by the schema they check (`file#pointer`), so that a union can call them. */
  const entryNames = new Map();

  /**
   * The function of the schema at `file#pointer`, named `check<name>`.
   * `options.rememberLast`: for values that come again and again (a Stream's SID in each message
   * of its socket), each fixed-length pattern of 16 characters or more remembers the last string
   * it matched. Elsewhere (a server's answers, each with new SIDs) it would only add a comparison.
   */
  function compile(name, file, pointer = "", options = {}) {
    rememberLast = options.rememberLast === true;
    const { node } = resolve(definition(file, pointer).node, file);
    entryNames.set(`${file}#${pointer}`, name);
    if (node.oneOf !== undefined) return compileUnion(name, node, file);
    const check = emit({ $ref: `${file}#${pointer}` }, file, "data", "at");
    return [`function check${name}(data, at, stop) {`, "let issues = null;", ...check, "return issues;", "}"].join("\n");
  }

  /**
   * A `oneOf` of objects told apart by one field's `const` (the Media Streams messages by
   * `event`): the value goes to the check of the branch its field names — the branches are
   * entries compiled before — and a value naming none gets one issue at that field. Since the
   * field's values are distinct, at most one branch can pass: what `oneOf` says.
   */
  function compileUnion(name, node, file) {
    const extra = Object.keys(node).filter((key) => key !== "oneOf" && !ANNOTATIONS.has(key));
    if (extra.length > 0) throw new Error(`compile-schema: ${name} sets ${extra.join(", ")} beside oneOf`);
    const branches = node.oneOf.map((branch) => {
      const keys = Object.keys(branch);
      const [target, pointer = ""] = typeof branch.$ref === "string" ? branch.$ref.split("#") : [];
      const entry = entryNames.get(`${target || file}#${pointer}`);
      if (keys.length !== 1 || entry === undefined)
        throw new Error(`compile-schema: each branch of ${name}'s oneOf must be a $ref to an entry compiled before it`);
      return { entry, node: resolve(branch, file).node };
    });
    const [first] = branches;
    const tag = Object.keys(first.node.properties ?? {}).find((key) =>
      branches.every(({ node: b }) => (b.required ?? []).includes(key) && typeof b.properties?.[key]?.const === "string"),
    );
    if (tag === undefined) throw new Error(`compile-schema: ${name}'s oneOf has no required field whose const tells the branches apart`);
    const values = branches.map(({ node: b }) => b.properties[tag].const);
    if (new Set(values).size !== values.length) throw new Error(`compile-schema: ${name}'s branches share a value of ${tag}`);
    const expected = `one of ${values.map(json).join(", ")}`;
    const tagPath = `at + ${json(`/${token(tag)}`)}`;
    return [
      `function check${name}(data, at, stop) {`,
      `if (!${TYPE_TESTS.object("data")}) return stop ? STOPPED : [broken(at, "type", "of type object", data)];`,
      `const tag = data[${json(tag)}];`,
      "switch (tag) {",
      ...branches.map(({ entry }, k) => `case ${json(values[k])}: return check${entry}(data, at, stop);`),
      "}",
      "if (stop) return STOPPED;",
      `return [tag === undefined ? missing(${tagPath}, ${json(expected)}) : broken(${tagPath}, "enum", ${json(expected)}, tag)];`,
      "}",
    ].join("\n");
  }

  return {
    compile,
    declarations: () => declarations.join("\n"),
    compiledPatterns: () => compiledPatterns,
  };
}
