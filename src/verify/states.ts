/**
 * Provider states, the Pact way: `POST <states URL>` with JSON `{"state", "params", "action"}`.
 * The conformance checks use the same endpoint the Pact verifier uses, so a server team writes
 * one state handler for both.
 */
import type { ProviderState } from "../contract/states.js";
import { ConnectionError, type HttpClient } from "./http.js";

/** The states endpoint did not accept a state change: every check that needs it cannot run. */
export class StateChangeError extends Error {
  override readonly name = "StateChangeError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Sets up and tears down provider states through one endpoint. */
export interface StatesClient {
  readonly url: string;
  setup(state: ProviderState): Promise<void>;
  teardown(state: ProviderState): Promise<void>;
  /** setup, run, teardown (also when the run throws). */
  within<T>(state: ProviderState, run: () => Promise<T>): Promise<T>;
}

/** A client for the state-change endpoint at `url`, sent through `http` (whose base URL is the endpoint's origin). */
export function createStatesClient(url: URL, http: HttpClient): StatesClient {
  const path = url.pathname + url.search;
  async function change(state: ProviderState, action: "setup" | "teardown"): Promise<void> {
    const exchange = await http.send({
      method: "POST",
      path,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ state: state.name, params: state.params, action }),
    });
    if (exchange.status < 200 || exchange.status > 299) {
      throw new StateChangeError(`the states URL ${url.href} answered ${exchange.status} to ${action} of "${state.name}"`, exchange.status);
    }
  }
  const client: StatesClient = {
    url: url.href,
    setup: (state) => change(state, "setup"),
    teardown: (state) => change(state, "teardown"),
    async within(state, run) {
      await client.setup(state);
      try {
        return await run();
      } finally {
        await client.teardown(state).catch((error: unknown) => {
          if (error instanceof ConnectionError) throw error;
        });
      }
    },
  };
  return client;
}
