/**
 * The server a verify run checks: the bundled reference provider when no base URL is given,
 * else the user's server with its credentials; their secrets registered (every sink masks them
 * from then on), and the HTTP clients the checks use.
 */
import { startReferenceProvider, type ReferenceProvider } from "../provider/index.js";
import { registerSecret, urlForMessage } from "../secrets.js";
import type { CheckEnv } from "./check.js";
import { apiKeyOf, type Credentials, redactionOf } from "./credentials.js";
import { createHttpClient, type HttpClient } from "./http.js";
import { VerifyConfigError, type VerifyOptions, type VerifySettings } from "./settings.js";
import { createStatesClient } from "./states.js";

/** What a run checks. */
export interface Target {
  /** The base URL without a trailing slash: reports and the Pact verifier name it so. */
  readonly name: string;
  readonly baseUrl: URL;
  readonly statesUrl: URL | undefined;
  readonly credentials: Credentials;
  /** Things the reader should know first (reference provider used, no states URL). */
  readonly notices: string[];
  readonly http: HttpClient;
  readonly statesHttp: HttpClient | undefined;
  /** Closes the clients and stops the reference provider, if one was started. */
  close(): Promise<void>;
}

/** Starts the reference provider or checks the user's server options; registers the secrets. */
export async function setUpTarget(options: VerifyOptions, settings: VerifySettings): Promise<Target> {
  const { provider, baseUrl, statesUrl, credentials, notices } =
    options.baseUrl === undefined ? await referenceTarget(options, settings.seed) : userTarget(options, options.baseUrl);
  const redaction = redactionOf(credentials);
  // Every sink masks them from now on: the auth token and the API key secret.
  for (const secret of redaction.secrets) registerSecret(secret, redaction.users);
  const http = createHttpClient(baseUrl, settings.timeoutMs);
  const statesHttp = statesUrl === undefined ? undefined : createHttpClient(new URL(statesUrl.origin), settings.timeoutMs);
  return {
    name: baseUrl.toString().replace(/\/+$/, ""),
    baseUrl,
    statesUrl,
    credentials,
    notices,
    http,
    statesHttp,
    close: async () => {
      http.close();
      statesHttp?.close();
      await provider?.close();
    },
  };
}

/** What the checks run against. */
export function checkEnvOf(target: Target, options: VerifyOptions): CheckEnv {
  return {
    http: target.http,
    credentials: target.credentials,
    states:
      target.statesUrl === undefined || target.statesHttp === undefined
        ? undefined
        : createStatesClient(target.statesUrl, target.statesHttp),
    maxResponseTimeMs: options.maxResponseTimeMs,
    strict: options.strict ?? false,
    seenStreamSids: new Set(),
    counters: { checkedRequests: 0, calls: 0, coverageExamples: 0 },
  };
}

interface TargetParts {
  readonly provider?: ReferenceProvider;
  readonly baseUrl: URL;
  readonly statesUrl: URL | undefined;
  readonly credentials: Credentials;
  readonly notices: string[];
}

/** No base URL: the bundled reference provider, with its own states URL. */
async function referenceTarget(options: VerifyOptions, seed: number): Promise<TargetParts> {
  if (options.statesUrl !== undefined)
    throw new VerifyConfigError(
      (n) => `${n("statesUrl")} needs ${n("baseUrl")} (without it, verify checks the bundled reference provider with its own states URL)`,
    );
  const apiKey = apiKeyOf(options);
  const provider = await startReferenceProvider({
    seed,
    ...(options.callbacks ? { statusCallbacks: {} } : {}),
    ...(options.accountSid === undefined ? {} : { accountSid: options.accountSid }),
    ...(options.authToken === undefined ? {} : { authToken: options.authToken }),
    ...(apiKey === undefined ? {} : { apiKeySid: apiKey.user, apiKeySecret: apiKey.password }),
  });
  return {
    provider,
    baseUrl: new URL(provider.baseUrl),
    statesUrl: new URL(provider.statesUrl),
    credentials: {
      accountSid: provider.accountSid,
      authToken: provider.authToken,
      apiKeySid: apiKey?.user,
      apiKeySecret: apiKey?.password,
    },
    notices: [`no --base-url: checking the bundled reference provider at ${provider.baseUrl}`],
  };
}

/** The user's server: its URLs and credentials, checked. */
function userTarget(options: VerifyOptions, base: string): TargetParts {
  const baseUrl = parseUrl(base, "baseUrl");
  const statesUrl = options.statesUrl === undefined ? undefined : parseUrl(options.statesUrl, "statesUrl");
  if (
    options.accountSid === undefined ||
    options.accountSid === "" ||
    ((options.authToken ?? "") === "" && apiKeyOf(options) === undefined)
  ) {
    throw new VerifyConfigError(
      (n) =>
        `verify needs the server's credentials: ${n("accountSid")} and ${n("authToken")} or ${n("apiKeySid")} and ${n("apiKeySecret")}`,
    );
  }
  if (options.callbacks === true && (options.authToken ?? "") === "") {
    throw new VerifyConfigError(
      (n) => `${n("callbacks")} checks X-Twilio-Signature, which Twilio computes with the account's auth token: give ${n("authToken")} too`,
    );
  }
  return {
    baseUrl,
    statesUrl,
    credentials: {
      accountSid: options.accountSid,
      authToken: options.authToken,
      apiKeySid: options.apiKeySid,
      apiKeySecret: options.apiKeySecret,
    },
    notices: statesUrl === undefined ? ["no --states-url: checks that need a call or Stream set up on the server are skipped"] : [],
  };
}

function parseUrl(text: string, option: "baseUrl" | "statesUrl"): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new VerifyConfigError(
      (n) => `${n(option)} must be an absolute http:// or https:// URL, got ${JSON.stringify(urlForMessage(text))}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new VerifyConfigError((n) => `${n(option)} must be an http:// or https:// URL, got ${url.protocol}`);
  if (url.username !== "" || url.password !== "")
    throw new VerifyConfigError((n) => `${n(option)} must not carry credentials: use ${n("accountSid")} and ${n("authToken")}`);
  return url;
}
