/**
 * Drift: the facts on which the contract and Twilio's document disagree, less the accepted
 * deviations (src/drift/deviations.ts).
 */
import { ACCEPTED_DEVIATIONS, type AcceptedDeviation, covers } from "./deviations.js";
import { type Fact, factKey } from "./facts.js";

/**
 * One disagreement. `added`: Twilio's document says it, the contract does not; `removed`: the
 * contract says it, Twilio's document does not (any more); `changed`: both, differently.
 */
export interface Difference {
  readonly kind: "added" | "removed" | "changed";
  readonly where: string;
  readonly name: string;
  readonly aspect: string;
  readonly ours?: string;
  readonly theirs?: string;
  /** For a whole property added or removed: its other facts, e.g. `type "string"`. */
  readonly details: readonly string[];
}

export interface DriftReport {
  /** What is drift: differences no deviation accepts. */
  readonly drift: readonly Difference[];
  /** Differences an accepted deviation covers, with it. */
  readonly accepted: readonly { readonly difference: Difference; readonly deviation: AcceptedDeviation }[];
  /** Accepted deviations that covered nothing: they may be deleted. */
  readonly unused: readonly AcceptedDeviation[];
}

/** Compares the contract's facts with Twilio's. */
export function compareFacts(
  ours: readonly Fact[],
  theirs: readonly Fact[],
  deviations: readonly AcceptedDeviation[] = ACCEPTED_DEVIATIONS,
): DriftReport {
  const mine = new Map(ours.map((f) => [factKey(f), f]));
  const twilio = new Map(theirs.map((f) => [factKey(f), f]));
  const raw: Omit<Difference, "details">[] = [];
  for (const key of new Set([...mine.keys(), ...twilio.keys()])) {
    const a = mine.get(key);
    const b = twilio.get(key);
    if (a?.value === b?.value) continue;
    const { where, name, aspect } = (a ?? b) as Fact;
    raw.push({
      kind: a === undefined ? "added" : b === undefined ? "removed" : "changed",
      where,
      name,
      aspect,
      ours: a?.value,
      theirs: b?.value,
    });
  }
  // A property on one side only is one difference, its other facts its details, not one
  // difference per keyword.
  const isWhole = (d: Omit<Difference, "details">) => d.aspect === "present" || d.aspect === "documented";
  const details = new Map<string, string[]>(raw.filter(isWhole).map((d) => [`${d.where} › ${d.name}`, []]));
  const differences: Omit<Difference, "details">[] = [];
  for (const d of raw) {
    const of = details.get(`${d.where} › ${d.name}`);
    if (of === undefined || isWhole(d)) differences.push(d);
    else if (d.aspect !== "nullable" || (d.ours ?? d.theirs) === "true")
      of.push(d.aspect === "required" ? "required" : `${d.aspect} ${d.ours ?? d.theirs}`);
  }
  const withDetails = differences.map((d): Difference => ({ ...d, details: details.get(`${d.where} › ${d.name}`) ?? [] }));
  const used = new Set<AcceptedDeviation>();
  const drift: Difference[] = [];
  const accepted: DriftReport["accepted"][number][] = [];
  for (const difference of withDetails) {
    const deviation = deviations.find((dev) => covers(dev, difference));
    if (deviation === undefined) drift.push(difference);
    else {
      used.add(deviation);
      accepted.push({ difference, deviation });
    }
  }
  const order = (x: Difference, y: Difference) => factKey(x).localeCompare(factKey(y), "en", { numeric: true });
  return {
    drift: drift.sort(order),
    accepted: accepted.sort((x, y) => order(x.difference, y.difference)),
    unused: deviations.filter((d) => !used.has(d)),
  };
}

/** One difference in words. */
export function describeDifference(d: Difference): string {
  const details = d.details.length > 0 ? ` (${d.details.join(", ")})` : "";
  if (d.aspect === "present" || d.aspect === "documented") {
    const thing =
      d.aspect === "documented"
        ? "response"
        : d.where.endsWith("path")
          ? "path parameter"
          : d.where.endsWith("body")
            ? "body parameter"
            : "property";
    return d.kind === "added"
      ? `+ ${d.name}: Twilio documents a ${thing} the contract lacks${details}`
      : `- ${d.name}: the contract has a ${thing} Twilio's document lacks${details}`;
  }
  if (d.kind === "added") return `+ ${d.name} › ${d.aspect}: Twilio says ${d.theirs}, the contract says nothing`;
  if (d.kind === "removed") return `- ${d.name} › ${d.aspect}: the contract says ${d.ours}, Twilio's document says nothing`;
  return `~ ${d.name} › ${d.aspect}: Twilio says ${d.theirs}, the contract says ${d.ours}`;
}
