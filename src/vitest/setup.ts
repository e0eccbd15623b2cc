/**
 * Registers the contract's matchers: `setupFiles: ["twilio-stream-contract/vitest/setup"]` in
 * vitest.config.ts. Importing `twilio-stream-contract/vitest` types them.
 */
import { expect } from "vitest";
import { streamContractMatchers } from "./index.js";

expect.extend(streamContractMatchers);

/** The matchers' types come along with the setup file. */
export type { StreamContractMatchers } from "./index.js";
