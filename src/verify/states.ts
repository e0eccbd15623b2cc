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

/**
 * The state's params as the provider set it up: a setup may answer a JSON object with the values
 * it really used (a real test call's SID, say), which replace the requested ones.
 */
type StateValues<S extends ProviderState> = S["params"];

/** Sets up and tears down provider states through one endpoint. */
export interface StatesClient {
  readonly url: string;
  setup<S extends ProviderState>(state: S): Promise<StateValues<S>>;
  teardown(state: ProviderState): Promise<void>;
  /** setup, run with the values, teardown (also when the run throws). */
  within<S extends ProviderState, T>(state: S, run: (values: StateValues<S>) => Promise<T>): Promise<T>;
}

/** A client for the state-change endpoint at `url`, sent through `http` (whose base URL is the endpoint's origin). */
export function createStatesClient(url: URL, http: HttpClient): StatesClient {
  const path = url.pathname + url.search;
  async function change(state: ProviderState, action: "setup" | "teardown"): Promise<unknown> {
    const exchange = await http.send({
      method: "POST",
      path,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ state: state.name, params: state.params, action }),
    });
    if (exchange.status < 200 || exchange.status > 299) {
      throw new StateChangeError(`the states URL ${url.href} answered ${exchange.status} to ${action} of "${state.name}"`, exchange.status);
    }
    try {
      return JSON.parse(exchange.body) as unknown;
    } catch {
      return undefined;
    }
  }
  const client: StatesClient = {
    url: url.href,
    async setup(state) {
      const answer = await change(state, "setup");
      const values: Record<string, string> = { ...state.params };
      if (answer !== null && typeof answer === "object") {
        for (const key of Object.keys(values)) {
          const value = (answer as Record<string, unknown>)[key];
          if (typeof value === "string" && value !== "") values[key] = value;
        }
      }
      return values as unknown as StateValues<typeof state>;
    },
    async teardown(state) {
      await change(state, "teardown");
    },
    async within(state, run) {
      const values = await client.setup(state);
      try {
        return await run(values);
      } finally {
        await client.teardown({ ...state, params: values } as ProviderState).catch((error: unknown) => {
          if (error instanceof ConnectionError) throw error;
        });
      }
    },
  };
  return client;
}
