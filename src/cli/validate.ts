/**
 * `stream-contract validate`: checks one document against one of the contract's schemas.
 */
import type { ContractIssue, ValidationResult } from "../validators/issue.js";
import { validateStream } from "../validators/stream.js";
import { validateTwilioError } from "../validators/twilio-error.js";
import { validateCreateStreamRequest } from "../validators/create-stream-request.js";
import { validateUpdateStreamRequest } from "../validators/update-stream-request.js";
import { validateStreamStatusCallback } from "../validators/stream-status-callback.js";
import { validateServerStreamMessage, validateTwilioStreamMessage } from "../validators/media-message.js";
import type { FormInput } from "../validators/form.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { NotUtf8Error, parseJson, readInput } from "./input.js";
import { out } from "./output.js";

type Check = (text: string, source: string) => ValidationResult<unknown>;

/** A request document is a form body (`Url=…&Name=…`) or JSON: `{ "path": {…}, "body": {…} | "a=b" }`. */
function requestCheck(
  validate: (request: { body: FormInput; path?: Readonly<Record<string, unknown>> }) => ValidationResult<unknown>,
): Check {
  return (text, source) => {
    const trimmed = text.trim();
    if (!trimmed.startsWith("{")) return validate({ body: trimmed });
    const document = parseJson(text, source);
    if (document === null || typeof document !== "object" || !("body" in document)) {
      throw new UsageError(`${source}: a JSON request needs a "body" (a form string or an object) and may have a "path"`);
    }
    const { body, path } = document as { body: FormInput; path?: Readonly<Record<string, unknown>> };
    return validate({ body, path });
  };
}

const schemas: Record<string, { title: string; check: Check }> = {
  stream: { title: "Stream resource", check: (text, source) => validateStream(parseJson(text, source)) },
  "create-request": { title: "CreateStream request", check: requestCheck(validateCreateStreamRequest) },
  "update-request": { title: "UpdateStream request", check: requestCheck(validateUpdateStreamRequest) },
  error: { title: "Twilio error body", check: (text, source) => validateTwilioError(parseJson(text, source)) },
  "status-callback": {
    title: "Stream status callback",
    check: (text, source) => {
      const trimmed = text.trim();
      return validateStreamStatusCallback(trimmed.startsWith("{") ? (parseJson(text, source) as FormInput) : trimmed);
    },
  },
  "twilio-message": {
    title: "Media Streams message from Twilio",
    check: (text, source) => validateTwilioStreamMessage(parseJson(text, source)),
  },
  "server-message": {
    title: "Media Streams message to Twilio",
    check: (text, source) => validateServerStreamMessage(parseJson(text, source)),
  },
};

export const validateCommand: Command = {
  summary: "check a JSON document or form body against the contract's schemas",
  help: `
Usage: stream-contract validate [--schema ${Object.keys(schemas).join("|")}] <file|->

Checks one document against the contract and prints every violation.

  --schema NAME  what the document is (default: stream)
                   stream          a Stream resource, JSON
                   create-request  a CreateStream form body (Url=wss%3A…&Name=…), or JSON
                                   {"path": {"AccountSid", "CallSid"}, "body": {…} or "a=b"}
                   update-request  an UpdateStream form body (Status=stopped), or JSON with
                                   "path": {"AccountSid", "CallSid", "Sid"}
                   error           a Twilio error body, JSON
                   status-callback a Stream status callback's parameters: a POST's form
                                   body or a GET's query string (AccountSid=…&StreamEvent=…),
                                   or JSON {"AccountSid": …}
                   twilio-message  a Media Streams message Twilio sends to your server, JSON
                                   (connected, start, media, dtmf, mark or stop)
                   server-message  a Media Streams message your server sends to Twilio, JSON
                                   (media, mark or clear)
  -h, --help     this text

Reads standard input when the file is "-".
Exit codes: 0 valid, 1 contract violation, 2 usage or I/O error (unreadable file, bad JSON).

Example:
  curl -s -u "$SID:$TOKEN" -d Url=wss://example.com/media \\
    https://api.twilio.com/2010-04-01/Accounts/$SID/Calls/$CALL/Streams.json \\
    | stream-contract validate -
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { schema: { type: "string", default: "stream" } });
    const schema = schemas[values.schema];
    if (schema === undefined) {
      throw new UsageError(`unknown --schema "${values.schema}": use one of ${Object.keys(schemas).join(", ")}`);
    }
    if (positionals.length !== 1) throw new UsageError("give exactly one file to validate (or - for standard input); see --help");
    const file = positionals[0] as string;
    const source = file === "-" ? "standard input" : file;
    let text: string;
    try {
      text = await readInput(file);
    } catch (error) {
      if (!(error instanceof NotUtf8Error)) throw error;
      // The mock refuses such bytes too (an `encoding` violation): a client bug, not a usage error.
      out(`${source} is not a valid ${schema.title}: 1 violation\n  [encoding] ${error.message}\n`);
      return EXIT.violation;
    }
    let result: ValidationResult<unknown>;
    try {
      result = schema.check(text, source);
    } catch (error) {
      // A document too deeply nested for the checker's recursion (e.g. [[[[…]]]] 100,000 deep).
      if (error instanceof RangeError) throw new UsageError(`${source} could not be checked: it is nested too deeply (${error.message})`);
      throw error;
    }
    if (result.valid) {
      out(`ok: ${source} is a valid ${schema.title}\n`);
      return EXIT.ok;
    }
    out(`${source} is not a valid ${schema.title}: ${plural(result.issues.length, "violation")}\n`);
    for (const issue of result.issues) out(`  ${formatIssue(issue)}\n`);
    return EXIT.violation;
  },
};

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function formatIssue(issue: ContractIssue): string {
  return `[${issue.rule}] ${issue.message}`;
}
