/**
 * The docs run as written: every code block of README.md and docs/*.md, against the packed
 * package in a fresh consumer project (ESM TypeScript, `module: nodenext`, strict).
 *
 * - ts and js blocks are type-checked, each as its own module, and linted for promises nobody
 *   awaits (typescript-eslint's no-floating-promises). A block may use names a reader
 *   brings along (`response`, `handler`, `app`, … — FRAGMENT_GLOBALS below),
 *   never the package's own API: a function of the package used without its import fails.
 * - A block that needs none of those names, or only `client` (a twilio client), `callSid`,
 *   `accountSid`, `authToken` and vitest's `expect` (RUNTIME below sets them), also
 *   runs, with the Node running this test and the nock this run tests (TEST_NOCK): on Node 24
 *   with nock 15 in .ci/run, the nock example runs there as a user's would.
 * - sh blocks: every `stream-contract <command>` flag must be one its --help lists, and every
 *   `npx <name>` must name a package that has that bin (or say `npx -p <package> <bin>`).
 *
 * A block preceded by `<!-- docs-test: skip (reason) -->` is left out (a fragment that cannot
 * stand alone); `<!-- docs-test: no-run (reason) -->` is type-checked but not run (a vitest test
 * file, which vitest runs, not node); `<!-- docs-test: continues -->` joins a block to the one
 * before it on the page.
 * Needs `npm run build` first, as `npm test` does.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsumerProject, createConsumerProject } from "../support/consumer-project.js";

const ROOT = resolve(import.meta.dirname, "../..");
/**
 * Names a docs block may use without defining them: what the reader's own code has in hand.
 * Never the package's API (a block that uses it without importing it must fail).
 */
const FRAGMENT_GLOBALS = `declare const response: Response;
declare function handler(path: { AccountSid: string; CallSid: string }, body: string): Promise<{ call_sid?: string }>;
declare function parseStreamResponse(value: unknown): { error?: unknown };
declare const socket: { on(event: "message", listener: (data: unknown) => void): void };
declare const streamSid: string;
declare const streamSidOrName: string;
declare const received: readonly unknown[];
declare const createStreamBody: Record<string, string>;
declare const AccountSid: string;
declare const CallSid: string;
declare const rawBodyOrQueryString: string;
declare const params: Record<string, string>;
declare const url: string;
declare const signature: string;
declare const body: string;
declare const text: string;
declare const sentBody: string;
declare const stream: { sid: string; date_updated: string };
declare const req: import("node:http").IncomingMessage;
/** An Express app, loosely. */
declare const app: {
  post(
    path: string,
    handler: (req: import("node:http").IncomingMessage & { body?: unknown }, res: { sendStatus(status: number): unknown }) => unknown,
  ): void;
};
declare const signatureSettings: string | undefined;
`;

/** Names a docs block may use that RUNTIME gives a value, so that a block using only these runs. */
const RUNTIME_GLOBALS = `declare const accountSid: string;
declare const authToken: string;
declare const callSid: string;
/** A twilio-node client for accountSid/authToken (its requests go wherever nock sends them). */
declare const client: import("twilio").Twilio;
declare const expect: typeof import("vitest").expect;
`;

/**
 * Runs one compiled docs block (argv[2]) with the values RUNTIME_GLOBALS names, then exits: a
 * block may leave a server listening, as a reader's snippet would.
 */
const RUNTIME = `import { pathToFileURL } from "node:url";
import twilio from "twilio";
import { expect } from "vitest";

const accountSid = \`AC\${"0123456789abcdef".repeat(2)}\`;
const authToken = "docs-example-auth-token";
Object.assign(globalThis, {
  accountSid,
  authToken,
  callSid: \`CA\${"fedcba9876543210".repeat(2)}\`,
  client: twilio(accountSid, authToken),
  expect,
});
await import(pathToFileURL(process.argv[2]).href);
process.exit(0);
`;

const PAGES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];

interface Block {
  readonly page: string;
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  /** The module's file name in the consumer project. */
  readonly file: string;
  /** Why it is not run, when it is marked `no-run`. */
  readonly noRun?: string;
}

