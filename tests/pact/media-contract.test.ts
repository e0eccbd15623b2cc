/**
 * The Pact V4 message contract `media-stream-server` ↔ `twilio-media-stream`.
 *
 * Consumer side: each interaction of src/contract/media-interactions.ts is registered with the
 * real Pact FFI (`addAsynchronousInteraction`) and the message it yields is handled as a
 * WebSocket server would: parsed and validated. The pact is written to a fresh directory, twice
 * (it must be byte-stable), and must equal contracts/ (`npm run contracts:update` rewrites it).
 * Provider side: the real Pact verifier checks the pact against the message producer of
 * src/media/producer.ts, served on 127.0.0.1 — with other SIDs and other audio than the examples,
 * as the matchers allow — and catches a producer that breaks a matched rule.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Verifier } from "@pact-foundation/pact-core";
import { PactV4 } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MEDIA_CONSUMER,
  MEDIA_INTERACTIONS,
  MEDIA_PACT_FILE,
  MEDIA_PROVIDER,
  type MediaProviderState,
  mediaSessionFor,
  messageOf,
} from "../../src/contract/media-interactions.js";
import { exampleOf } from "../../src/contract/matchers.js";
import { checkPact } from "../../src/broker/check-pact.js";
import { checkMediaSession, validateTwilioStreamMessage } from "../../src/index.js";
import { contractDrift, firstDifference, replaceContracts } from "./contract-files.js";

const CONTRACTS_DIR = fileURLToPath(new URL("../../contracts/", import.meta.url));
const updating = process.env.UPDATE_CONTRACTS === "1";
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** What a WebSocket server does with a frame: parse it, validate it; the message or a thrown error. */
function serverHandles(frame: string): unknown {
  const result = validateTwilioStreamMessage(JSON.parse(frame));
  if (!result.valid) throw new Error(`the server refuses the message: ${result.issues.map((e) => e.message).join("; ")}`);
  return result.value;
}

/** Runs the consumer side of every interaction, writing the pact into a fresh directory. */
async function writePact(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "media-pacts-"));
  dirs.push(dir);
  for (const interaction of MEDIA_INTERACTIONS) {
    const pact = new PactV4({ consumer: MEDIA_CONSUMER, provider: MEDIA_PROVIDER, dir, logLevel: "error" });
    const handled = await pact
      .addAsynchronousInteraction()
      .given(interaction.state.name, { ...interaction.state.params })
      .expectsToReceive(interaction.description, (builder) => {
        builder.withJSONContent(interaction.content);
        // Added to the regex rules withJSONContent derived: both must hold (a string, and the pattern).
        builder.withMatchingRules({
          body: interaction.stringPaths.map(({ path, example }) => ({ path, rules: [{ "pact:matcher:type": "type", value: example }] })),
        });
      })
      .executeTest(async (message) => serverHandles(JSON.stringify(message.contents.content)));
    // What the consumer received is the example, and a valid message.
    expect(handled).toEqual(exampleOf(interaction.content));
  }
  return dir;
}

let first: string;
beforeAll(async () => {
  first = await writePact();
}, 120_000);

describe(`Pact ${MEDIA_CONSUMER} ↔ ${MEDIA_PROVIDER}`, () => {
  it("has one asynchronous message interaction per message, each a valid Twilio message", () => {
    const pact = JSON.parse(readFileSync(join(first, MEDIA_PACT_FILE), "utf8")) as {
      interactions: { type: string; description: string; contents: { content: unknown } }[];
    };
    expect(pact.interactions.map((i) => i.type)).toEqual(MEDIA_INTERACTIONS.map(() => "Asynchronous/Messages"));
    expect(pact.interactions.map((i) => i.description).sort()).toEqual(MEDIA_INTERACTIONS.map((i) => i.description).sort());
    for (const interaction of pact.interactions) expect(validateTwilioStreamMessage(interaction.contents.content).valid).toBe(true);
  });

  it("is byte-stable: written again, the pact is the same", async () => {
    const second = await writePact();
    const a = readFileSync(join(first, MEDIA_PACT_FILE), "utf8");
    const b = readFileSync(join(second, MEDIA_PACT_FILE), "utf8");
    expect(firstDifference(a, b)).toBeUndefined();
  }, 120_000);

  it(`contracts/${MEDIA_PACT_FILE} is what the tests generate, byte for byte`, () => {
    if (updating) {
      replaceContracts(CONTRACTS_DIR, first, [MEDIA_PACT_FILE]);
      return;
    }
    const drift = contractDrift(CONTRACTS_DIR, first, "contracts", [MEDIA_PACT_FILE]);
    if (drift.length > 0) expect.fail(drift.join("\n"));
  });

  it("passes publish's checks", () => {
    const { pact, problems } = checkPact(JSON.parse(readFileSync(join(first, MEDIA_PACT_FILE), "utf8")));
    expect(problems).toEqual([]);
    expect(pact).toEqual({ consumer: MEDIA_CONSUMER, provider: MEDIA_PROVIDER, interactions: MEDIA_INTERACTIONS.length });
  });
});

