/**
 * `stream-contract publish`: checks the pact files, then publishes them to a Pact Broker.
 */
import { BrokerError, brokerAuthFromEnv, createBrokerClient, type BrokerAuth } from "../broker/client.js";
import { existsSync } from "node:fs";
import { readPactFiles, type PactToPublish } from "../broker/pact-files.js";
import { packageContractsDirectory } from "../contract/pact-files.js";
import { publishPacts, type Publication } from "../broker/publish.js";
import { resolveVersionInfo } from "../broker/version-info.js";
import { redact, registerSecret, urlForMessage } from "../secrets.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { durationFlag, integerFlag, REQUEST_TIMEOUT_MS } from "./numbers.js";
import { out, err } from "./output.js";

const RETRY_DELAY_MS = 250;

export const publishCommand: Command = {
  summary: "check the pact files and publish them to a Pact Broker",
  help: `
Usage: stream-contract publish [contracts/ | pact.json …] [options]

Without a path it publishes ./contracts, or the package's own contracts/ when there is none.

Checks every pact file — it parses, it is Pact V4, and every example request and response in it
conforms to the contract — then publishes them all through the broker's pb:publish-contracts API.
A pact that would teach providers something false (a 2xx for an invalid request, a Stream that
breaks the schema, a literal Authorization header …) is refused and nothing is sent.

  --broker-base-url URL       the broker (default: $PACT_BROKER_BASE_URL)
  --consumer-app-version V    the consumer version (default: $GITHUB_SHA, $CI_COMMIT_SHA, … or
                              the git commit SHA)
  --branch B                  the consumer's branch (default: $GITHUB_HEAD_REF, $GITHUB_REF_NAME,
                              $CI_COMMIT_REF_NAME, … or the git branch)
  --tag T                     a consumer version tag; repeatable
  --build-url U               the CI build (default: GitHub Actions run URL, $CI_JOB_URL, …)
  --dry-run                   check and show what would be published; send nothing (needs no
                              broker, version or git checkout)
  --timeout MS                per request (default: 30000; at most 10m; units: 500ms, 30s, 1m)
  --retries N                 retries of 5xx answers and network errors, with backoff (default: 3)
  --verbose                   print every request and answer on stderr (credentials masked)
  -h, --help                  this text

Credentials come from the environment only, never from flags (which end up in shell history
and process lists): PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD.
They are never printed, not even with --verbose.

Exit codes: 0 published (or checked, with --dry-run), 1 a pact was refused,
2 usage error, network or broker error.

Example:
  PACT_BROKER_BASE_URL=https://broker.example.com PACT_BROKER_TOKEN=… \\
    stream-contract publish contracts/ --branch main --tag prod
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      "broker-base-url": { type: "string" },
      "consumer-app-version": { type: "string" },
      branch: { type: "string" },
      tag: { type: "string", multiple: true },
      "build-url": { type: "string" },
      "dry-run": { type: "boolean" },
      timeout: { type: "string", default: "30000" },
      retries: { type: "string", default: "3" },
      verbose: { type: "boolean" },
    });
    const env = process.env;
    const timeoutMs = durationFlag(values.timeout, "--timeout", REQUEST_TIMEOUT_MS) as number;
    const retries = integerFlag(values.retries, "--retries", { min: 0, max: 10 }) as number;
    const auth = brokerAuthFromEnv(env);
    const dryRun = values["dry-run"] === true;
    const broker =
      dryRun && values["broker-base-url"] === undefined && !env.PACT_BROKER_BASE_URL
        ? undefined
        : brokerUrl(values["broker-base-url"] ?? env.PACT_BROKER_BASE_URL, auth);
    const mask = (text: string) =>
      redact(text, [broker?.auth.token, broker?.auth.password], broker?.auth.username === undefined ? [] : [broker.auth.username]);

    const paths = positionals.length === 0 ? [defaultContracts()] : positionals;
    const pacts = await readAll(paths);
    if (pacts.length === 0) throw new UsageError(`no pact files (*.json) in ${paths.join(", ")}`);
    err(`checking ${plural(pacts.length, "pact file")}…\n`);
    let refused = 0;
    for (const file of pacts) {
      if (file.problems.length === 0) {
        out(
          `ok       ${file.file}: ${file.pact?.consumer} → ${file.pact?.provider}, ${plural(file.pact?.interactions ?? 0, "interaction")}\n`,
        );
        continue;
      }
      refused++;
      out(`refused  ${file.file}: it would teach providers something the contract does not say\n`);
      for (const problem of file.problems) out(mask(`  - ${problem}\n`));
    }
    if (refused > 0) {
      out(
        `${plural(refused, "pact")} refused; nothing was published. Fix the consumer tests that wrote ${refused === 1 ? "it" : "them"} and run them again.\n`,
      );
      return EXIT.violation;
    }

    const publication = await publicationFor(values, env, dryRun);
    const what = `${plural(pacts.length, "pact")} as version ${publication.version}${publication.branch ? `, branch ${publication.branch}` : ""}${publication.tags.length ? `, tags ${publication.tags.join(", ")}` : ""}${publication.buildUrl ? `, build ${publication.buildUrl}` : ""}`;
    if (dryRun || broker === undefined) {
      out(mask(`dry run: would publish ${what}${broker ? ` to ${broker.url}` : ""}; nothing sent\n`));
      for (const file of pacts)
        out(`  ${file.pact?.consumer} → ${file.pact?.provider}: ${file.file} (${Buffer.byteLength(file.text)} bytes)\n`);
      return EXIT.ok;
    }
    err(mask(`publishing ${what} to ${broker.url}…\n`));
    const client = createBrokerClient({
      baseUrl: broker.url,
      auth: broker.auth,
      timeoutMs,
      retries,
      retryDelayMs: RETRY_DELAY_MS,
      progress: (line) => err(`${line}\n`),
      debug: values.verbose ? (line) => err(`debug: ${line}\n`) : undefined,
    });
    try {
      const notices = await publishPacts(client, pacts, publication);
      for (const notice of notices) out(client.redact(`[${notice.type}] ${notice.text}\n`));
    } catch (error) {
      if (error instanceof BrokerError) throw new UsageError(client.redact(`publishing failed: ${error.message}`));
      throw error;
    }
    out(mask(`published ${what}\n`));
    return EXIT.ok;
  },
};

/** The broker URL without userinfo; credentials in it (https://user:pass@host) become Basic auth. */
function brokerUrl(value: string | undefined, auth: BrokerAuth): { url: string; auth: BrokerAuth } {
  if (value === undefined || value === "")
    throw new UsageError("no broker: give --broker-base-url URL or set PACT_BROKER_BASE_URL (or use --dry-run)");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--broker-base-url ${JSON.stringify(urlForMessage(redact(value, [auth.token, auth.password])))} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--broker-base-url must be an http:// or https:// URL");
  const fromUrl: BrokerAuth = url.username
    ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
    : {};
  registerSecret(fromUrl.password, [fromUrl.username]);
  url.username = "";
  url.password = "";
  return { url: url.href, auth: auth.token || auth.username ? auth : fromUrl };
}

async function readAll(paths: string[]): Promise<PactToPublish[]> {
  try {
    return await readPactFiles(paths);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    throw new UsageError(
      `cannot read ${path ?? paths.join(", ")}: ${code === "ENOENT" ? "no such file or directory" : (error as Error).message}`,
    );
  }
}

async function publicationFor(
  values: { "consumer-app-version"?: string; branch?: string; tag?: string[]; "build-url"?: string },
  env: NodeJS.ProcessEnv,
  dryRun: boolean,
): Promise<Publication> {
  const { version, branch, buildUrl } = await resolveVersionInfo(
    { version: values["consumer-app-version"], branch: values.branch },
    true,
    env,
    process.cwd(),
  );
  if ((version === undefined || version === "") && dryRun) {
    // A dry run shows what it can: the version is the one thing a real run would still need.
    return { version: NO_VERSION, branch, tags: values.tag ?? [], buildUrl: values["build-url"] ?? buildUrl };
  }
  if (version === undefined || version === "") {
    throw new UsageError(
      "no consumer version: give --consumer-app-version, or run in a git checkout or a CI job that sets GITHUB_SHA / CI_COMMIT_SHA",
    );
  }
  return { version, branch, tags: values.tag ?? [], buildUrl: values["build-url"] ?? buildUrl };
}

/** What a dry run shows for a version it could not find. */
const NO_VERSION = "(none yet: a real run needs --consumer-app-version, a git checkout or a CI job's GITHUB_SHA / CI_COMMIT_SHA)";

/**
 * The pact files published when none are named: ./contracts when it exists, else the package's
 * own contracts/ (so `npx stream-contract publish --dry-run` works from any directory).
 */
function defaultContracts(): string {
  return existsSync("contracts") ? "contracts" : (packageContractsDirectory() ?? "contracts");
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}
