/**
 * The Pact V4 consumer contract `twilio-stream-contract` ↔ `twilio-api`.
 *
 * Each interaction of src/contract/interactions.ts is registered with the real Pact FFI mock
 * server and exercised by the real `twilio` client; the pact is written to a fresh temporary
 * directory and must equal contracts/ byte for byte (`npm run contracts:update` rewrites it).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Matcher, PactV4, type V3MockServer } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  basicAuthorization,
  CONSUMER,
  type ContractInteraction,
  EXAMPLE,
  INTERACTIONS,
  PACT_FILE,
  PROVIDER,
} from "../../src/contract/interactions.js";
import { exampleOf } from "../../src/contract/matchers.js";
import { matchStreamRoute } from "../../src/contract/paths.js";
import { validateCreateStreamRequest, validateStream, validateTwilioError, validateUpdateStreamRequest } from "../../src/index.js";
import { contractDrift, replaceContracts } from "./contract-files.js";
import { formBody } from "./form-body.js";
import { type Exchange, localTwilioClient } from "./twilio-client.js";

const CONTRACTS_DIR = fileURLToPath(new URL("../../contracts/", import.meta.url));
const updating = process.env.UPDATE_CONTRACTS === "1";

let pactDir: string;
beforeAll(() => {
  pactDir = mkdtempSync(join(tmpdir(), "stream-contract-pacts-"));
});
afterAll(() => rmSync(pactDir, { recursive: true, force: true }));

/** `StatusCallbackMethod` → `statusCallbackMethod`, `Parameter1.Name` → `parameter1.name`: the client's option names. */
function clientOption(field: string): string {
  return field.replace(/^[A-Z]/, (c) => c.toLowerCase()).replace(/\.([A-Z])/, (_, c: string) => `.${c.toLowerCase()}`);
}

/** Makes the interaction's request with the twilio client; returns the one exchange it caused. */
async function callWithTwilioClient(interaction: ContractInteraction, server: V3MockServer): Promise<Exchange> {
  const valid = interaction.credentials === "valid";
  const route = matchStreamRoute(interaction.request.path.value);
  if (route === undefined) throw new Error(`not a Stream path: ${interaction.request.path.value}`);
  const { client, exchanges } = valid
    ? localTwilioClient(server.url, route.params.AccountSid, EXAMPLE.authToken)
    : localTwilioClient(server.url, route.params.AccountSid, EXAMPLE.wrongAuthToken, EXAMPLE.wrongUser);
  const form = exampleOf(interaction.request.form) as Record<string, string>;
  const options = Object.fromEntries(Object.entries(form).map(([field, value]) => [clientOption(field), value]));
  const calls = client.calls(route.params.CallSid);
  try {
    if (route.operation === "CreateStream") {
      await calls.streams.create(options as { url: string });
    } else {
      await calls.streams(route.params.Sid).update(options as { status: "stopped" });
    }
  } catch (error) {
    // A 4xx answer is the client's RestException; the exchange below is what the test checks.
    if (!(error instanceof Error) || !("status" in error)) throw error;
  }
  expect(exchanges).toHaveLength(1);
  return exchanges[0]!;
}

describe(`Pact ${CONSUMER} ↔ ${PROVIDER}`, () => {
  for (const interaction of INTERACTIONS) {
    it(interaction.description, async () => {
      const { state, request, response } = interaction;
      const pact = new PactV4({ consumer: CONSUMER, provider: PROVIDER, dir: pactDir, logLevel: "error" });
      const exchange = await pact
        .addInteraction()
        .given(state.name, { ...state.params })
        .uponReceiving(interaction.description)
        .withRequest(request.method, request.path as Matcher<string>, (builder) => {
          builder.headers(request.headers);
          formBody(builder, request.form);
        })
        .willRespondWith(response.status as number, (builder) => {
          builder.headers(response.headers);
          builder.jsonBody(response.body);
        })
        .executeTest((server) => callWithTwilioClient(interaction, server));
      if (exchange === undefined) throw new Error("the Pact test returned nothing");

      // What the real client sent is a valid request (except where the interaction is about an invalid one) …
      const path = matchStreamRoute(exchange.path)!.params;
      const sent =
        interaction.operation === "CreateStream"
          ? validateCreateStreamRequest({ path, body: exchange.form })
          : validateUpdateStreamRequest({ path, body: exchange.form });
      expect(sent.valid).toBe(interaction.description !== "a request to create a stream with a Url that is not wss://");

      // … and what it got back is the contract's answer, valid by the schemas.
      const expected = exampleOf(response.body);
      expect(exchange.body).toEqual(expected);
      const status = typeof response.status === "number" ? response.status : response.status.value;
      expect(exchange.status).toBe(status);
      const valid = status < 300 ? validateStream(exchange.body) : validateTwilioError(exchange.body);
      expect(valid.valid ? [] : valid.issues).toEqual([]);
      if (status >= 300) expect(exchange.body).toMatchObject({ status });
    });
  }

  it(`contracts/${PACT_FILE} is what the tests generate, byte for byte`, () => {
    if (updating) {
      replaceContracts(CONTRACTS_DIR, pactDir, [PACT_FILE]);
      return;
    }
    const drift = contractDrift(CONTRACTS_DIR, pactDir, "contracts", [PACT_FILE]);
    if (drift.length > 0) expect.fail(drift.join("\n"));
  });
});

it("the pact holds no credential but the fake examples", () => {
  const pact = JSON.parse(readFileSync(join(pactDir, PACT_FILE), "utf8")) as {
    interactions: { request: { headers: Record<string, string[]> } }[];
  };
  const fakes = [basicAuthorization(EXAMPLE.accountSid, EXAMPLE.authToken), basicAuthorization(EXAMPLE.wrongUser, EXAMPLE.wrongAuthToken)];
  const sent = pact.interactions.flatMap((interaction) => interaction.request.headers.Authorization ?? []);
  expect(sent).toHaveLength(INTERACTIONS.length);
  for (const value of sent) expect(fakes).toContain(value);
});
