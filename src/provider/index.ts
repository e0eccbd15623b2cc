/**
 * The reference provider: an in-memory Twilio CreateStream / UpdateStream server on node:http
 * that obeys the contract in every detail. `stream-contract verify` checks it when no base URL is
 * given, and it shows what a conformant server answers.
 */
import { randomBytes } from "node:crypto";
import { MediaDialer, type MediaStreamingOptions } from "../dialer/dialer.js";
import type { MediaSessionRecord } from "../dialer/session.js";
import { type CreateStatus, StreamEngine } from "../engine/engine.js";
import { closeServer, CONTROL_PREFIX, type ControlAnswer, createEngineServer, listen, STOP_PATH, stopAnswer } from "../engine/http.js";
import { createSidSource } from "../engine/sids.js";
import { basicAuthorization } from "../http/basic-auth.js";
import { isAccountSid, isApiKeySid } from "../validators/sid.js";
import { allListeners, type StreamEventListener } from "../engine/stream-events.js";
import { type CallbackDelivery, CallbackSender, type CallbackSenderOptions } from "../status-callbacks/sender.js";
import { changeState } from "./states.js";

export { PROVIDER_STATE } from "../contract/states.js";

/** Options of `startReferenceProvider`. @public */
export interface ReferenceProviderOptions {
  /** Interface to bind (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: any free port). */
  readonly port?: number;
  /** The one account it serves (default: an `AC…` SID derived from the seed). */
  readonly accountSid?: string;
  /** That account's auth token (default: 32 random hexadecimal digits). */
  readonly authToken?: string;
  /**
   * An API key of the account (`SK…`) and its secret: Basic `SK…:secret` is then taken as well
   * as `AC…:authToken`, as Twilio does. Both or neither.
   */
  readonly apiKeySid?: string;
  readonly apiKeySecret?: string;
  /** Seed of the SID generator (default 0): same seed and requests → same SIDs. */
  readonly seed?: number;
  /** The status of a successful create: 200 (default, Twilio's OpenAPI document) or 201. */
  readonly createStatus?: CreateStatus;
  /**
   * Send the status callbacks of Streams created with a `StatusCallback`, signed with the
   * account's token (default false; `{}`: to loopback hosts only).
   */
  readonly statusCallbacks?: CallbackSenderOptions | false;
  /** Also told each Stream start, stop and failure. */
  readonly onStreamEvent?: StreamEventListener;
  /**
   * Really stream, as the mock does (signed with the provider's token). Off by default: `verify`
   * creates Streams with generated Urls, which must not be dialled.
   */
  readonly media?: MediaStreamingOptions;
  /**
   * Lets a script end the run over HTTP: `POST /__contract/stop` waits for the status callbacks
   * under way, answers with what `onStop` resolves to (JSON), then closes the server. Without it,
   * that endpoint is not served.
   */
  readonly onStop?: () => Promise<unknown>;
}

