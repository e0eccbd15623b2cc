/**
 * Credentials: a request without them, or with wrong ones, is refused with 401 and Twilio's
 * code 20003 — whatever else is right about it. Both kinds of Basic credentials Twilio takes are
 * covered: the account SID with its auth token, and an API key SID (SK…) with its secret.
 */
import fc from "fast-check";
import { TWILIO_ERROR_CODES } from "../../contract/errors.js";
import type { ConformanceCheck } from "../check.js";
import { apiKeyOf, basicAuthorization, basicPairOf, type Credentials } from "../credentials.js";
import { expectField, expectStatus, expectTwilioError, send } from "../expect.js";
import { createStreamHttpRequest, type Auth } from "../requests.js";
import { accountSid, validCreate, type CreateSample } from "../samples.js";
import { sid } from "../../arbitraries/sid.js";
import { onCall } from "./fixtures.js";

/** A way to get the credentials wrong. */
type BadAuth =
  | { readonly kind: "none" }
  | { readonly kind: "wrong token"; readonly token: string }
  | { readonly kind: "another account"; readonly user: string }
  | { readonly kind: "empty password" }
  | { readonly kind: "not Basic"; readonly scheme: string }
  | { readonly kind: "malformed Basic"; readonly text: string }
  | { readonly kind: "unknown API key"; readonly user: string; readonly secret: string; readonly runSecret: boolean }
  | { readonly kind: "API key with a wrong secret"; readonly secret: string }
  | { readonly kind: "API key with an empty secret"; readonly user: string };

/** A secret of 32 hexadecimal digits other than `than`. */
function otherSecret(than: string | undefined): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 32, maxLength: 32 }).filter((t) => t !== than);
}

function badAuth(credentials: Credentials): fc.Arbitrary<BadAuth> {
  const { accountSid: runAccount, authToken: runToken } = credentials;
  const key = apiKeyOf(credentials);
  const realSecret = runToken ?? key?.password ?? "";
  return fc.oneof(
    fc.constant({ kind: "none" as const }),
    otherSecret(runToken).map((token) => ({ kind: "wrong token" as const, token })),
    accountSid()
      .filter((s) => s !== runAccount)
      .map((user) => ({ kind: "another account" as const, user })),
    fc.constant({ kind: "empty password" as const }),
    fc.constantFrom("Bearer", "Token", "Digest").map((scheme) => ({ kind: "not Basic" as const, scheme })),
    fc.constantFrom("!!!", "Og==", "bm9jb2xvbg==", "").map((text) => ({ kind: "malformed Basic" as const, text })),
    // API keys (SK…): one the server does not know, with the run's own secret or another.
    fc
      .tuple(
        sid("apiKey").filter((s) => s !== key?.user),
        fc.oneof(
          fc.constant({ secret: realSecret, runSecret: true }),
          otherSecret(undefined).map((secret) => ({ secret, runSecret: false })),
        ),
      )
      .map(([user, secret]) => ({ kind: "unknown API key" as const, user, ...secret })),
    ...(key === undefined ? [] : [otherSecret(key.password).map((secret) => ({ kind: "API key with a wrong secret" as const, secret }))]),
    (key === undefined ? sid("apiKey") : fc.constant(key.user)).map((user) => ({ kind: "API key with an empty secret" as const, user })),
  );
}

function authOf(bad: BadAuth, credentials: Credentials): Auth {
  const { accountSid: runAccount } = credentials;
  const runSecret = basicPairOf(credentials).password;
  switch (bad.kind) {
    case "none":
      return "none";
    case "wrong token":
      return { authorization: basicAuthorization(runAccount, bad.token) };
    case "another account":
      return { authorization: basicAuthorization(bad.user, runSecret) };
    case "empty password":
      return { authorization: basicAuthorization(runAccount, "") };
    case "not Basic":
      return { authorization: `${bad.scheme} c29tZS10b2tlbg` }; // base64("some-token")
    case "malformed Basic":
      return { authorization: `Basic ${bad.text}` };
    case "unknown API key":
      return { authorization: basicAuthorization(bad.user, bad.secret) };
    case "API key with a wrong secret":
      return { authorization: basicAuthorization(apiKeyOf(credentials)?.user ?? "", bad.secret) };
    case "API key with an empty secret":
      return { authorization: basicAuthorization(bad.user, "") };
  }
}

/** Each kind of bad credentials, each scheme and malformed header, an unknown key with the run's secret or another. */
function authKey(bad: BadAuth): string {
  switch (bad.kind) {
    case "not Basic":
      return `${bad.kind} ${bad.scheme}`;
    case "malformed Basic":
      return `${bad.kind} ${JSON.stringify(bad.text)}`;
    case "unknown API key":
      return `${bad.kind} with ${bad.runSecret ? "the run's" : "another"} secret`;
    default:
      return bad.kind;
  }
}

/** Missing or wrong credentials → 401, code 20003. */
export const ignoredAuth: ConformanceCheck<{ request: CreateSample; auth: BadAuth }> = {
  name: "ignored auth",
  asserts:
    "a valid CreateStream request without credentials, or with a wrong token, another account, an empty password, a non-Basic scheme, an unknown API key (SK…), an API key with a wrong or empty secret → 401 and Twilio code 20003",
  states: "optional",
  arbitrary: (env) => fc.record({ request: validCreate(), auth: badAuth(env.credentials) }),
  cover: ({ auth }) => [authKey(auth)],
  run: ({ request, auth }, env) =>
    onCall(env, request.callSid, async (call) => {
      const exchange = await send(env, createStreamHttpRequest(authOf(auth, env.credentials), call.accountSid, call.callSid, request.body));
      const why = `a request with ${auth.kind === "none" ? "no credentials" : `bad credentials (${auth.kind})`} was not refused with 401`;
      expectStatus(exchange, (status) => status === 401, "401 Unauthorized", why);
      const error = expectTwilioError(exchange);
      expectField(
        exchange,
        "code",
        error.code,
        TWILIO_ERROR_CODES.authenticationFailed,
        "a 401 must carry Twilio's authentication error code",
      );
    }),
};
