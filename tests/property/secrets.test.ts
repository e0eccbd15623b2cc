/**
 * No secret, not even a part of one: for generated tokens (any printable characters), text and
 * servers and brokers that echo them back in every position and encoding, nothing printed or
 * written contains a 6-character piece of the token that was not there without it.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { publishCommand } from "../../src/cli/publish.js";
import { verifyCommand } from "../../src/cli/verify.js";
import { basicAuthorization } from "../../src/http/basic-auth.js";
import {
  cutRedacted,
  onSecretWarning,
  redact,
  registerSecret,
  registerUrlSecrets,
  tailRedacted,
  urlForMessage,
} from "../../src/secrets.js";
import { runCommand } from "../support/run-command.js";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const FIXTURE = "tests/fixtures/pacts/fixture-client-fixture-provider.json";
let cases = 0;
afterAll(() => {
  process.stdout.write(`secret property tests: ${cases} cases\n`);
});

/** Tokens of any printable ASCII characters (quotes, backslashes, %, & and spaces included). */
const token = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 8, maxLength: 40 });

/** Every way the token can be echoed. */
const ENCODINGS: Readonly<Record<string, (secret: string, user: string) => string>> = {
  raw: (s) => s,
  json: (s) => JSON.stringify(s).slice(1, -1),
  url: (s) => encodeURIComponent(s),
  form: (s) => new URLSearchParams({ s }).toString().slice(2),
  basic: (s, user) => `Basic ${Buffer.from(`${user}:${s}`).toString("base64")}`,
  base64: (s, user) => Buffer.from(`${user}:${s}`).toString("base64"),
};
const encoding = fc.constantFrom(...Object.keys(ENCODINGS));

function sixGrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + 6 <= text.length; i++) grams.add(text.slice(i, i + 6));
  return grams;
}

/** The 6-character pieces of `secret` in `text` that `baseline` (the same output without the secret) lacks. */
function leaked(secret: string, text: string, baseline: string): string[] {
  const known = sixGrams(baseline);
  return [...sixGrams(secret)].filter((gram) => text.includes(gram) && !known.has(gram));
}

