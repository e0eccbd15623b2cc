/**
 * `stream-contract`: the command table and the one place that turns errors into exit codes.
 */
import manifest from "../../package.json" with { type: "json" };
import type { Command } from "./command.js";
import { EXIT, UsageError } from "./exit.js";
import { err, out, outHelp } from "./output.js";

// A reader that goes away (`stream-contract drift … | head`) is no error to report: stop quietly,
// with the run's exit code when it has one, else 2 (an I/O error: the run did not finish).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? EXIT.usage);
  });
}

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
    "Run `stream-contract <command> --help` for a command's options; `stream-contract --version` for the version.",
    "Exit codes: 0 conformant, 1 contract violation, 2 usage or I/O error.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    outHelp(`${await usage()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    out(`${manifest.version}\n`);
    return EXIT.ok;
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
