// Part of the build step (scripts/generate-validators.mjs): schema patterns made of ASCII literals
// and character classes, such as the SIDs' `^AC[0-9a-fA-F]{32}$` or the Media Streams counters'
// `^(?:0|[1-9][0-9]{0,14})$`, become checks derived from the pattern itself, instead of the RegExp
// with the `u` flag that ajv makes of every pattern (most of a SID check's cost, and slower than a
// loop on a counter of a few digits: docs/performance.md). Anything else stays ajv's RegExp.
//   pattern     = "^" ( sequence / "(?:" sequence 1*( "|" sequence ) ")" ) [ "$" ]
//   sequence    = *( atom [ quantifier ] )
//   atom        = literal / "\" punctuation / "[" 1*( char [ "-" char ] ) "]"     ; ASCII only
//   quantifier  = "{" n "}" / "{" n "," [ m ] "}" / "?" / "*" / "+"                ; greedy
// A run whose length varies is read as far as its class goes (no backtracking). The RegExp matches
// the same only if nothing that may follow the run is in its class, so a pattern where something
// may (`[0-9]*[0-9]`) stays a RegExp. tests/property/compiled-patterns.test.ts checks every
// compiled pattern against its RegExp, the schemas' and a sample of the grammar.

/**
 * A compiler of patterns that shares the tables of its character classes between them.
 * `compile(source)` is the text of a `{ test(s) }` object, or undefined when the pattern is not of
 * the grammar above; `declarations()` the text of the tables and helpers they use.
 */
export function createPatternCompiler() {
  const tables = new Map(); // class ranges as JSON → { name, code }
  const helpers = [];

  /** The name of the table of a character class, 1 where it admits a character (declared once). */
  function classTable(ranges) {
    const key = JSON.stringify(ranges);
    if (!tables.has(key)) {
      const name = `CLASS_${tables.size}`;
      const codes = ranges.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k));
      const text = ranges
        .map(([lo, hi]) => (lo === hi ? String.fromCharCode(lo) : `${String.fromCharCode(lo)}-${String.fromCharCode(hi)}`))
        .join("");
      tables.set(key, {
        name,
        code: `const ${name} = new Uint8Array(128); // [${text}]\nfor (const c of ${JSON.stringify(codes)}) ${name}[c] = 1;`,
      });
    }
    return tables.get(key).name;
  }

  /**
   * The statements that return false unless `s` matches the runs (from its start; to its end if
   * `anchoredEnd`). Literals are compared, classes read from a table, a run of one class in a
   * loop (four characters a test where the run's length is fixed); positions are constants up to
   * the first run whose length varies. Measured in V8 inside checkStream: as fast as the RegExp
   * without the `u` flag and well ahead of it with the flag; testing ranges instead of a table was
   * slower. A RegExp of a SID's class repeated (`^MZ[0-9a-fA-F]*$`, the length checked apart) was
   * faster on a few strings seen again and again, but slower on many distinct flat strings, which
   * is what a client's `response.json()` gives (figures: docs/performance.md).
   */
  function compileSequence(runs, anchoredEnd) {
    const min = runs.reduce((n, run) => n + run.min, 0);
    const max = runs.reduce((n, run) => n + run.max, 0);
    const lines =
      min === max
        ? [`if (s.length ${anchoredEnd ? "!==" : "<"} ${min}) return false;`]
        : [`if (s.length < ${min}${anchoredEnd && max !== Infinity ? ` || s.length > ${max}` : ""}) return false;`];
    let at = 0; // the position, while it is a constant
    let dynamic = false; // from the first run of varying length on, the position is `i`
    let literal = "";
    const flushLiteral = () => {
      if (literal.length === 0) return;
      if (dynamic) lines.push(`if (!s.startsWith(${JSON.stringify(literal)}, i)) return false; i += ${literal.length};`);
      else if (literal.length > 2)
        lines.push(
          `if (!s.startsWith(${JSON.stringify(literal)}${at === literal.length ? "" : `, ${at - literal.length}`})) return false;`,
        );
      else [...literal].forEach((c, k) => lines.push(`if (s.charCodeAt(${at - literal.length + k}) !== ${c.charCodeAt(0)}) return false;`));
      literal = "";
    };
    for (const run of runs) {
      const { min: count, max } = run;
      if (count === max && isLiteral(run)) {
        literal += String.fromCharCode(run.ranges[0][0]).repeat(count);
        if (!dynamic) at += count;
        continue;
      }
      flushLiteral();
      const table = classTable(run.ranges);
      // A character ≥ 128 (or past the end) reads undefined: not 1.
      if (count === max && !dynamic) {
        // Four characters a test (their table entries and-ed: 1 only when all four are in the
        // class): a SID's 32 hex digits take less time than one test a character (docs/performance.md).
        const grouped = count - (count % 4);
        if (grouped > 0) {
          const four = [0, 1, 2, 3].map((k) => `${table}[s.charCodeAt(i${k === 0 ? "" : ` + ${k}`})]`).join(" & ");
          lines.push(`for (let i = ${at}; i < ${at + grouped}; i += 4) if ((${four}) !== 1) return false;`);
        }
        for (let k = grouped; k < count; k++) lines.push(`if (${table}[s.charCodeAt(${at + k})] !== 1) return false;`);
        at += count;
      } else if (count === max) {
        lines.push(`for (const end = i + ${count}; i < end; i++) if (${table}[s.charCodeAt(i)] !== 1) return false;`);
      } else {
        if (!dynamic) lines.push(`let i = ${at};`);
        dynamic = true;
        const end = max === Infinity ? "s.length" : `Math.min(s.length, i + ${max})`;
        lines.push(
          count > 0
            ? `{ const start = i, end = ${end}; while (i < end && ${table}[s.charCodeAt(i)] === 1) i++; if (i - start < ${count}) return false; }`
            : `{ const end = ${end}; while (i < end && ${table}[s.charCodeAt(i)] === 1) i++; }`,
        );
      }
    }
    flushLiteral();
    if (dynamic && anchoredEnd) lines.push("if (i !== s.length) return false;");
    return lines.join(" ");
  }

  function compile(source) {
    const parsed = parse(source);
    if (parsed === undefined) return undefined;
    const tests = parsed.sequences.map((sequence) => compileSequence(sequence, parsed.anchoredEnd));
    if (tests.length === 1) return `{ test(s) { ${tests[0]} return true; } }`;
    // Each alternative a function of its own, which returns at its first mismatch.
    const names = tests.map((test) => {
      const name = `ALTERNATIVE_${helpers.length}`;
      helpers.push(`function ${name}(s) { ${test} return true; }`);
      return name;
    });
    return `{ test(s) { return ${names.map((name) => `${name}(s)`).join(" || ")}; } }`;
  }

  return { compile, lengths, declarations: () => [...[...tables.values()].map((t) => t.code), ...helpers].join("\n") };
}

