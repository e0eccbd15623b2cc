/**
 * The server face of the contract: what a SERVER must do with each kind of request input.
 *
 * The contract has two faces. What a CLIENT must send is checked strictly (schemas/, the
 * validators, the mock, nock, check-client): a misspelt optional field silently does nothing at
 * Twilio, exactly the bug a contract test should catch. What a SERVER must do is what Twilio
 * does, nothing stricter: Twilio ignores parameters it does not know, so a server that ignores
 * them too behaves like Twilio and must pass `verify`. A false alarm costs more than a missed bug.
 *
 * This table is the one place that says, per input class, whether a server must refuse it, must
 * accept it, or may do either — and where Twilio says so. `verify` reads it for every invalid
 * sample it sends (src/verify/checks/negative.ts, responses.ts); `--strict` turns every "either"
 * into "refuse" for server teams who want the client-side strictness applied to themselves.
 */
import common from "../../schemas/common.schema.json" with { type: "json" };
import type { InvalidSample } from "../arbitraries/invalid-sample.js";
import type { RequestSample } from "../arbitraries/requests.js";
import { hasOnlyUriCharacters } from "../validators/formats/url.js";

/** What a server must do with an input: refuse it (4xx), accept it (2xx), or either. @public */
export type ServerDuty = "refuse" | "accept" | "either";

/** One row of the server-side rules. @public */
export interface ServerRule {
  /** The operation the input is sent to. */
  readonly operation: "CreateStream" | "UpdateStream" | "both";
  /** The input, in words. */
  readonly input: string;
  readonly duty: ServerDuty;
  /** Where Twilio says so: its OpenAPI document, a docs page or an error code. */
  readonly source: string;
}

/** Twilio's OpenAPI document of the 2010-04-01 API (twilio/twilio-oai, spec/json/twilio_api_v2010.json). */
const OPENAPI = "Twilio's OpenAPI document (twilio-oai twilio_api_v2010.json)";

/** The server-side rules, by name. @public */
export const SERVER_RULES = {
  validCreate: {
    operation: "CreateStream",
    input: "a request valid by schemas/create-stream-request.schema.json, on a call in progress",
    duty: "accept",
    source: `${OPENAPI}: CreateStream answers 200 (201 from 2022-02 to 2025-02)`,
  },
  validStop: {
    operation: "UpdateStream",
    input: "Status=stopped for a Stream of the call, by its SID or its name",
    duty: "accept",
    source: `${OPENAPI}: UpdateStream answers 200; path parameter Sid is "the SID or the name of the Stream"`,
  },
  missingUrl: {
    operation: "CreateStream",
    input: "no Url, or an empty one",
    duty: "refuse",
    source: `${OPENAPI}: CreateStreamRequest required: [Url] ("Change stream url parameter to non optional", twilio-oai 1.28.0)`,
  },
  notAUri: {
    operation: "CreateStream",
    input:
      'a Url or StatusCallback with a character RFC 3986 does not allow in a URI (space, < > " { } | \\ ^ and the backquote, a % without two hex digits)',
    duty: "refuse",
    source: `${OPENAPI}: Url and StatusCallback are format: uri (RFC 3986); Twilio error 31923 Malformed URL`,
  },
  trackNotInEnum: {
    operation: "CreateStream",
    input: `a Track that is none of ${common.$defs.track.enum.join(", ")}, in any letter case`,
    duty: "refuse",
    source: `${OPENAPI}: stream_enum_track; Twilio error 31941 Invalid Track configuration`,
  },
  methodNotInEnum: {
    operation: "CreateStream",
    input: `a StatusCallbackMethod other than ${common.$defs.httpMethod.enum.join(" or ")}, in any letter case`,
    duty: "refuse",
    source: `${OPENAPI}: CreateStreamRequest.StatusCallbackMethod enum [${common.$defs.httpMethod.enum.join(", ")}]`,
  },
  missingStatus: {
    operation: "UpdateStream",
    input: "no Status, or an empty one",
    duty: "refuse",
    source: `${OPENAPI}: UpdateStreamRequest required: [Status]`,
  },
  statusNotInEnum: {
    operation: "UpdateStream",
    input: `a Status other than ${common.$defs.updateStatus.enum.join(", ")}, in any letter case`,
    duty: "refuse",
    source: `${OPENAPI}: stream_enum_update_status [${common.$defs.updateStatus.enum.join(", ")}]`,
  },
  malformedPathSid: {
    operation: "both",
    input: "a malformed AccountSid or CallSid in the path, or an empty Stream Sid",
    duty: "refuse",
    source: `${OPENAPI}: path parameters AccountSid and CallSid carry the patterns ^AC…$ and ^CA…$ (32 hex digits), Sid is required; Twilio answers 404 (error 20404)`,
  },
  unknownField: {
    operation: "both",
    input: "an unknown, misspelt or wrong-case field (Url=wss://…&a=, Status=stopped&Url=, name=x)",
    duty: "either",
    source:
      "Twilio ignores parameters it does not know; the OpenAPI document lists the parameters and says nothing of others. Refusing them is this suite's client-side rule",
  },
  orphanParameterValue: {
    operation: "CreateStream",
    input: "a ParameterN.Value without its ParameterN.Name",
    duty: "either",
    source: `${OPENAPI} lists every ParameterN.Name and ParameterN.Value as independent optional parameters; pairing them is this suite's client-side rule`,
  },
  urlNotWss: {
    operation: "CreateStream",
    input:
      "a Url made of URI characters that is not an absolute wss:// URL without fragment (ws://, https://, relative, no host, non-ASCII …), or a StatusCallback that is not an absolute http(s):// URL",
    duty: "either",
    source: `${OPENAPI}: Url is "Relative or absolute URL"; wss-only is this suite's client-side rule (Twilio reports another scheme as error 31922 when it connects)`,
  },
  blankName: {
    operation: "both",
    input:
      "a Name of only white space: the Stream may keep it or read it as not sent (name null); in the second case no Stream is found by that name, so stopping by name is checked with names that are not blank",
    duty: "accept",
    source: `${OPENAPI}: Name is an optional string; the document says nothing of blank values, and a server may read a blank parameter as not sent`,
  },
  enumSpelling: {
    operation: "both",
    input:
      "an enum value (Track, StatusCallbackMethod, Status) in another letter case or with white space around it; an empty optional field",
    duty: "either",
    source: "Twilio documents neither refusing nor accepting them; the exact spelling is this suite's client-side rule",
  },
} as const satisfies Record<string, ServerRule>;