/** A running reference provider. @public */
export interface ReferenceProvider {
  /** `http://127.0.0.1:<port>`: stands in for `https://api.twilio.com`. */
  readonly baseUrl: string;
  /** The Pact provider-state endpoint (`POST` `{"state", "params", "action"}`). */
  readonly statesUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The status callbacks sent so far (with `statusCallbacks`), oldest first. */
  callbacks(): readonly CallbackDelivery[];
  /** Resolves once every status callback queued so far has been answered or given up. */
  drainCallbacks(): Promise<void>;
  /** With `media`: each Stream's socket, oldest first. */
  mediaSessions(): readonly MediaSessionRecord[];
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/** Path of the provider-state endpoint. */
export const PROVIDER_STATES_PATH = `${CONTROL_PREFIX}provider-states`;

/**
 * Starts the reference provider. It serves one account with Basic auth (`accountSid`,
 * `authToken`); calls exist only once a provider state has set them up.
 *
 * - CreateStream → 200 (or `createStatus`) and a new Stream (fresh `MZ…` SID, `in-progress`, `name` = Name or null,
 *   `uri` = its own path, `date_updated` now in RFC 2822).
 * - UpdateStream `Status=stopped` by SID or name → 200, `stopped`, same SID; stopping a stopped
 *   Stream again → 200 with the Stream unchanged (idempotent).
 * - Bad or missing credentials, or a path AccountSid that is not the account → 401 (20003);
 *   unknown path, unknown call or Stream, malformed path SIDs → 404 (20404); other methods →
 *   405 (20004); invalid body or Content-Type → 400 (20001); body over 1 MB → 413.
 *
 * @example
 *   const accountSid = "AC" + "0".repeat(32), callSid = "CA" + "1".repeat(32);
 *   const provider = await startReferenceProvider({ accountSid, authToken: "secret" });
 *   await fetch(provider.statesUrl, {
 *     method: "POST",
 *     headers: { "Content-Type": "application/json" },
 *     body: JSON.stringify({ state: "a call is in progress", params: { accountSid, callSid }, action: "setup" }),
 *   });
 *   const created = await fetch(`${provider.baseUrl}/2010-04-01/Accounts/${accountSid}/Calls/${callSid}/Streams.json`, {
 *     method: "POST",
 *     headers: { Authorization: `Basic ${btoa(`${accountSid}:secret`)}`, "Content-Type": "application/x-www-form-urlencoded" },
 *     body: new URLSearchParams({ Url: "wss://example.com/media" }),
 *   }); // 200, the Stream in progress
 *   await provider.close();
 * @public
 */
export async function startReferenceProvider(options: ReferenceProviderOptions = {}): Promise<ReferenceProvider> {
  const seed = options.seed ?? 0;
  const accountSid = options.accountSid ?? createSidSource(seed ^ 0x5bd1e995).next("AC");
  const authToken = options.authToken ?? randomBytes(16).toString("hex");
  if (options.accountSid !== undefined && !isAccountSid(options.accountSid))
    throw new TypeError("accountSid must be an Account SID: AC and 32 hexadecimal digits");
  if ((options.apiKeySid === undefined) !== (options.apiKeySecret === undefined))
    throw new TypeError("apiKeySid and apiKeySecret go together: give both or neither");
  if (options.apiKeySid !== undefined && !isApiKeySid(options.apiKeySid))
    throw new TypeError("apiKeySid must be an API key SID: SK and 32 hexadecimal digits");
  const apiKeys =
    options.apiKeySid === undefined || options.apiKeySecret === undefined ? [] : [{ sid: options.apiKeySid, secret: options.apiKeySecret }];
  const sender =
    options.statusCallbacks === undefined || options.statusCallbacks === false ? undefined : new CallbackSender(options.statusCallbacks);
  const dialer =
    options.media === undefined
      ? undefined
      : new MediaDialer({
          ...options.media,
          authToken,
          onStreamFailed: (s, error) => engine.failStream(s.accountSid, s.callSid, s.streamSid, error),
        });
  const onStreamEvent = allListeners(sender?.listener, dialer?.listener, options.onStreamEvent);
  const engine: StreamEngine = new StreamEngine({
    policy: { kind: "provider", accountSid, authToken, apiKeys },
    seed,
    ...(options.createStatus === undefined ? {} : { createStatus: options.createStatus }),
    ...(onStreamEvent === undefined ? {} : { onStreamEvent }),
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await dialer?.close();
      await closeServer(server);
      await sender?.close();
    })());
  let stopping: Promise<ControlAnswer> | undefined;
  const { onStop } = options;
  const server = createEngineServer({
    engine,
    control(method, path, body) {
      if (method === "POST" && path === STOP_PATH && onStop !== undefined) {
        const finish = async () => {
          await dialer?.close();
          await sender?.drain();
          return onStop();
        };
        return (stopping ??= stopAnswer(finish, close));
      }
      if (path !== PROVIDER_STATES_PATH)
        return { status: 404, body: { error: `no such endpoint; provider states are at ${PROVIDER_STATES_PATH}` } };
      if (method !== "POST") return { status: 405, body: { error: "provider states take POST" } };
      return changeState(engine, body, { accountSid, authorization: basicAuthorization(accountSid, authToken) });
    },
  });
  const baseUrl = await listen(server, options.host ?? "127.0.0.1", options.port ?? 0);
  return {
    baseUrl,
    statesUrl: `${baseUrl}${PROVIDER_STATES_PATH}`,
    accountSid,
    authToken,
    callbacks: () => sender?.deliveries() ?? [],
    drainCallbacks: async () => sender?.drain(),
    mediaSessions: () => dialer?.sessions() ?? [],
    close,
  };
}
