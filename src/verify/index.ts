/**
 * `verify` as a library: check a server against the contract from code (a test, a benchmark).
 */
export { exitCodeOf, runVerify, VerifyConfigError, type VerifyOptions, type VerifyReport } from "./run.js";
export { renderSummary } from "./summary.js";
export type { Diagnosis } from "./diagnose.js";
export { CONFORMANCE_CHECKS } from "./checks/index.js";
export { verifyPacts, PROVIDER_NAME, type PactVerificationOptions, type PactVerificationResult } from "./pact.js";
export { renderCurl } from "./curl.js";
export { startReferenceProvider, type ReferenceProvider, type ReferenceProviderOptions } from "../provider/index.js";
