/**
 * How a server command waits to be stopped.
 */
/**
 * Resolves with the first SIGINT or SIGTERM the process gets (a server command's way to stop
 * cleanly); the handlers are removed then.
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(name);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