// ---------------------------------------------------------------------------------------------
// Provider side

/** Other SIDs and other audio than the pact's examples: the matchers must let them through. */
const OTHER = {
  accountSid: `AC${"0123456789abcdef".repeat(2)}`,
  callSid: `CA${"fedcba9876543210".repeat(2)}`,
  streamSid: `MZ${"00ff".repeat(8)}`,
};
const OTHER_FRAME = Uint8Array.from({ length: 160 }, (_, i) => (i * 37) & 0xff);

type Alter = (message: Record<string, unknown>) => unknown;

/** Verifies the committed pact against the producer, served on 127.0.0.1; "ok" or the verifier's failure. */
async function verifyProducer(alter: Alter = (m) => m): Promise<{ outcome: string; asked: string[] }> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      const { description, providerStates = [] } = JSON.parse(text || "{}") as {
        description?: string;
        providerStates?: MediaProviderState[];
      };
      asked.push(description ?? "");
      const interaction = MEDIA_INTERACTIONS.find((i) => i.description === description);
      const state = providerStates[0];
      const message = interaction && state && messageOf(mediaSessionFor(state, OTHER, OTHER_FRAME), interaction);
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      if (message === undefined) {
        res.statusCode = 500;
        res.end(JSON.stringify({ fixture: `no message for ${description}` }));
        return;
      }
      res.end(JSON.stringify(alter(message as unknown as Record<string, unknown>)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await new Verifier({ providerBaseUrl: base, pactUrls: [join(CONTRACTS_DIR, MEDIA_PACT_FILE)], logLevel: "error" }).verify();
    return { outcome: "ok", asked };
  } catch (error) {
    return { outcome: String(error), asked };
  } finally {
    server.close();
  }
}

describe(`the Pact verifier on contracts/${MEDIA_PACT_FILE} against the message producer`, () => {
  it("passes the producer, with other SIDs and audio than the examples", async () => {
    const { outcome, asked } = await verifyProducer();
    expect(outcome).toBe("ok");
    expect(asked.sort()).toEqual(MEDIA_INTERACTIONS.map((i) => i.description).sort());
  }, 120_000);

  it("the producer's sessions keep every session rule", () => {
    for (const interaction of MEDIA_INTERACTIONS) {
      const bidirectional = interaction.state.name !== MEDIA_INTERACTIONS[0]!.state.name;
      const options = bidirectional ? { bidirectional: true } : { request: { body: interaction.state.params } };
      const result = checkMediaSession(mediaSessionFor(interaction.state, OTHER, OTHER_FRAME), options);
      expect(result.valid ? undefined : result.violation).toBeUndefined();
    }
  });

  it("fails a producer that sends counters as numbers or dtmf on the inbound track", async () => {
    const { outcome } = await verifyProducer((m) => {
      if (m.event === "media") return { ...m, media: { ...(m.media as object), chunk: 1 } };
      if (m.event === "dtmf") return { ...m, dtmf: { track: "inbound", digit: "1" } };
      return m;
    });
    expect(outcome).not.toBe("ok");
    expect(outcome).toContain("$.media.chunk");
    expect(outcome).toContain("$.dtmf.track");
  }, 120_000);
});