/** The page's fenced code blocks, skips left out, continuations joined. */
function blocksOf(page: string): Block[] {
  const lines = readFileSync(join(ROOT, page), "utf8").split("\n");
  const blocks: Block[] = [];
  let previousMarker = "";
  let noRun = "";
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (open === null) {
      if (lines[i]!.trim() !== "") previousMarker = /^<!-- docs-test: ([\w-]+)/.exec(lines[i]!.trim())?.[1] ?? "";
      if (previousMarker === "no-run") noRun = /\((.*)\)/.exec(lines[i]!)?.[1] ?? "marked no-run";
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const lang = open[1] ?? "";
    const marker = previousMarker;
    previousMarker = "";
    if (marker === "skip") continue;
    const last = blocks.at(-1);
    if (marker === "continues" && last !== undefined) {
      blocks[blocks.length - 1] = { ...last, code: `${last.code}\n${body.join("\n")}` };
      continue;
    }
    const ext = lang === "js" ? "js" : "ts";
    const file = `${page.replace(/\W+/g, "-")}-L${start + 1}.${ext}`;
    blocks.push({ page, line: start + 1, lang, code: body.join("\n"), file, ...(marker === "no-run" ? { noRun } : {}) });
  }
  return blocks;
}

const ALL = PAGES.flatMap(blocksOf);
const CODE = ALL.filter((b) => b.lang === "ts" || b.lang === "js");
const SHELL = ALL.filter((b) => b.lang === "sh");

let project: ConsumerProject;
/** tsc's errors by block file: with the fragment globals, and with the runtime globals only. */
let typeErrors: Map<string, string[]>;
let runtimeErrors: Map<string, string[]>;

/** Runs tsc on a tsconfig of the consumer project; its errors by block file. */
function tsc(config: string): Map<string, string[]> {
  const { stdout } = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", config, "--pretty", "false"], {
    cwd: project.dir,
    encoding: "utf8",
  });
  const errors = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split("\n")) {
    const at = /^blocks\/([^(]+)\((\d+),\d+\): (.*)$/.exec(line);
    // JavaScript has no annotations: an implicit any (TS7xxx) is no error a JavaScript user sees.
    if (at !== null && at[1]!.endsWith(".js") && /error TS7\d{3}:/.test(at[3]!)) {
      current = undefined;
    } else if (at !== null) {
      current = errors.get(at[1]!) ?? [];
      errors.set(at[1]!, current);
      current.push(`line ${at[2]}: ${at[3]}`);
    } else if (line.startsWith(" ") && current !== undefined) current.push(line.trim());
    else if (line.trim() !== "") {
      current = undefined;
      errors.set("(project)", [...(errors.get("(project)") ?? []), line]);
    }
  }
  return errors;
}

beforeAll(async () => {
  const nock = process.env.TEST_NOCK;
  project = createConsumerProject([
    "fast-check",
    "vitest",
    "twilio",
    "@types/node",
    "ajv",
    "@types/ws",
    ["nock", nock === undefined || nock === "" ? "nock" : nock],
  ]);
  mkdirSync(join(project.dir, "blocks"));
  mkdirSync(join(project.dir, "globals"));
  for (const block of CODE) writeFileSync(join(project.dir, "blocks", block.file), `${block.code}\n`);
  writeFileSync(join(project.dir, "globals", "fragment-globals.d.ts"), FRAGMENT_GLOBALS);
  writeFileSync(join(project.dir, "globals", "runtime-globals.d.ts"), RUNTIME_GLOBALS);
  writeFileSync(join(project.dir, "runtime.mjs"), RUNTIME);
  const compilerOptions = {
    module: "nodenext",
    moduleResolution: "nodenext",
    moduleDetection: "force",
    target: "es2022",
    strict: true,
    allowJs: true,
    checkJs: true,
    skipLibCheck: true,
    types: ["node"],
    rootDir: "blocks",
    outDir: "out",
  };
  const config = (include: string[], noEmit: boolean) =>
    `${JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit }, include: ["blocks", ...include] }, null, 2)}\n`;
  writeFileSync(join(project.dir, "tsconfig.json"), config(["globals"], false));
  writeFileSync(join(project.dir, "tsconfig.runtime.json"), config(["globals/runtime-globals.d.ts"], true));
  typeErrors = tsc("tsconfig.json");
  runtimeErrors = tsc("tsconfig.runtime.json");
  // A promise nobody awaits (`fc.assert(fc.asyncProperty(…))` without `await`) type-checks, but
  // the test it is pasted in passes before the property has run.
  const eslint = new ESLint({
    cwd: project.dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ["blocks/*.ts", "blocks/*.js"],
        languageOptions: { parser: tseslint.parser, parserOptions: { project: "./tsconfig.json", tsconfigRootDir: project.dir } },
        plugins: { "@typescript-eslint": tseslint.plugin },
        rules: { "@typescript-eslint/no-floating-promises": "error" },
      },
    ],
  });
  for (const result of await eslint.lintFiles(["blocks/*.ts", "blocks/*.js"])) {
    const file = result.filePath.slice(join(project.dir, "blocks").length + 1);
    for (const message of result.messages)
      typeErrors.set(file, [...(typeErrors.get(file) ?? []), `line ${message.line}: ${message.ruleId ?? "eslint"}: ${message.message}`]);
  }
}, 180_000);
afterAll(() => project?.dispose());

