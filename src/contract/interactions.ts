/**
 * The interactions of the Pact contract `twilio-stream-contract` ↔ `twilio-api`, as data.
 *
 * tests/pact turns each into a Pact V4 interaction (and drives the real `twilio` client against
 * the mock server); the reference provider and `verify` read the same example values and states.
 * Example SIDs and URLs are the schemas' own examples; credentials are fake.
 */
import { FORM_CONTENT_TYPE } from "./media-types.js";
import common from "../../schemas/common.schema.json" with { type: "json" };
import update from "../../schemas/update-stream-request.schema.json" with { type: "json" };
import { basicAuthorization } from "../http/basic-auth.js";
import { TWILIO_ERROR_CODES } from "./errors.js";
import {
  anyInteger,
  anyString,
  CREATE_STREAM_PATH_PATTERN,
  createStreamPathPatternFor,
  fromState,
  FORM_CONTENT_TYPE_PATTERN,
  JSON_CONTENT_TYPE_PATTERN,
  match,
  nullValue,
  pathFromState,
  type ProviderStateMatcher,
  type RegexMatcher,
  regex,
  type StatusClassMatcher,
  STREAM_PATH_BY_SID_PATTERN,
  STREAM_PATH_PATTERN,
  successStatus,
  type Template,
  type TypeMatcher,
} from "./matchers.js";
import { createStreamPath, fillPathTemplate, streamPath } from "./paths.js";
import { AUTHORIZATION_STATE_PARAM, PROVIDER_STATE, type ProviderState } from "./states.js";
import type { StreamStatus } from "../validators/generated/types.js";

/** Consumer name in the pact files. */
export const CONSUMER = "twilio-stream-contract";
/** Provider name in the pact files. */
export const PROVIDER = "twilio-api";
/** The pact file tests/pact writes into contracts/ (pact-js names it `<consumer>-<provider>.json`). */
export const PACT_FILE = `${CONSUMER}-${PROVIDER}.json`;

/** The example values every interaction uses. Not real: the SIDs are the schemas' examples. */
export const EXAMPLE = {
  accountSid: common.$defs.accountSid.examples[0]!,
  callSid: common.$defs.callSid.examples[0]!,
  streamSid: common.$defs.streamSid.examples[0]!,
  /** A Stream name: the update schema's example of stopping by name. */
  name: update.examples[1]!.path.Sid,
  url: common.$defs.mediaStreamUrl.examples[0]!,
  statusCallback: common.$defs.callbackUrl.examples[0]!,
  dateUpdated: common.$defs.rfc2822DateTime.examples[0]!,
  /** A fake auth token: the pacts hold `Basic base64(accountSid:authToken)` of it. */
  authToken: "fake-auth-token",
  /**
   * The fake credentials of the interaction the provider must refuse: a user that is neither an
   * Account SID nor an API key SID, so that no other interaction's Authorization matcher takes
   * them (a Pact stub can tell the interactions apart).
   */
  wrongUser: "not-an-account-sid",
  wrongAuthToken: "wrong-auth-token",
  /** The call of the interaction `no call exists`: a SID no other interaction's example uses. */
  missingCallSid: "CA00000000000000000000000000000000",
  /** A Url CreateStream must refuse: Media Streams need `wss://`. */
  invalidUrl: "https://example.com/media",
} as const;

/** One interaction of the contract. Templates hold matchers; {@link exampleOf} strips them. */
export interface ContractInteraction {
  /** The pact's `description`, unique in the contract. */
  readonly description: string;
  readonly operation: "CreateStream" | "UpdateStream";
  readonly state: ProviderState;
  /**
   * Whether the request carries the account's credentials (`valid`) or credentials the provider
   * must refuse (`invalid`): a verifier that injects real credentials must not do so for the latter.
   */
  readonly credentials: "valid" | "invalid";
  readonly request: {
    readonly method: "POST";
    readonly path: ProviderStateMatcher;
    readonly headers: { readonly Authorization: RegexMatcher | ProviderStateMatcher; readonly "Content-Type": RegexMatcher };
    /** The form body, field by field. */
    readonly form: Readonly<Record<string, string | RegexMatcher | TypeMatcher<string>>>;
  };
  readonly response: {
    readonly status: number | StatusClassMatcher;
    readonly headers: { readonly "Content-Type": RegexMatcher };
    readonly body: Template;
  };
}

