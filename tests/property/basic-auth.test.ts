/**
 * HTTP Basic in one place (src/http/basic-auth.ts): encode and decode agree, and the pact's
 * Authorization matcher takes exactly the Basic users that start like an Account SID or an API
 * key SID — so a Pact stub tells the contract's invalid credentials from the valid ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sid } from "../../src/arbitraries/sid.js";
import { TWILIO_BASIC_AUTHORIZATION_PATTERN } from "../../src/contract/matchers.js";
import { basicAuthorization, decodeBasicAuthorization } from "../../src/http/basic-auth.js";

const twilioBasic = new RegExp(TWILIO_BASIC_AUTHORIZATION_PATTERN);

describe("HTTP Basic", () => {
  it("decodes what it encodes (a user without a colon, any password)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((u) => !u.includes(":")),
        fc.string(),
        (user, password) => {
          const header = basicAuthorization(user, password);
          expect(decodeBasicAuthorization(header)).toEqual({ user, password });
          expect(decodeBasicAuthorization(header, { exact: true })).toEqual({ user, password });
          expect(decodeBasicAuthorization(`basic ${header.slice(6)}`)).toEqual({ user, password });
        },
      ),
    );
  });

  it("reads no credentials from another scheme, an empty user or a header with stray characters (exact)", () => {
    expect(decodeBasicAuthorization("Bearer abc")).toBeUndefined();
    expect(decodeBasicAuthorization(basicAuthorization("", "x"))).toBeUndefined();
    expect(decodeBasicAuthorization(`${basicAuthorization("AC1", "x")}!`, { exact: true })).toBeUndefined();
  });

  it("the pact's matcher takes Account SID and API key SID users, with any password", () => {
    fc.assert(
      fc.property(fc.oneof(sid("account"), sid("apiKey")), fc.string(), (user, password) =>
        twilioBasic.test(basicAuthorization(user, password)),
      ),
    );
  });

  it("the pact's matcher takes no user that starts otherwise (the invalid-credentials example included)", () => {
    const other = fc.string({ minLength: 1 }).filter((u) => !u.includes(":") && !u.startsWith("AC") && !u.startsWith("SK"));
    fc.assert(fc.property(other, fc.string(), (user, password) => !twilioBasic.test(basicAuthorization(user, password))));
    expect(twilioBasic.test(basicAuthorization("not-an-account-sid", "wrong-auth-token"))).toBe(false);
  });
});