/** The alternatives of a pattern of the grammar, each its runs, and whether it is anchored at the end; or undefined. */
function parse(source) {
  if (!source.startsWith("^")) return undefined;
  const anchoredEnd = source.endsWith("$") && !source.endsWith("\\$");
  let body = source.slice(1, anchoredEnd ? -1 : undefined);
  let alternatives = [body];
  if (body.startsWith("(?:") && body.endsWith(")")) {
    body = body.slice(3, -1);
    if (/[()]/.test(body)) return undefined;
    alternatives = body.split("|");
  }
  const sequences = alternatives.map(parseSequence);
  if (sequences.some((runs) => runs === undefined || !readsWithoutBacktracking(runs))) return undefined;
  return { sequences, anchoredEnd };
}

/**
 * The shortest and longest length of a string the pattern matches, `{ min, max }` (max Infinity
 * when unbounded), or undefined when the pattern is not of the grammar: what its length checks
 * need not test again.
 */
function lengths(source) {
  const parsed = parse(source);
  if (parsed === undefined) return undefined;
  const sum = (runs, key) => runs.reduce((n, run) => n + run[key], 0);
  return {
    min: Math.min(...parsed.sequences.map((runs) => sum(runs, "min"))),
    max: parsed.anchoredEnd ? Math.max(...parsed.sequences.map((runs) => sum(runs, "max"))) : Number.POSITIVE_INFINITY,
  };
}

/** The runs of a sequence, `{ ranges: [[lo, hi], …], min, max }`, or undefined. */
function parseSequence(source) {
  const runs = [];
  const isPlain = (c) => /^[A-Za-z0-9 _/:\-=,;!'"@%&~`<>#]$/.test(c);
  let i = 0;
  while (i < source.length) {
    let ranges;
    if (source[i] === "[") {
      const close = source.indexOf("]", i + 1);
      if (close < 0 || source[i + 1] === "^") return undefined;
      ranges = [];
      for (let k = i + 1; k < close; k++) {
        if (!/^[\x21-\x7e]$/.test(source[k]) || "[\\".includes(source[k])) return undefined;
        if (source[k + 1] === "-" && k + 2 < close) {
          if (source[k + 2] === "\\" || source[k + 2] < source[k]) return undefined;
          ranges.push([source.charCodeAt(k), source.charCodeAt(k + 2)]);
          k += 2;
        } else ranges.push([source.charCodeAt(k), source.charCodeAt(k)]);
      }
      i = close + 1;
    } else if (source[i] === "\\" && /^[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]$/.test(source[i + 1] ?? "")) {
      ranges = [[source.charCodeAt(i + 1), source.charCodeAt(i + 1)]];
      i += 2;
    } else if (isPlain(source[i])) {
      ranges = [[source.charCodeAt(i), source.charCodeAt(i)]];
      i += 1;
    } else return undefined;
    let min = 1;
    let max = 1;
    const quantifier = /^(?:\{(\d+)(?:(,)(\d*))?\}|([?*+]))/.exec(source.slice(i));
    if (quantifier) {
      const [text, n, comma, m, sign] = quantifier;
      if (sign) [min, max] = { "?": [0, 1], "*": [0, Infinity], "+": [1, Infinity] }[sign];
      else [min, max] = [Number(n), comma ? (m === "" ? Infinity : Number(m)) : Number(n)];
      i += text.length;
      // A lazy quantifier or a second one: not this grammar.
      if (/^[?*+{]/.test(source.slice(i)) || min > max) return undefined;
    }
    runs.push({ ranges, min, max });
  }
  return runs;
}

/** Whether a run admits one character only. */
const isLiteral = (run) => run.ranges.length === 1 && run.ranges[0][0] === run.ranges[0][1];

/** Whether no run of varying length may be followed by a character of its own class. */
function readsWithoutBacktracking(runs) {
  const overlap = (a, b) => a.ranges.some(([lo, hi]) => b.ranges.some(([lo2, hi2]) => lo <= hi2 && lo2 <= hi));
  return runs.every((run, k) => {
    if (run.min === run.max) return true;
    for (const next of runs.slice(k + 1)) {
      if (overlap(run, next)) return false;
      if (next.min > 0) break;
    }
    return true;
  });
}
