/**
 * The real `twilio` npm client, pointed at a local server: its HTTP client rewrites Twilio's
 * origin to `baseUrl` and records each exchange, so a test can check what the client sent and got.
 */
import twilio from "twilio";
import { TWILIO_API_ORIGIN } from "../../src/contract/paths.js";

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0];

/** One request the client made and the raw response it got. */
export interface Exchange {
  readonly method: string;
  /** Path of the request, e.g. `/2010-04-01/Accounts/AC…/Calls/CA…/Streams.json`. */
  readonly path: string;
  /** The form fields the client encoded. */
  readonly form: Readonly<Record<string, string>>;
  readonly status: number;
  /** The response body as the client parsed it. */
  readonly body: unknown;
}

class RewritingRequestClient extends twilio.RequestClient {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly baseUrl: string) {
    super();
  }

  override async request<TData>(opts: RequestOptions & { data?: TData }) {
    const url = new URL(opts.uri);
    // Any Twilio host (an edge or region from the environment changes it) goes to the local server.
    if (url.origin !== TWILIO_API_ORIGIN && !url.hostname.endsWith(".twilio.com")) throw new Error(`unexpected host ${url.origin}`);
    const path = url.pathname + url.search;
    const response = await super.request({ ...opts, uri: this.baseUrl + path });
    this.exchanges.push({
      method: String(opts.method).toUpperCase(),
      path,
      form: { ...((opts.data ?? {}) as Record<string, string>) },
      status: response.statusCode,
      body: response.body,
    });
    return response;
  }
}

/**
 * A `twilio` client that talks to `baseUrl`, and the exchanges it records. The Basic user is the
 * account SID unless `user` says otherwise (an API key SID, or the contract's wrong user).
 */
export function localTwilioClient(baseUrl: string, accountSid: string, password: string, user: string = accountSid) {
  const httpClient = new RewritingRequestClient(baseUrl);
  const client = twilio(user, password, { accountSid, httpClient, autoRetry: false });
  return { client, exchanges: httpClient.exchanges };
}
