/**
 * The real `twilio` client, pointed at a local base URL through a custom httpClient, and the
 * deliberately broken variants of it that the mock and nock must catch.
 */
import twilio from "twilio";

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>["request"]>[0];

export const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
export const TOKEN = "client-token-0001";
export const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/** How a broken client bends each request before sending it. */
export type Breakage = (opts: RequestOptions) => RequestOptions;

const lowerCaseKeys = (data: unknown) =>
  Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));

/** Each broken client, the violation kind it must produce, and the issue path. */
export const BROKEN_CLIENTS: readonly { name: string; breakage: Breakage; kind: string; issuePath: string }[] = [
  {
    name: "JSON body",
    breakage: (o) => ({ ...o, headers: { ...o.headers, "Content-Type": "application/json" } }),
    kind: "content-type",
    issuePath: "/headers/content-type",
  },
  {
    name: "no auth",
    breakage: (o) => ({ ...o, username: undefined, password: undefined }),
    kind: "auth",
    issuePath: "/headers/authorization",
  },
  { name: "lower-case field names", breakage: (o) => ({ ...o, data: lowerCaseKeys(o.data) }), kind: "body", issuePath: "/body/url" },
  {
    name: "wrong path",
    breakage: (o) => ({ ...o, uri: o.uri.replace("/Streams.json", "/Stream.json") }),
    kind: "route",
    issuePath: "/path",
  },
  {
    name: "missing Url",
    breakage: (o) => ({ ...o, data: { ...(o.data as object), Url: undefined } }),
    kind: "body",
    issuePath: "/body/Url",
  },
];

/**
 * A twilio client whose requests go to `baseUrl` (or to api.twilio.com when undefined, for nock);
 * `timeout` is its request timeout in milliseconds (twilio's default is 30 s).
 */
export function twilioClient(baseUrl: string | undefined, breakage: Breakage = (o) => o, timeout?: number) {
  class RewritingClient extends twilio.RequestClient {
    override request<T>(opts: RequestOptions) {
      const bent = breakage(opts);
      const uri = baseUrl === undefined ? bent.uri : bent.uri.replace("https://api.twilio.com", baseUrl);
      return super.request<T>({ ...bent, uri } as never);
    }
  }
  return twilio(ACCOUNT, TOKEN, { httpClient: new RewritingClient(timeout === undefined ? {} : { timeout }) });
}

/** What a typical client does: create a Stream with options, then stop it by name and by SID. */
export async function createAndStop(client: ReturnType<typeof twilioClient>) {
  const call = client.calls(CALL);
  const named = await call.streams.create({
    url: "wss://example.com/media",
    name: "support",
    track: "both_tracks",
    statusCallback: "https://example.com/status",
    statusCallbackMethod: "POST",
    "parameter1.name": "customer",
    "parameter1.value": "42",
  });
  const plain = await call.streams.create({ url: "wss://example.com/media" });
  const stoppedByName = await call.streams("support").update({ status: "stopped" });
  const stoppedBySid = await call.streams(plain.sid).update({ status: "stopped" });
  return { named, plain, stoppedByName, stoppedBySid };
}