// First in the file: the property tests below register hundreds of random secrets in this process.
describe("masking spares words: secrets, not prose (issue 17)", () => {
  it("Basic and Bearer followed by prose are left alone; credentials of their shape are masked, registered or not", () => {
    for (const prose of [
      "the password of the CreateStream's Basic credentials",
      "Basic auth whose user is the path's AccountSid",
      "Bearer tokens and Basic authentication",
      "the Basic ****",
    ])
      expect(redact(prose)).toBe(prose);
    expect(redact(`Authorization: ${basicAuthorization(ACCOUNT, "never-registered-9")}`)).toBe("Authorization: Basic ****");
    expect(redact(`${basicAuthorization("a", "b")},`)).toBe("Basic ****,"); // short, but user:password
    expect(redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x")).toBe("Authorization: Bearer ****");
    expect(redact("Bearer abcdefghijklmnopqrstuv")).toBe("Bearer ****");
  });

  it("a secret too short to mask is not masked (no word blanked) and gets one warning naming where it came from", () => {
    const warnings: string[] = [];
    const previous = onSecretWarning((line) => warnings.push(line));
    try {
      registerSecret("wrong", [], "--auth-token / TWILIO_AUTH_TOKEN");
      registerSecret("wrong", [], "--auth-token / TWILIO_AUTH_TOKEN");
      expect(redact("the credentials are probably wrong")).toBe("the credentials are probably wrong");
      expect(warnings).toEqual([
        "stream-contract: warning: --auth-token / TWILIO_AUTH_TOKEN is shorter than 8 characters, too short to mask without blanking ordinary words: it is not masked in what is printed or written (Twilio's auth tokens and API key secrets have 32 characters)",
      ]);
      // From 8 characters on, a secret is masked wherever it occurs, a query value included.
      registerSecret("long-enough-0", [], "--auth-token");
      expect(redact("http://127.0.0.1/status?token=long-enough-0&x=1")).toBe("http://127.0.0.1/status?token=****&x=1");
      registerUrlSecrets("wss://user:p%40ss-in-url-1@example.com/media", "--signed-url");
      expect(redact("p@ss-in-url-1 and p%40ss-in-url-1")).toBe("**** and ****");
      expect(warnings).toHaveLength(1);
    } finally {
      onSecretWarning(previous);
    }
  });
});

describe("redaction: every encoding, before and after a cut", () => {
  it("leaves no 6-character piece of a secret in text cut anywhere", () => {
    fc.assert(
      fc.property(
        token,
        encoding,
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 300 }),
        fc.nat(700),
        (secret, how, before, after, max) => {
          cases++;
          registerSecret(secret, [ACCOUNT]);
          const text = `${before}${ENCODINGS[how]!(secret, ACCOUNT)}${after}`;
          const baseline = `${before}${after}`;
          for (const shown of [redact(text), cutRedacted(text, max + 1), tailRedacted(text, max + 1), JSON.stringify(redact(text))]) {
            expect(leaked(secret, shown, baseline), shown).toEqual([]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never echoes the password of a malformed URL", () => {
    fc.assert(
      fc.property(token, (password) => {
        cases++;
        const shown = urlForMessage(`ht!tp://user:${password}@broker.example.com:99999/`);
        expect(shown).toContain("****");
        expect(leaked(password, shown, "ht!tp://****@broker.example.com:99999/")).toEqual([]);
      }),
    );
  });
});

/** A server that answers every request with the token in `how`, placed `at` characters into a long body. */
async function echoServer(reply: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => reply(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

function echoed(secret: string, how: string, at: number, user: string): string {
  return `${"x".repeat(at)}${ENCODINGS[how]!(secret, user)}${"y".repeat(400)}`;
}

describe("verify and publish against servers that echo the token", () => {
  it("print and write no piece of it (stdout, stderr, JSON and JUnit reports)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "secrets-"));
    let run = 0;
    const verifyOutput = async (secret: string, how: string, at: number) => {
      const { server, url } = await echoServer((_req, res) =>
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ echo: echoed(secret, how, at, ACCOUNT) })),
      );
      const reports = [join(dir, `r${++run}.json`), join(dir, `r${run}.xml`)];
      try {
        const result = await runCommand(
          verifyCommand,
          [
            "--base-url",
            url,
            "--account-sid",
            ACCOUNT,
            "--skip-pact",
            "--runs",
            "2",
            "--seed",
            "1",
            "--only",
            "response schema",
            "--report",
            `json:${reports[0]}`,
            "--report",
            `junit:${reports[1]}`,
          ],
          { TWILIO_AUTH_TOKEN: secret },
        );
        return [result.output, ...reports.map((file) => readFileSync(file, "utf8"))].join("\n");
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    };
    const publishOutput = async (secret: string, how: string, at: number) => {
      const { server, url } = await echoServer((req, res) =>
        res.writeHead(500, { "content-type": "text/plain" }).end(`${echoed(secret, how, at, "")} ${req.headers.authorization ?? ""}`),
      );
      try {
        const result = await runCommand(
          publishCommand,
          [FIXTURE, "--verbose", "--retries", "0", "--consumer-app-version", "1.0.0", "--broker-base-url", url],
          { PACT_BROKER_TOKEN: secret },
        );
        return result.output;
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    };
    const verifyBaseline = await verifyOutput("baseline-token-0000", "raw", 0);
    const publishBaseline = await publishOutput("baseline-token-0000", "raw", 0);
    await fc.assert(
      fc.asyncProperty(token, encoding, fc.integer({ min: 180, max: 320 }), async (secret, how, at) => {
        cases++;
        expect(leaked(secret, await verifyOutput(secret, how, at), verifyBaseline)).toEqual([]);
        expect(leaked(secret, await publishOutput(secret, how, at + 150), publishBaseline)).toEqual([]);
      }),
      { numRuns: 12 },
    );
  }, 180_000);
});