const { accountSid, callSid, streamSid, name } = EXAMPLE;

export { basicAuthorization } from "../http/basic-auth.js";

const formContentType = regex(FORM_CONTENT_TYPE_PATTERN, FORM_CONTENT_TYPE);

/**
 * Request headers with the account's (fake) credentials: an Account SID or API key SID as the
 * Basic user, the value regenerated from the state's `authorization` when it has one.
 */
function requestHeaders() {
  return {
    Authorization: fromState(
      match.basicAuthorization(basicAuthorization(accountSid, EXAMPLE.authToken)),
      `\${${AUTHORIZATION_STATE_PARAM}}`,
    ),
    "Content-Type": formContentType,
  };
}

/** Request headers with the fake credentials a provider must refuse, matched exactly. */
function wrongCredentialHeaders() {
  return { Authorization: match.exactly(basicAuthorization(EXAMPLE.wrongUser, EXAMPLE.wrongAuthToken)), "Content-Type": formContentType };
}
const responseHeaders = { "Content-Type": regex(JSON_CONTENT_TYPE_PATTERN, "application/json") };

const createPath = pathFromState(
  CREATE_STREAM_PATH_PATTERN,
  fillPathTemplate("CreateStream", { AccountSid: "${accountSid}", CallSid: "${callSid}" }),
  createStreamPath(accountSid, callSid),
);

/** The create path on the missing call: only that Call SID (a stub serves this interaction for it). */
const missingCallPath = pathFromState(
  createStreamPathPatternFor(EXAMPLE.missingCallSid),
  fillPathTemplate("CreateStream", { AccountSid: "${accountSid}", CallSid: "${callSid}" }),
  createStreamPath(accountSid, EXAMPLE.missingCallSid),
);

/** UpdateStream's path, its Sid taken from the state param `sidParam` (streamSid or name). */
function updatePath(sidParam: "streamSid" | "name"): ProviderStateMatcher {
  return pathFromState(
    sidParam === "streamSid" ? STREAM_PATH_BY_SID_PATTERN : STREAM_PATH_PATTERN,
    fillPathTemplate("UpdateStream", { AccountSid: "${accountSid}", CallSid: "${callSid}", Sid: `\${${sidParam}}` }),
    streamPath(accountSid, callSid, EXAMPLE[sidParam]),
  );
}

/** A Stream resource (schemas/stream.schema.json) with the given name and status. */
function streamBody(streamName: string | null, status: StreamStatus): Template {
  return {
    sid: match.streamSid(streamSid),
    account_sid: match.accountSid(accountSid),
    call_sid: match.callSid(callSid),
    name: streamName === null ? nullValue() : anyString(streamName),
    status,
    date_updated: match.rfc2822DateTime(EXAMPLE.dateUpdated),
    uri: match.streamUri(streamPath(accountSid, callSid, streamSid)),
  };
}

/** A Twilio error body (schemas/twilio-error.schema.json). `code` fixed, or any integer. */
function errorBody(status: number, code: number | ReturnType<typeof anyInteger>, message: string): Template {
  const example = typeof code === "number" ? code : code.value;
  return { code, message: anyString(message), more_info: match.httpUrl(`https://www.twilio.com/docs/errors/${example}`), status };
}

const call = { accountSid, callSid };

