/**
 * Every conformance check `verify` runs, in the order they are reported.
 */
import { conformanceCheck, type ConformanceCheck } from "../check.js";
import { ignoredAuth } from "./auth.js";
import { newStreamSid, positiveDataAcceptance, streamMatchesRequest } from "./create.js";
import { unsupportedMethods } from "./methods.js";
import { negativeCreate, negativeStop } from "./negative.js";
import { unknownCall } from "./not-found.js";
import { contentTypeConformance, maxResponseTime, notAServerError, responseSchemaConformance, statusCodeConformance } from "./responses.js";
import { stopByName, stopBySid, useAfterStop } from "./stop.js";

/**
 * A check of the catalogue (skipped without the states it needs, its coverage examples first)
 * with its sample type forgotten, so that checks of different samples share a list.
 * `arbitrary` and `cover` keep their identity: checks that share both share their coverage
 * examples (src/verify/coverage.ts).
 */
function erase<T>(check: ConformanceCheck<T>): ConformanceCheck<unknown> {
  return conformanceCheck(check) as unknown as ConformanceCheck<unknown>;
}

/** The checks, each a property over the live server. */
export const CONFORMANCE_CHECKS: readonly ConformanceCheck<unknown>[] = [
  erase(positiveDataAcceptance),
  erase(streamMatchesRequest),
  erase(newStreamSid),
  erase(stopBySid),
  erase(stopByName),
  erase(useAfterStop),
  erase(negativeCreate),
  erase(negativeStop),
  erase(ignoredAuth),
  erase(unknownCall),
  erase(unsupportedMethods),
  erase(notAServerError),
  erase(contentTypeConformance),
  erase(statusCodeConformance),
  erase(responseSchemaConformance),
  erase(maxResponseTime),
];
