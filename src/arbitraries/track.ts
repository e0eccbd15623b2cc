/** CreateStream's `Track` parameter: the enum in schemas/common.schema.json. */
import type fc from "fast-check";
import { enumValue, notInEnum } from "./_internals/enum.js";
import { TRACKS } from "./_internals/schema.js";
import type { Track } from "../validators/generated/types.js";
import type { InvalidSample } from "./invalid-sample.js";

/**
 * A valid `Track` (`inbound_track`, `outbound_track`, `both_tracks`).
 * @public
 */
export function track(): fc.Arbitrary<Track> {
  return enumValue(TRACKS);
}

/**
 * Strings that are not a `Track` (`"inbound"`, `"both"`, `"Inbound_track"` …); path `""`.
 * @public
 */
export function invalidTrack(): fc.Arbitrary<InvalidSample<string>> {
  return notInEnum(TRACKS, ["inbound", "outbound", "both", "inbound_tracks", "all"]);
}
