/**
 * Stream statuses: what a Stream resource reports (`in-progress`, `stopped`) and what an
 * UpdateStream request may set (`stopped`). Both enums come from schemas/common.schema.json.
 */
import type fc from "fast-check";
import { enumValue, notInEnum } from "./_internals/enum.js";
import { STREAM_STATUSES, UPDATE_STATUSES } from "./_internals/schema.js";
import type { StreamStatus, StreamUpdateStatus } from "../validators/generated/types.js";
import type { InvalidSample } from "./invalid-sample.js";

/** Statuses of other Twilio resources, which a confused server might send. */
const OTHER_TWILIO_STATUSES = ["completed", "started", "stopping", "failed", "queued", "in_progress", "InProgress", "active"];

/**
 * A status a Stream resource may report.
 * @public
 */
export function streamStatus(): fc.Arbitrary<StreamStatus> {
  return enumValue(STREAM_STATUSES);
}

/**
 * Strings that are not a Stream status (`"In-Progress"`, `"in_progress"`, `"stopped "`,
 * `"completed"` …), each with its reason; path `""`.
 * @public
 */
export function invalidStreamStatus(): fc.Arbitrary<InvalidSample<string>> {
  return notInEnum(STREAM_STATUSES, OTHER_TWILIO_STATUSES);
}

/**
 * The status an UpdateStream request may set (only `stopped`).
 * @public
 */
export function updateStatus(): fc.Arbitrary<StreamUpdateStatus> {
  return enumValue(UPDATE_STATUSES);
}

/**
 * Strings an UpdateStream request may not set as `Status` (`"in-progress"`, `"Stopped"` …);
 * path `""`.
 * @public
 */
export function invalidUpdateStatus(): fc.Arbitrary<InvalidSample<string>> {
  return notInEnum(UPDATE_STATUSES, [...STREAM_STATUSES, ...OTHER_TWILIO_STATUSES]);
}
