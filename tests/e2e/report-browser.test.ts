/**
 * The HTML report (`--report html:<path>`) in a real browser: Debian's Chromium, headless, driven
 * by playwright-core. The reports come from real runs of the built CLI — verify against a
 * provider that answers 500 to bad input, check-client against a client whose request carries
 * markup in a field name, check-media-server's ten real-time calls against a voice-agent-like
 * server whose answers start with a WAV header — and each page must load with no console error
 * and no request but the file itself, render (a screenshot that is not blank), show a failure's
 * replay flags and curl command, keep the hostile field name as text, let the keyboard reach the
 * failures, and draw each call's timeline with both sides playable.
 *
 * SCREENSHOTS=DIR keeps the timeline's screenshots there (docs/report-timeline.png is one).
 *
 * Without /usr/bin/chromium the test is skipped, saying why — except in CI (CI=true), where it
 * fails: `.ci/run` installs Chromium.
 */
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROKEN_PROVIDERS } from "./broken-providers/bugs.js";
import { type BrokenProvider, startBrokenProvider } from "./broken-providers/proxy.js";
import { type Ended, runCli } from "../support/cli.js";
import { startVoiceAgent } from "../support/voice-agent.js";

const CHROMIUM = "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
/** Past any deadline a loaded machine could trip: a browser start and three CLI runs, one of real-time calls. */
const SLOW = 300_000;

if (!present && !inCi) console.warn(`report-browser: skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)`);

/** Runs the built CLI with no account or token from this process's environment unless `env` gives them. */
function cli(args: string[], env: Record<string, string> = {}): Promise<Ended> {
  return runCli(args, { TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined, ...env });
}

/** A client that sends a CreateStream whose extra field name is markup: a violation whose text is hostile. */
const HOSTILE_FIELD = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`;
const HOSTILE_CLIENT = `
  const A = "AC" + "a".repeat(32), C = "CA" + "a".repeat(32);
  const auth = "Basic " + Buffer.from(A + ":token").toString("base64");
  const body = new URLSearchParams({ Url: "wss://example.com/media", ${JSON.stringify(HOSTILE_FIELD)}: "1" });
  fetch(process.env.TWILIO_API_BASE_URL + "/2010-04-01/Accounts/" + A + "/Calls/" + C + "/Streams.json", {
    method: "POST", headers: { Authorization: auth, "Content-Type": "application/x-www-form-urlencoded" }, body,
  }).then((r) => r.text()).then(() => process.exit(0), () => process.exit(3));
