/**
 * What a client's run exercised of the REST contract: the journal's counts of operations,
 * parameters and answers (src/engine/journal.ts), and the status callbacks its receivers
 * answered with 2xx.
 */
import { CLIENT_CONTRACT_PARTS } from "../contract/coverage.js";
import { coverageOf } from "../report/coverage.js";
import type { Coverage } from "../report/types.js";
import type { CallbackDelivery } from "../status-callbacks/sender.js";

/** The coverage of a mock's run: `exercised` from its journal, `callbacks` from its sender. */
export function clientCoverage(exercised: ReadonlyMap<string, number>, callbacks: readonly CallbackDelivery[]): Coverage {
  const counts = new Map(exercised);
  for (const c of callbacks) if (c.outcome === "delivered" || c.outcome === "slow") counts.set(c.event, (counts.get(c.event) ?? 0) + 1);
  return coverageOf(
    "the Streams REST contract, as a client uses it",
    CLIENT_CONTRACT_PARTS,
    counts,
    "operations and parameters count when a request using them was performed (not refused, not answered by a fault)",
  );
}
