/**
 * `stream-contract provider`: the reference provider as a server of its own, for verifiers and
 * tools this package does not run (the official Pact verifier, Prism, a team's own tests).
 */
import { err } from "./output.js";
import { STOP_PATH } from "../engine/http.js";
import { startReferenceProvider } from "../provider/index.js";
import { isAccountSid, isApiKeySid } from "../validators/sid.js";
import { parseCommandArgs } from "./args.js";
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { untilStopSignal } from "./signals.js";
import { listenOrExplain, parseCreateStatus, parsePort, parseSeed } from "./mock.js";

export const providerCommand: Command = {
  summary: "serve the reference provider (a conformant in-memory Streams API) for external verifiers",
  help: `
Usage: stream-contract provider [--port P] [--host H] [--account-sid AC…] [--auth-token TOKEN]
                                [--api-key-sid SK… --api-key-secret SECRET]
                                [--create-status N] [--seed S] [--status-callbacks]

Serves the reference provider: CreateStream and UpdateStream for one account, as the contract
says a server must answer, and the Pact provider-state endpoint. Calls exist only once a
provider state sets them up. The states endpoint sets every state up for the provider's own
account and answers it, with the provider's Basic credentials as "authorization": the pact's
paths and Authorization headers are generated from that answer, so a verifier needs no
credentials of its own. It hands out the credentials: keep it on 127.0.0.1.

  --port P                 port (default 4011; 0: any free port)
  --host H                 interface (default 127.0.0.1)
  --account-sid AC…        the account it serves (default: $TWILIO_ACCOUNT_SID, else one derived
                           from the seed)
  --auth-token TOKEN       its auth token (default: $TWILIO_AUTH_TOKEN, else random). Never printed.
  --api-key-sid SK…        an API key of the account, taken as Basic SK…:secret as well
                           (default: $TWILIO_API_KEY)
  --api-key-secret SECRET  the key's secret (default: $TWILIO_API_SECRET). Never printed.
  --create-status N        200 or 201: the status of a successful create (default 200, Twilio's
                           OpenAPI document; 201 as Twilio documented it from 2022-02 to 2025-02)
  --seed S                 seed of the generated SIDs (default 0)
  --status-callbacks       send the status callbacks of Streams created with a StatusCallback
                           (stream-started, stream-stopped), signed with the account's auth
                           token as Twilio signs them; to loopback hosts only. Lets
                           \`verify --callbacks\` run against this provider.
  -h, --help               this text

It prints its base URL and states URL on stderr; SIGINT (Ctrl-C), SIGTERM or POST /__contract/stop
(answered {"exitCode": 0}) stops it. Under npx (npm exec), a signal's exit status (130, 143)
replaces the provider's: stop it with the endpoint to get exit 0.
Exit codes: 0 stopped, 2 usage error (e.g. port in use).

Example, with the official Pact verifier of @pact-foundation/pact-cli:
  TWILIO_AUTH_TOKEN=… stream-contract provider --port 4011 --account-sid AC0123456789abcdef0123456789abcdef &
  pact-verifier --file contracts/twilio-stream-contract-twilio-api.json --hostname 127.0.0.1 \\
    --port 4011 --state-change-url http://127.0.0.1:4011/__contract/provider-states
  curl -s -X POST http://127.0.0.1:4011/__contract/stop
`,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      "account-sid": { type: "string" },
      "auth-token": { type: "string" },
      "api-key-sid": { type: "string" },
      "api-key-secret": { type: "string" },
      "create-status": { type: "string" },
      seed: { type: "string" },
      "status-callbacks": { type: "boolean", default: false },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const env = process.env;
    const nonEmpty = (value: string | undefined) => (value === undefined || value === "" ? undefined : value);
    const accountSid = nonEmpty(values["account-sid"] ?? env.TWILIO_ACCOUNT_SID);
    const authToken = nonEmpty(values["auth-token"] ?? env.TWILIO_AUTH_TOKEN);
    const apiKeySid = nonEmpty(values["api-key-sid"] ?? env.TWILIO_API_KEY);
    const apiKeySecret = nonEmpty(values["api-key-secret"] ?? env.TWILIO_API_SECRET);
    if (accountSid !== undefined && !isAccountSid(accountSid))
      throw new UsageError(`--account-sid must be an Account SID (AC and 32 hexadecimal digits), got ${JSON.stringify(accountSid)}`);
    if ((apiKeySid === undefined) !== (apiKeySecret === undefined))
      throw new UsageError("--api-key-sid and --api-key-secret go together (TWILIO_API_KEY and TWILIO_API_SECRET): give both or neither");
    if (apiKeySid !== undefined && !isApiKeySid(apiKeySid))
      throw new UsageError(`--api-key-sid must be an API key SID (SK and 32 hexadecimal digits), got ${JSON.stringify(apiKeySid)}`);
    const createStatus = parseCreateStatus(values["create-status"]);
    const port = parsePort(values.port, 4011);
    let stopRequested!: () => void;
    const byRequest = new Promise<"request">((resolve) => (stopRequested = () => resolve("request")));
    const host = values.host;
    const provider = await listenOrExplain(
      () =>
        startReferenceProvider({
          port,
          host,
          seed: parseSeed(values.seed),
          ...(accountSid === undefined ? {} : { accountSid }),
          ...(authToken === undefined ? {} : { authToken }),
          ...(apiKeySid === undefined ? {} : { apiKeySid }),
          ...(apiKeySecret === undefined ? {} : { apiKeySecret }),
          ...(createStatus === undefined ? {} : { createStatus }),
          onStop: () => {
            stopRequested();
            err(`POST ${STOP_PATH}, stopped\n`);
            return Promise.resolve({ exitCode: EXIT.ok });
          },
          ...(values["status-callbacks"] ? { statusCallbacks: { log: (line: string) => err(`${line}\n`) } } : {}),
        }),
      { port, host },
    );
    const stopped = untilStopSignal();
    const key = apiKeySid === undefined ? "" : ` and API key ${apiKeySid}`;
    err(
      `reference provider listening on ${provider.baseUrl} (account ${provider.accountSid}, auth token${authToken === undefined ? " random" : ""}${key}; not printed)\n` +
        `provider states: ${provider.statesUrl}\n` +
        (values["status-callbacks"] ? "status callbacks: on (loopback hosts only)\n" : "") +
        "Ctrl-C to stop\n",
    );
    const first = await Promise.race([stopped, byRequest]);
    if (first === "request") return EXIT.ok; // the provider closes once it has answered
    await provider.close();
    err(`received ${first}, stopped\n`);
    return EXIT.ok;
  },
};
