/**
 * What the Pact verifier (Rust, through pact-core) makes of contracts/: a loopback provider that
 * answers each interaction with the contract's own example passes, as do the variants the
 * matchers are meant to allow (200 or 201 for a create, another legal date-time layout, the
 * SIDs a state-change handler returns), and the faults they are meant to catch are reported.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Verifier } from "@pact-foundation/pact-core";
import { describe, expect, it } from "vitest";
import { basicAuthorization, type ContractInteraction, EXAMPLE, INTERACTIONS, PACT_FILE } from "../../src/contract/interactions.js";
import { type Example, exampleOf } from "../../src/contract/matchers.js";
import { matchStreamRoute } from "../../src/contract/paths.js";

const PACT = fileURLToPath(new URL(`../../contracts/${PACT_FILE}`, import.meta.url));

/** What the provider answers for one interaction: its example, possibly altered by a test. */
interface Answer {
  status: number;
  body: Example;
}
type Alter = (interaction: ContractInteraction, answer: Answer) => Answer;

const sortedJson = (fields: object): string => JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The interaction a request stands for: same state, operation, Sid, form and credentials. */
function interactionFor(state: string, path: string, form: string, authorization: string | undefined): ContractInteraction | undefined {
  const route = matchStreamRoute(path);
  const fields = sortedJson(Object.fromEntries(new URLSearchParams(form)));
  const found = INTERACTIONS.find((candidate) => {
    const example = matchStreamRoute(candidate.request.path.value);
    return (
      candidate.state.name === state &&
      example?.operation === route?.operation &&
      (route?.operation !== "UpdateStream" || (example?.params as { Sid?: string }).Sid === route.params.Sid) &&
      sortedJson(exampleOf(candidate.request.form) as object) === fields &&
      candidate.request.headers.Authorization.value === authorization
    );
  });
  return found;
}

/**
 * Runs the verifier against a loopback provider answering the examples (changed by `alter`).
 * `stateReply` is what the state-change endpoint answers (the verifier injects its values).
 * @returns "ok", or the verifier's failure text; and the paths the provider was asked for.
 */
async function verifyAgainst(alter: Alter = (_, a) => a, stateReply?: object): Promise<{ outcome: string; paths: string[] }> {
  let state = "";
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString()));
    req.on("end", () => {
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      if (req.url === "/_pact/provider-states") {
        state = (JSON.parse(text) as { state: string }).state;
        res.end(stateReply === undefined ? "" : JSON.stringify(stateReply));
        return;
      }
      paths.push(req.url ?? "");
      const interaction = interactionFor(state, req.url ?? "", text, req.headers.authorization);
      if (interaction === undefined) {
        res.statusCode = 500;
        res.end(JSON.stringify({ fixture: `no interaction for ${state} ${req.url} ${text}` }));
        return;
      }
      const status = interaction.response.status;
      const answer = alter(interaction, {
        status: typeof status === "number" ? status : status.value,
        body: exampleOf(interaction.response.body),
      });
      res.statusCode = answer.status;
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await new Verifier({
      providerBaseUrl: base,
      pactUrls: [PACT],
      providerStatesSetupUrl: `${base}/_pact/provider-states`,
      logLevel: "error",
    }).verify();
    return { outcome: "ok", paths };
  } catch (error) {
    return { outcome: String(error), paths };
  } finally {
    server.close();
  }
}

const isCreate = (i: ContractInteraction) => i.operation === "CreateStream" && typeof i.response.status !== "number";
const withField = (answer: Answer, field: string, value: Example): Answer => ({
  ...answer,
  body: { ...(answer.body as object), [field]: value },
});

describe(`the Pact verifier on contracts/${PACT_FILE}`, () => {
  it("passes a provider that answers the examples (200 for a create, as Twilio's document says, 200 for a stop)", async () => {
    expect((await verifyAgainst()).outcome).toBe("ok");
  });

  it("passes 201 for a create, as Twilio's document said from 2022-02 to 2025-02: success is matched by class", async () => {
    expect((await verifyAgainst((i, a) => (isCreate(i) ? { ...a, status: 201 } : a))).outcome).toBe("ok");
  });

  it("fails a 400 where the contract expects success", async () => {
    const { outcome } = await verifyAgainst((i, a) => (isCreate(i) ? { ...a, status: 400 } : a));
    expect(outcome).toContain("a request to create a stream with only a Url");
    expect(outcome).not.toBe("ok");
  });

  it("passes other legal RFC 2822 layouts of date_updated and fails ISO 8601", async () => {
    const date =
      (value: string): Alter =>
      (i, a) =>
        typeof i.response.status === "number" ? a : withField(a, "date_updated", value);
    expect((await verifyAgainst(date("30 jul 2015 20:00 -0700"))).outcome).toBe("ok");
    const { outcome } = await verifyAgainst(date("2015-07-30T20:00:00Z"));
    expect(outcome).toContain("$.date_updated");
  });

  it("fails a Stream SID with the wrong prefix and a uri outside the API version", async () => {
    const broken: Alter = (i, a) =>
      typeof i.response.status === "number" ? a : withField(withField(a, "sid", `CA${"a".repeat(32)}`), "uri", "/2010-04-02/x.json");
    const { outcome } = await verifyAgainst(broken);
    expect(outcome).toContain("$.sid");
    expect(outcome).toContain("$.uri");
  });

  it("fails an error body without Twilio's code", async () => {
    const { outcome } = await verifyAgainst((i, a) => (i.response.status === 404 ? withField(a, "code", 404) : a));
    expect(outcome).toContain("$.code");
  });

  it("sends the SIDs a state-change handler returns in place of the examples", async () => {
    const accountSid = `AC${"b".repeat(32)}`;
    const { outcome, paths } = await verifyAgainst(undefined, {
      accountSid,
      callSid: EXAMPLE.callSid,
      streamSid: EXAMPLE.streamSid,
      name: EXAMPLE.name,
    });
    expect(outcome).toBe("ok");
    expect(paths).toHaveLength(INTERACTIONS.length);
    for (const path of paths) expect(path).toContain(`/Accounts/${accountSid}/`);
  });
});

it("the invalid-credentials interaction is the only one with the wrong fake token", () => {
  const wrong = basicAuthorization(EXAMPLE.wrongUser, EXAMPLE.wrongAuthToken);
  expect(INTERACTIONS.filter((i) => i.request.headers.Authorization.value === wrong).map((i) => i.credentials)).toEqual(["invalid"]);
});
