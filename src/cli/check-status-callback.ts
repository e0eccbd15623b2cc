/**
 * `stream-contract check-status-callback`: checks the user's status-callback receiver.
 */
import { checkStatusCallbackReceiver } from "../callback-check/check-receiver.js";
import { isLoopbackUrl } from "../status-callbacks/loopback.js";
import { registerSecret, registerUrlSecrets, urlForMessage } from "../secrets.js";
import { isAccountSid } from "../validators/sid.js";
import { exitCodeOf } from "../runner/outcome.js";
import { renderSummary } from "../verify/summary.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { UsageError } from "./exit.js";
import { optionsHelp } from "./help.js";
import { REPORT_HELP, reportOption, reportTargets, writeRequestedReports } from "./report-option.js";
import { durationFlag, integerFlag, REQUEST_TIMEOUT_MS, SEED } from "./numbers.js";
import { err, out } from "./output.js";

export const checkStatusCallbackCommand: Command = {
  summary: "check your Stream status-callback receiver (events, GET and POST, signatures)",
  help: `
Usage: stream-contract check-status-callback --url URL [--auth-token TOKEN] [--account-sid AC…]
                                             [--signed-url URL] [--expect-signature-check]
                                             [--runs N] [--seed S]
                                             [--timeout MS] [--only CHECK] [--allow-remote]
                                             [--report FORMAT:PATH]…

Sends generated Stream status callbacks to your receiver, as Twilio would: stream-started,
stream-stopped and stream-error, each by POST (form body) and by GET (query string), signed with
X-Twilio-Signature, and expects 2xx. With --expect-signature-check it also sends wrongly signed,
unsigned and replayed-with-changed-body callbacks and expects them refused (4xx; twilio-node's
webhook() middleware answers 403, or 400 without the header). A receiver that refuses correctly
signed callbacks usually sits behind a proxy and validates the public URL: give it with
--signed-url.

${optionsHelp([
  ["--url URL", "the receiver, exactly the URL you give Twilio as StatusCallback"],
  [
    "--auth-token TOKEN",
    "the token your receiver checks signatures with (default:\n$TWILIO_AUTH_TOKEN; prefer the variable). Never printed.",
  ],
  ["--account-sid AC…", "the AccountSid the callbacks carry (default: $TWILIO_ACCOUNT_SID,\nelse a generated one)"],
  [
    "--signed-url URL",
    "the URL to sign when your receiver sees another (a TLS proxy in front\nof http://127.0.0.1:…: the public https:// URL Twilio calls and your\nreceiver validates); default: --url",
  ],
  ["--expect-signature-check", "also check that bad signatures are refused"],
  ["--runs N", "callbacks per check (default 5)"],
  ["--seed S", "fast-check seed (default: random, printed) to replay a run"],
  ["--timeout MS", "deadline of every request (default 10000)"],
  ["--only CHECK", "only the checks whose name contains CHECK"],
  ["--allow-remote", "allow a receiver that is not on a loopback host"],
  REPORT_HELP,
  ["-h, --help", "this text"],
])}

Progress goes to stderr, the summary to stdout.
Exit codes: 0 the receiver behaves, 1 a check failed, 2 usage error or receiver unreachable.

Example:
  TWILIO_AUTH_TOKEN=… stream-contract check-status-callback --url http://127.0.0.1:3000/status \\
    --expect-signature-check
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        url: { type: "string" },
        "auth-token": { type: "string" },
        "account-sid": { type: "string" },
        "signed-url": { type: "string" },
        "expect-signature-check": { type: "boolean", default: false },
        runs: { type: "string" },
        seed: { type: "string" },
        timeout: { type: "string" },
        only: { type: "string" },
        "allow-remote": { type: "boolean", default: false },
        ...reportOption,
      },
      false,
    );
    if (positionals.length > 0)
      throw new UsageError(`check-status-callback takes no positional arguments (got ${positionals.join(" ")}); see --help`);
    // Every secret registered before anything is printed: the token, and passwords in the URLs.
    const authToken = values["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN;
    registerSecret(authToken, [], "--auth-token / TWILIO_AUTH_TOKEN");
    registerUrlSecrets(values.url, "--url");
    const signedUrl = values["signed-url"];
    registerUrlSecrets(signedUrl, "--signed-url");
    const reports = reportTargets(values.report);
    const url = values.url;
    if (url === undefined) throw new UsageError("--url is required: the receiver's URL, e.g. --url http://127.0.0.1:3000/status");
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--url must be an absolute http:// or https:// URL, got ${JSON.stringify(urlForMessage(url))}`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
      throw new UsageError(`--url must be an http:// or https:// URL, got ${parsed.protocol}`);
    if (!values["allow-remote"] && !isLoopbackUrl(url))
      throw new UsageError(`${parsed.host} is not a loopback host; add --allow-remote to send callbacks to it`);
    if (signedUrl !== undefined && !isHttpUrl(signedUrl))
      throw new UsageError(`--signed-url must be an absolute http:// or https:// URL, got ${JSON.stringify(urlForMessage(signedUrl))}`);
    if (authToken === undefined || authToken === "")
      throw new UsageError("the receiver's auth token is needed to sign the callbacks: --auth-token or TWILIO_AUTH_TOKEN");
    const accountSid = values["account-sid"] ?? process.env.TWILIO_ACCOUNT_SID;
    if (accountSid !== undefined && !isAccountSid(accountSid))
      throw new UsageError(`--account-sid must be an Account SID (AC + 32 hex digits), got ${JSON.stringify(accountSid)}`);
    const report = await checkStatusCallbackReceiver({
      url,
      ...(signedUrl === undefined ? {} : { signedUrl }),
      authToken,
      ...(accountSid === undefined ? {} : { accountSid }),
      expectSignatureCheck: values["expect-signature-check"],
      ...(values.runs === undefined ? {} : { runs: integerFlag(values.runs, "--runs", { min: 1, max: 1_000_000 })! }),
      ...(values.seed === undefined ? {} : { seed: integerFlag(values.seed, "--seed", SEED)! }),
      ...(values.timeout === undefined ? {} : { timeoutMs: durationFlag(values.timeout, "--timeout", REQUEST_TIMEOUT_MS)! }),
      ...(values.only === undefined ? {} : { only: values.only }),
      onProgress: (line) => err(`${line}\n`),
    });
    if (report.outcomes.length === 0 && report.runError === undefined)
      throw new UsageError(`no check is named like ${JSON.stringify(values.only)}`);
    out(renderSummary(report));
    await writeRequestedReports(report, reports);
    return exitCodeOf(report);
  },
};

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