/** Whether `name` is blank (only white space): see the rule `blankName`. */
export function isBlankName(name: string): boolean {
  return name.trim() === "";
}

/** The name of a server-side rule. @public */
export type ServerRuleName = keyof typeof SERVER_RULES;

/** `value` trimmed and in lower case is one of `values` (in lower case). */
function inEnumLoosely(value: string, values: readonly string[]): boolean {
  const loose = value.trim().toLowerCase();
  return values.some((v) => v.toLowerCase() === loose);
}

/** The rule for a broken URL value: not a URI at all, or only not the suite's kind of URL. */
function urlRule(value: string, required: boolean): ServerRuleName {
  if (value.trim() === "") return required ? "missingUrl" : "enumSpelling";
  return hasOnlyUriCharacters(value.trim()) || [...value.trim()].some((c) => c.charCodeAt(0) > 127) ? "urlNotWss" : "notAUri";
}

/** The rule for a broken enum value: another spelling of a member, or not a member at all. */
function enumRule(
  value: string,
  values: readonly string[],
  notInEnum: ServerRuleName,
  required: ServerRuleName | undefined,
): ServerRuleName {
  if (value.trim() === "") return required ?? "enumSpelling";
  return inEnumLoosely(value, values) ? "enumSpelling" : notInEnum;
}

/**
 * The server-side rule an invalid request sample falls under: `sample.path` says which part of
 * the request is broken (`/body/Url`, `/path/CallSid` …) and `sample.reason` how.
 * @public
 */
export function serverRuleFor(operation: "CreateStream" | "UpdateStream", sample: InvalidSample<RequestSample>): ServerRuleName {
  const { path, reason } = sample;
  if (path.startsWith("/path/")) return "malformedPathSid";
  if (reason === "unknown field" || reason === "lower-case field name") return "unknownField";
  if (reason === "ParameterN.Value without its Name") return "orphanParameterValue";
  const field = path.slice("/body/".length);
  const value = sample.value.body[field];
  if (operation === "UpdateStream") {
    if (field !== "Status") return "unknownField";
    return value === undefined ? "missingStatus" : enumRule(value, common.$defs.updateStatus.enum, "statusNotInEnum", "missingStatus");
  }
  switch (field) {
    case "Url":
      return value === undefined ? "missingUrl" : urlRule(value, true);
    case "StatusCallback":
      return value === undefined ? "enumSpelling" : urlRule(value, false);
    case "Track":
      return enumRule(value ?? "", common.$defs.track.enum, "trackNotInEnum", undefined);
    case "StatusCallbackMethod":
      return enumRule(value ?? "", common.$defs.httpMethod.enum, "methodNotInEnum", undefined);
    default:
      return "unknownField";
  }
}

/** What a server must do with the sample: the rule's duty, or "refuse" for every invalid input under `strict`. @public */
export function serverDutyFor(rule: ServerRuleName, strict: boolean): ServerDuty {
  const { duty } = SERVER_RULES[rule];
  return strict && duty === "either" ? "refuse" : duty;
}
