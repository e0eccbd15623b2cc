/**
 * `stream-contract`: the command table and the one place that turns errors into exit codes.
 */
import { EXIT, type Command, UsageError } from "./io.js";
import { err, outHelp } from "./output.js";

const commands: Record<string, () => Promise<Command>> = {
  validate: async () => (await import("./validate.js")).validateCommand,
  mock: async () => (await import("./mock.js")).mockCommand,
  provider: async () => (await import("./provider.js")).providerCommand,
  "check-client": async () => (await import("./check-client.js")).checkClientCommand,
  verify: async () => (await import("./verify.js")).verifyCommand,
  "check-status-callback": async () => (await import("./check-status-callback.js")).checkStatusCallbackCommand,
  publish: async () => (await import("./publish.js")).publishCommand,
  drift: async () => (await import("./drift.js")).driftCommand,
  "check-media-server": async () => (await import("./check-media-server.js")).checkMediaServerCommand,
};

async function usage(): Promise<string> {
  const lines = await Promise.all(Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(22)}${(await load()).summary}`));
  return [
    "Usage: stream-contract <command> [options]",
    "",
    "Contract tests for Twilio's CreateStream / UpdateStream API.",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `stream-contract <command> --help` for a command's options.",
    "Exit codes: 0 conformant, 1 contract violation, 2 usage or I/O error.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    outHelp(`${await usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = commands[name];
  if (load === undefined) throw new UsageError(`unknown command "${name}"\n\n${await usage()}`);
  const command = await load();
  const separator = args.indexOf("--");
  const own = separator < 0 ? args : args.slice(0, separator); // what follows `--` is another program's
  if (own.includes("--help") || own.includes("-h")) {
    outHelp(`${command.help.trim()}\n`);
    return EXIT.ok;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`stream-contract: ${error.message}\n`);
    } else {
      err(
        `stream-contract: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = EXIT.usage;
  },
);