/** Every interaction of the contract, in the order they are written to the pact file. */
export const INTERACTIONS: readonly ContractInteraction[] = [
  {
    description: "a request to create a stream with only a Url",
    operation: "CreateStream",
    state: { name: PROVIDER_STATE.callInProgress, params: call },
    credentials: "valid",
    request: { method: "POST", path: createPath, headers: requestHeaders(), form: { Url: match.wssUrl(EXAMPLE.url) } },
    response: { status: successStatus(200), headers: responseHeaders, body: streamBody(null, "in-progress") },
  },
  {
    description: "a request to create a stream with every optional parameter",
    operation: "CreateStream",
    state: { name: PROVIDER_STATE.callInProgress, params: call },
    credentials: "valid",
    request: {
      method: "POST",
      path: createPath,
      headers: requestHeaders(),
      form: {
        Url: match.wssUrl(EXAMPLE.url),
        Name: anyString(name),
        Track: match.track("both_tracks"),
        StatusCallback: match.httpUrl(EXAMPLE.statusCallback),
        StatusCallbackMethod: match.httpMethod("POST"),
        "Parameter1.Name": anyString("customer"),
        "Parameter1.Value": anyString("42"),
        "Parameter2.Name": anyString("language"),
        "Parameter2.Value": anyString("en-US"),
        "Parameter3.Name": anyString("campaign"),
        "Parameter3.Value": anyString("spring sale"),
      },
    },
    response: { status: successStatus(200), headers: responseHeaders, body: streamBody(name, "in-progress") },
  },
  {
    description: "a request to stop a stream by its SID",
    operation: "UpdateStream",
    state: { name: PROVIDER_STATE.streamInProgress, params: { ...call, streamSid, name } },
    credentials: "valid",
    request: { method: "POST", path: updatePath("streamSid"), headers: requestHeaders(), form: { Status: match.updateStatus() } },
    response: { status: successStatus(200), headers: responseHeaders, body: streamBody(name, "stopped") },
  },
  {
    description: "a request to stop a stream by its name",
    operation: "UpdateStream",
    state: { name: PROVIDER_STATE.streamInProgress, params: { ...call, streamSid, name } },
    credentials: "valid",
    request: { method: "POST", path: updatePath("name"), headers: requestHeaders(), form: { Status: match.updateStatus() } },
    response: { status: successStatus(200), headers: responseHeaders, body: streamBody(name, "stopped") },
  },
  {
    description: "a request to create a stream with a Url that is not wss://",
    operation: "CreateStream",
    state: { name: PROVIDER_STATE.callInProgress, params: call },
    credentials: "valid",
    request: { method: "POST", path: createPath, headers: requestHeaders(), form: { Url: EXAMPLE.invalidUrl } },
    response: {
      status: 400,
      headers: responseHeaders,
      body: errorBody(400, anyInteger(TWILIO_ERROR_CODES.invalidParameter), "Url must be a wss:// URL"),
    },
  },
  {
    description: "a request to create a stream on a call that does not exist",
    operation: "CreateStream",
    state: { name: PROVIDER_STATE.noCall, params: { accountSid, callSid: EXAMPLE.missingCallSid } },
    credentials: "valid",
    request: { method: "POST", path: missingCallPath, headers: requestHeaders(), form: { Url: match.wssUrl(EXAMPLE.url) } },
    response: {
      status: 404,
      headers: responseHeaders,
      body: errorBody(
        404,
        TWILIO_ERROR_CODES.notFound,
        `The requested resource ${createStreamPath(accountSid, EXAMPLE.missingCallSid)} was not found`,
      ),
    },
  },
  {
    description: "a request to create a stream with invalid credentials",
    operation: "CreateStream",
    state: { name: PROVIDER_STATE.callInProgress, params: call },
    credentials: "invalid",
    request: { method: "POST", path: createPath, headers: wrongCredentialHeaders(), form: { Url: match.wssUrl(EXAMPLE.url) } },
    response: {
      status: 401,
      headers: responseHeaders,
      body: errorBody(401, TWILIO_ERROR_CODES.authenticationFailed, "Authenticate"),
    },
  },
];
