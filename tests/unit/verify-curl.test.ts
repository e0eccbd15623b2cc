/**
 * The curl command of a failure is copy-pasteable: a real shell reads back exactly the request
 * that was sent (URL, headers, body), and the token is filled in from $TWILIO_AUTH_TOKEN, never
 * written in the command.
 */
import { spawnSync } from "node:child_process";
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { basicAuthorization } from "../../src/verify/credentials.js";
import { renderCurl } from "../../src/verify/curl.js";
import { diagnose } from "../../src/verify/diagnose.js";

const credentials = { accountSid: "AC0123456789abcdef0123456789abcdef", authToken: "the-secret-token-42" };

/** Runs the command in bash with `curl` replaced by a function printing its arguments. */
function shellArgs(command: string): string[] {
  const script = `curl() { printf '%s\\0' "$@"; }; ${command}`;
  const result = spawnSync("bash", ["-c", script], { env: { TWILIO_AUTH_TOKEN: credentials.authToken }, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split("\0").slice(0, -1);
}

describe("renderCurl", () => {
  test.prop([fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")), fc.constantFrom("POST", "GET", "DELETE")], {
    numRuns: 40,
  })("a shell reads back the method, URL, credentials and body; the token is not in the text", (body, method) => {
    const request = {
      method,
      path: "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Calls/CA0123456789abcdef0123456789abcdef/Streams.json",
      headers: {
        Authorization: basicAuthorization(credentials.accountSid, credentials.authToken),
        "Content-Type": "application/x-www-form-urlencoded",
      },
      ...(method === "POST" ? { body } : {}),
    };
    const command = renderCurl(new URL("http://127.0.0.1:4010/"), request, credentials);
    expect(command).not.toContain(credentials.authToken);
    expect(command).not.toContain(Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString("base64"));
    const args = shellArgs(command);
    expect(args).toContain(`http://127.0.0.1:4010${request.path}`);
    expect(args[args.indexOf("-u") + 1]).toBe(`${credentials.accountSid}:${credentials.authToken}`);
    expect(args[args.indexOf("-H") + 1]).toBe("Content-Type: application/x-www-form-urlencoded");
    if (method === "POST") expect(args[args.indexOf("--data-raw") + 1]).toBe(body);
    if (method === "DELETE") expect(args[args.indexOf("-X") + 1]).toBe("DELETE");
  });

  test("deliberately wrong credentials are shown as sent (they are not a secret), Bearer masked", () => {
    const wrong = basicAuthorization(credentials.accountSid, "not-the-token");
    const command = renderCurl(new URL("http://h/"), { method: "GET", path: "/x", headers: { Authorization: wrong } }, credentials);
    expect(command).toContain(`-u '${credentials.accountSid}:not-the-token'`);
    const other = renderCurl(
      new URL("http://h/"),
      { method: "GET", path: "/x", headers: { Authorization: basicAuthorization("AC$(rm -rf)'x", credentials.authToken) } },
      credentials,
    );
    expect(shellArgs(other)).toContain(`AC$(rm -rf)'x:${credentials.authToken}`);
    const bearer = renderCurl(
      new URL("http://h/"),
      { method: "GET", path: "/x", headers: { Authorization: `Bearer ${credentials.authToken}` } },
      credentials,
    );
    expect(bearer).not.toContain(credentials.authToken);
  });
});

describe("diagnose", () => {
  test("nearly all 401: the credentials hint, naming the checks it explains", () => {
    const failed = ["a", "b", "c", "d", "e"].map((name) => ({ name, status: 401 }));
    const [hint, ...rest] = diagnose([...failed, { name: "f", status: 500 }], undefined);
    expect(hint?.hint).toMatch(/credentials are probably wrong/);
    expect(hint?.explains).toEqual(["a", "b", "c", "d", "e"]);
    expect(rest).toEqual([]);
  });

  test("failures of different kinds, or too few: no hint", () => {
    expect(
      diagnose(
        [
          { name: "a", status: 401 },
          { name: "b", status: 404 },
          { name: "c", status: 500 },
        ],
        undefined,
      ),
    ).toEqual([]);
    expect(
      diagnose(
        [
          { name: "a", status: 404 },
          { name: "b", status: 404 },
        ],
        undefined,
      ),
    ).toEqual([]);
  });

  test("a refused state change: the states URL hint", () => {
    const [hint] = diagnose([{ name: "a", stateError: true }], "http://h/states");
    expect(hint?.hint).toMatch(/states URL http:\/\/h\/states refused/);
  });
});