describe("docs code blocks, against the packed package", () => {
  it("finds the blocks, and the consumer project's set-up has no error of its own", () => {
    expect(CODE.length).toBeGreaterThan(15);
    expect(SHELL.length).toBeGreaterThan(10);
    expect(typeErrors.get("(project)")).toBeUndefined();
  });

  it.each(CODE.map((b) => [`${b.page}:${b.line}`, b] as const))("%s type-checks", (_, block) => {
    expect(typeErrors.get(block.file) ?? []).toEqual([]);
  });

  it.for(CODE.map((b) => [`${b.page}:${b.line}`, b] as const))("%s runs, if it can stand alone", ([, block], { skip }) => {
    if (block.noRun !== undefined) skip(`marked no-run: ${block.noRun}`);
    if (typeErrors.has(block.file)) skip("it does not type-check (see above)");
    if (runtimeErrors.has(block.file)) skip("a fragment: it uses names the reader's code defines");
    const out = join(project.dir, "out", block.file.replace(/\.ts$/, ".js"));
    const run = spawnSync(process.execPath, [join(project.dir, "runtime.mjs"), out], {
      cwd: project.dir,
      encoding: "utf8",
      timeout: 120_000, // a block that never ends; not a verdict on speed
    });
    expect(run.status, run.stderr).toBe(0);
  });
});

/** The commands of a shell block: the words after `npx`, joined across `\` line ends, up to `|`, `&`, `;` or `#`. */
function commandsOf(code: string): string[][] {
  const commands: string[][] = [];
  for (const line of code.replace(/\\\n/g, " ").split("\n")) {
    for (const segment of line.split(/\s(?:\|\|?|&&?|;|#)(?:\s|$)/)) {
      const words = segment.trim().split(/\s+/);
      const at = words.indexOf("npx");
      if (at >= 0) commands.push(words.slice(at + 1));
    }
  }
  return commands;
}

const helpTexts = new Map<string, string>();
function helpOf(command: string): string {
  let text = helpTexts.get(command);
  if (text === undefined) {
    text = execFileSync(process.execPath, [join(ROOT, "dist/cli/main.js"), command, "--help"], { encoding: "utf8" });
    helpTexts.set(command, text);
  }
  return text;
}

/** The bins of a package in this checkout's node_modules, or undefined if it is not there. */
function binsOf(name: string): string[] | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as {
      name: string;
      bin?: string | Record<string, string>;
    };
    return typeof manifest.bin === "string" ? [manifest.name.replace(/^@[^/]+\//, "")] : Object.keys(manifest.bin ?? {});
  } catch {
    return undefined;
  }
}

describe("docs shell blocks", () => {
  it.each(SHELL.map((b) => [`${b.page}:${b.line}`, b] as const))("%s: npx names real packages, stream-contract real flags", (_, block) => {
    const problems: string[] = [];
    for (const words of commandsOf(block.code)) {
      let bin = words[0] ?? "";
      let rest = words.slice(1);
      if (bin === "-p" || bin === "--package") {
        const pkg = words[1] ?? "";
        bin = words[2] ?? "";
        rest = words.slice(3);
        if (!(binsOf(pkg) ?? []).includes(bin)) problems.push(`npx -p ${pkg} ${bin}: ${pkg} has no bin ${bin} (or is unknown)`);
      } else if (bin !== "stream-contract" && !(binsOf(bin) ?? []).includes(bin)) {
        problems.push(`npx ${bin}: no package ${bin} with that bin; say npx -p <package> ${bin}`);
      }
      if (bin !== "stream-contract") continue;
      const command = rest[0] ?? "";
      if (command.startsWith("-")) continue;
      const help = helpOf(command);
      for (const word of rest.slice(1)) {
        if (word === "--") break;
        const flag = /^--[a-z][\w-]*/.exec(word)?.[0];
        if (flag !== undefined && !new RegExp(`(^|[\\s,\\[])${flag}(?![\\w-])`, "m").test(help))
          problems.push(`stream-contract ${command} ${flag}: not in its --help`);
      }
    }
    expect(problems).toEqual([]);
  });
});
