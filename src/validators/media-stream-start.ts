/**
 * What a CreateStream request fixes in the `start` message of the Media Stream it opens: the
 * tracks (from `Track`) and the custom parameters (from `ParameterN.Name` / `ParameterN.Value`).
 */
import createRequest from "../../schemas/create-stream-request.schema.json" with { type: "json" };
import type { MediaTrack, Track } from "./generated/types.js";

/**
 * `Track` → `start.tracks`. Twilio documents both lists but not the mapping; this one is the only
 * reading of the names (`both_tracks` lists `inbound` first, as Twilio's examples do).
 */
export const START_TRACKS: Readonly<Record<Track, readonly MediaTrack[]>> = {
  inbound_track: ["inbound"],
  outbound_track: ["outbound"],
  both_tracks: ["inbound", "outbound"],
};

/** Twilio's default `Track`. */
const DEFAULT_TRACK: Track = "inbound_track";

/** The tracks a stream created with `track` (default `inbound_track`) starts with. @public */
export function startTracksOf(track: Track | undefined): readonly MediaTrack[] {
  return START_TRACKS[track ?? DEFAULT_TRACK];
}

/** The CreateStream fields `ParameterN.Name` / `ParameterN.Value`, by the schema's pattern. */
const PARAMETER_FIELD = new RegExp(Object.keys(createRequest.$defs.body.patternProperties)[0] ?? "^$");

/**
 * `start.customParameters` of a stream created with `body`: each `ParameterN.Name` with its
 * `ParameterN.Value`, in the order of N. A name without a value gets `""` (Twilio's behaviour is
 * undocumented; the value is what a server would read). A repeated name keeps the value of the
 * larger N, as later assignments do.
 * @public
 */
export function customParametersOf(body: Readonly<Record<string, unknown>>): Record<string, string> {
  const pairs: [number, string, string][] = [];
  for (const [field, name] of Object.entries(body)) {
    if (!field.endsWith(".Name") || !PARAMETER_FIELD.test(field) || typeof name !== "string") continue;
    const n = field.slice("Parameter".length, -".Name".length);
    const value = body[`Parameter${n}.Value`];
    pairs.push([Number(n), name, typeof value === "string" ? value : ""]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const parameters: Record<string, string> = {};
  // defineProperty, not `=`: a parameter named `__proto__` is a field, as JSON.parse makes it.
  for (const [, name, value] of pairs)
    Object.defineProperty(parameters, name, { value, enumerable: true, writable: true, configurable: true });
  return parameters;
}
