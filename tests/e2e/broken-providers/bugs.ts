/**
 * The deliberately broken providers: each one bug, and the conformance check that must catch it.
 */
import { createStreamPath, matchStreamRoute } from "../../../src/contract/paths.js";
import { basicAuthorization } from "../../../src/verify/credentials.js";
import { type Bug, rewriteJson } from "./proxy.js";

const isStream = (body: Record<string, unknown>) => typeof body.sid === "string" && "call_sid" in body;

/** A bug, the check that must report it, and what the bug is, in words. */
export interface BrokenCase {
  readonly bug: string;
  readonly caughtBy: string;
  readonly inject: Bug;
}

const ANOTHER_ACCOUNT = "AC99999999999999999999999999999999";

export const BROKEN_PROVIDERS: readonly BrokenCase[] = [
  {
    bug: "wrong SID prefix (MX… instead of MZ…)",
    caughtBy: "response schema conformance",
    inject: { answer: (a) => rewriteJson(a, (b) => isStream(b) && (b.sid = `MX${(b.sid as string).slice(2)}`)) },
  },
  {
    bug: "date_updated in ISO 8601 instead of RFC 2822",
    caughtBy: "response schema conformance",
    inject: { answer: (a) => rewriteJson(a, (b) => isStream(b) && (b.date_updated = new Date().toISOString())) },
  },
  {
    bug: "status in_progress instead of in-progress",
    caughtBy: "response schema conformance",
    inject: { answer: (a) => rewriteJson(a, (b) => b.status === "in-progress" && (b.status = "in_progress")) },
  },
  {
    bug: "a required field (uri) missing",
    caughtBy: "response schema conformance",
    inject: { answer: (a) => rewriteJson(a, (b) => isStream(b) && delete b.uri) },
  },
  {
    bug: "plain JSON labelled Content-Encoding: gzip (no client could decode it)",
    caughtBy: "response schema conformance",
    inject: { answer: (a) => (a.headers["content-encoding"] = "gzip") },
  },
  {
    bug: "500 instead of 400 on bad input",
    caughtBy: "not a server error",
    inject: {
      answer: (a) => {
        if (a.status !== 400) return;
        a.status = 500;
        rewriteJson(a, (b) => {
          b.status = 500;
          b.code = 20500;
        });
      },
    },
  },
  {
    bug: "an invalid Track is ignored (200 instead of 400)",
    caughtBy: "negative data rejection: create",
    inject: {
      request: (r) => {
        const form = new URLSearchParams(r.body);
        const track = form.get("Track");
        if (track !== null && !["inbound_track", "outbound_track", "both_tracks"].includes(track)) {
          form.delete("Track");
          r.body = form.toString();
        }
      },
    },
  },
  {
    bug: "account_sid of another account than the path's",
    caughtBy: "stream matches request",
    inject: { answer: (a) => rewriteJson(a, (b) => isStream(b) && (b.account_sid = ANOTHER_ACCOUNT)) },
  },
  {
    bug: "no credentials check (any Authorization, or none, is let through)",
    caughtBy: "ignored auth",
    inject: {
      request: (r, upstream) => {
        const route = matchStreamRoute(r.path);
        if (route !== undefined) r.headers.authorization = basicAuthorization(upstream.accountSid, upstream.authToken);
      },
    },
  },
  {
    bug: "stop answers 200 but the Stream stays in-progress",
    caughtBy: "stop by sid",
    inject: {
      answer: (a, r) =>
        matchStreamRoute(r.path)?.operation === "UpdateStream" &&
        rewriteJson(a, (b) => b.status === "stopped" && (b.status = "in-progress")),
    },
  },
  {
    bug: "every Stream gets the same SID",
    caughtBy: "new stream sid",
    inject: {
      answer: (a, r) =>
        matchStreamRoute(r.path)?.operation === "CreateStream" &&
        rewriteJson(a, (b) => isStream(b) && (b.sid = "MZ00000000000000000000000000000000")),
    },
  },
  {
    bug: "answers text/plain instead of application/json",
    caughtBy: "content-type conformance",
    inject: { answer: (a) => (a.headers["content-type"] = "text/plain") },
  },
  {
    bug: "GET on the create path answers 200",
    caughtBy: "unsupported methods",
    inject: {
      shortCircuit: (r) =>
        r.method === "GET" && matchStreamRoute(r.path) !== undefined
          ? { status: 200, headers: { "content-type": "application/json" }, body: "[]" }
          : undefined,
    },
  },
  {
    bug: "stopping a stopped Stream answers 404",
    caughtBy: "use after stop",
    inject: (() => {
      const stopped = new Set<string>();
      return {
        answer: (a, r) => {
          const route = matchStreamRoute(r.path);
          if (route?.operation !== "UpdateStream" || a.status !== 200) return;
          const key = `${route.params.CallSid}/${route.params.Sid}`;
          if (stopped.has(key)) {
            a.status = 404;
            a.body = JSON.stringify({
              code: 20404,
              message: "not found",
              more_info: "https://www.twilio.com/docs/errors/20404",
              status: 404,
            });
          }
          stopped.add(key);
        },
      } satisfies Bug;
    })(),
  },
  {
    bug: "unknown calls get a Stream (201 instead of 404)",
    caughtBy: "unknown call",
    inject: {
      answer: (a, r) => {
        const route = matchStreamRoute(r.path);
        if (route?.operation !== "CreateStream" || a.status !== 404) return;
        const sid = "MZ0123456789abcdef0123456789abcdef";
        a.status = 201;
        a.body = JSON.stringify({
          sid,
          account_sid: route.params.AccountSid,
          call_sid: route.params.CallSid,
          name: null,
          status: "in-progress",
          date_updated: "Thu, 30 Jul 2015 20:00:00 +0000",
          uri: `${createStreamPath(route.params.AccountSid, route.params.CallSid).slice(0, -".json".length)}/${sid}.json`,
        });
      },
    },
  },
];