`;

const MEDIA_TOKEN = "report-browser-media-token-0123456789";

/** What a page did while it loaded: console errors, uncaught errors, every request. */
interface Visit {
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

describe.skipIf(!present && !inCi)("the HTML report in Chromium", () => {
  let browser: Browser;
  let provider: BrokenProvider | undefined;
  let agent: Awaited<ReturnType<typeof startVoiceAgent>> | undefined;
  let dir: string;

  beforeAll(async () => {
    if (!present) throw new Error(`${CHROMIUM} is absent, and CI=true: install it (apt-get install -y chromium; .ci/run does)`);
    dir = await mkdtemp(join(tmpdir(), "report-browser-"));
    const bug = BROKEN_PROVIDERS.find((c) => c.caughtBy === "not a server error");
    provider = await startBrokenProvider(bug!.inject);
    agent = await startVoiceAgent({ token: MEDIA_TOKEN, bug: "wav-headers" });
    const [verify, client, media] = await Promise.all([
      cli(
        [
          "verify",
          "--base-url",
          provider.baseUrl,
          "--states-url",
          provider.statesUrl,
          "--runs",
          "20",
          "--seed",
          String(fc.readConfigureGlobal().seed),
          "--report",
          `html:${dir}/verify.html`,
          "--report",
          `json:${dir}/verify.json`,
        ],
        { TWILIO_ACCOUNT_SID: provider.accountSid, TWILIO_AUTH_TOKEN: provider.authToken },
      ),
      cli(["check-client", "--report", `html:${dir}/client.html`, "--", process.execPath, "-e", HOSTILE_CLIENT]),
      // Two rounds of five calls: the first round's break Twilio's rules (a WAV header in the
      // first media of each answer), the second's are not blamed for the same rule (second-call).
      cli(
        [
          "check-media-server",
          "--url",
          `${agent.origin}/media`,
          "--bidirectional",
          "--runs",
          "3",
          "--calls",
          "5",
          "--artifacts",
          `${dir}/evidence`,
          "--report",
          `html:${dir}/media.html`,
          "--report",
          `json:${dir}/media.json`,
        ],
        { TWILIO_AUTH_TOKEN: MEDIA_TOKEN },
      ),
    ]);
    expect(verify.code, verify.stderr).toBe(1);
    expect(client.code, client.stderr).toBe(1);
    expect(media.code, media.stderr).toBe(1);
    const weighed: [string, string][] = [
      ["verify.html", "verify's HTML report"],
      ["media.html", "check-media-server's HTML report of 10 calls"],
      ["media.json", "its JSON report"],
    ];
    for (const [file, what] of weighed) {
      const { size } = statSync(join(dir, file));
      console.log(`report-browser: ${what} weighs ${size} bytes (${(size / 1024).toFixed(1)} kB)`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, SLOW);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
    await agent?.close();
  });

  async function visit(file: string): Promise<Visit> {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(dir, file)).href, { waitUntil: "load" });
    return { page, errors, requests };
  }

  /** Distinct colours in a screenshot, decoded by the browser itself in a blank page of its own. */
  async function coloursOf(png: Buffer): Promise<number> {
    const scratch = await browser.newPage();
    try {
      // A string, evaluated in the page: this project's TypeScript has no DOM types.
      return await scratch.evaluate<number>(`(async () => {
        const image = new Image();
        image.src = "data:image/png;base64,${png.toString("base64")}";
        await image.decode();
        const canvas = document.createElement("canvas");
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext("2d");
        context.drawImage(image, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        return colours.size;
      })()`);
    } finally {
      await scratch.close();
    }
  }

  it(
    "verify's report: loads alone, renders, shows the failure's replay flags and curl, and the keyboard reaches it",
    async () => {
      const { page, errors, requests } = await visit("verify.html");
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(join(dir, "verify.html")).href]);
      const report = JSON.parse(await readFile(join(dir, "verify.json"), "utf8"));
      const name = "conformance › not a server error";
      const failure = report.outcomes.find((o: { name: string }) => o.name === name).failures[0];
      // The replay flags and the curl command, as the page shows them (text, not HTML).
      const check = page.locator("details.failed", { has: page.locator("summary", { hasText: name }) });
      expect(await check.locator("figure.replay").innerText()).toContain(`--seed ${failure.seed} --only 'not a server error'`);
      expect(await check.locator("figure.curl").innerText()).toContain("curl -sS -i 'http://127.0.0.1:");
      expect(await page.locator("body").innerText()).not.toContain(provider!.authToken);
      const png = await page.screenshot({ fullPage: true });
      expect(await coloursOf(png)).toBeGreaterThan(8);
      // Tab through the page: a failed check's summary gets the focus, Space folds it.
      let reached = false;
      for (let press = 0; press < 60 && !reached; press++) {
        await page.keyboard.press("Tab");
        reached = await page.evaluate<boolean>(`document.activeElement?.matches("details.failed > summary") === true`);
      }
      expect(reached, "Tab never reached a failed check").toBe(true);
      await page.keyboard.press("Space");
      expect(await page.evaluate<boolean>("document.activeElement.parentElement.open")).toBe(false);
      // The filter: only the failed checks stay visible.
      await page.locator("#only-failed").focus();
      await page.keyboard.press("Space");
      expect(await page.locator("details.check.passed").first().isVisible()).toBe(false);
      expect(await page.locator("details.check.failed").first().isVisible()).toBe(true);
      await page.close();
    },
    SLOW,
  );

  it(
    "check-client's report: the hostile field name is text on the page, no markup, nothing ran",
    async () => {
      const { page, errors, requests } = await visit("client.html");
      expect(errors).toEqual([]);
      expect(requests).toHaveLength(1);
      expect(await page.title()).not.toBe("pwned");
      expect(await page.locator("script, img").count()).toBe(0);
      const shown = await page.locator("#failure-1").innerText();
      expect(shown).toContain(`<img src=x onerror="document.title='pwned'">`);
      expect(shown).toContain(`<script>document.title='pwned'`); // the rest of the name is a JSON pointer: / as ~1
      await page.close();
    },
    SLOW,
  );

  it(
    "check-media-server's report: a timeline per call, both sides playable, the failing calls' evidence, in light and dark",
    async () => {
      const { page, errors, requests } = await visit("media.html");
      expect(requests).toEqual([pathToFileURL(join(dir, "media.html")).href]);
      const report = JSON.parse(await readFile(join(dir, "media.json"), "utf8"));
      expect(report.calls).toHaveLength(10);
      const failed = report.calls.filter((c: { failed: boolean }) => c.failed).map((c: { name: string }) => c.name);
      expect(failed.length).toBeGreaterThan(0);
      expect(await page.locator("details.call").count()).toBe(10);
      expect(await page.locator("details.call figure.timeline svg[role=img]").count()).toBe(10);
      // A failing call: open, its evidence named, its issue on the axis and in the table.
      const call = page.locator("details.call.failed").first();
      const name = failed[0];
      expect(await call.getAttribute("open")).not.toBeNull();
      expect(await call.locator(".evidence").innerText()).toContain(join(dir, "evidence", `${name.replace(" ", "-")}.jsonl`));
      expect(await call.locator("svg g.issue").count()).toBeGreaterThan(0);
      expect(await call.locator("details.events tr.issue").count()).toBeGreaterThan(0);
      expect(await page.locator("details.check.failed").first().innerText()).toContain(`${name.replace(" ", "-")}.wav`);
      // Both sides playable: the embedded WAVs load (their duration is the call's), four calls' worth.
      const audio = page.locator("audio");
      expect(await audio.count()).toBe(8);
      await page.waitForFunction(`[...document.querySelectorAll("audio")].every((a) => a.readyState >= 1)`, undefined, { timeout: 30_000 });
      const durations = await page.evaluate<number[]>(`[...document.querySelectorAll("audio")].map((a) => a.duration)`);
      for (const seconds of durations) expect(seconds).toBeGreaterThan(2);
      expect(await page.getByText("Audio not embedded: the page embeds the audio of 4 calls at most").count()).toBe(6);
      // The screenshots of the failing call's timeline, light and dark: not blank, not the same.
      const shots: Buffer[] = [];
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        const png = await call.screenshot();
        expect(await coloursOf(png)).toBeGreaterThan(8);
        shots.push(png);
        if (process.env.SCREENSHOTS !== undefined)
          await writeFile(join(process.env.SCREENSHOTS, `report-timeline${colorScheme === "dark" ? "-dark" : ""}.png`), png);
      }
      expect(shots[0]!.equals(shots[1]!)).toBe(false);
      expect(await page.locator("body").innerText()).not.toContain(MEDIA_TOKEN);
      // Tab reaches a player.
      await page.emulateMedia({ colorScheme: "light" });
      let reached = false;
      for (let press = 0; press < 200 && !reached; press++) {
        await page.keyboard.press("Tab");
        reached = await page.evaluate<boolean>(`document.activeElement?.tagName === "AUDIO"`);
      }
      expect(reached, "Tab never reached a player").toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    },
    SLOW,
  );
});
