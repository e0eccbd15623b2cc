/**
 * The mock's (and the reference provider's) side of Media Streams: for every Stream created, a
 * MediaSession dials the Stream's Url as Twilio would; stopping the Stream (by SID or name) or
 * ending its call sends `stop`. Off unless asked for: a client's tests create Streams with Urls
 * that point nowhere, and those must cause no traffic and no false alarm. Even when on, only
 * loopback hosts are dialled unless `allowRemoteHosts` says otherwise.
 */
import type { StreamLifecycleEvent } from "../engine/stream-events.js";
import { toneClip } from "./audio.js";
import { SharedClock } from "../media/clock.js";
import { customParametersOf, startTracksOf } from "../validators/media-stream-start.js";
import type { Track } from "../validators/generated/types.js";
import { type MediaPace, MediaSession, type MediaSessionRecord, type MediaIssue } from "./session.js";
import { type DialPolicy, dialTarget } from "./target.js";

/** How the mock streams. @public */
export interface MediaStreamingOptions extends DialPolicy {
  /**
   * The account's auth token, to sign each upgrade. Default: the password of the CreateStream's
   * Basic credentials (their user is the AccountSid: the mock checks it).
   */
  readonly authToken?: string;
  /** μ-law 8000 Hz mono audio to stream (default: a 440 Hz tone, 1 s, looped at `realtime`). */
  readonly clip?: Uint8Array;
  /** `realtime` (default): 20 ms of audio every 20 ms; `fast`: the clip once, as fast as the server reads. */
  readonly pace?: MediaPace;
  /** Certificates to trust for `wss://` beside Node's own (NODE_EXTRA_CA_CERTS is read by Node itself). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Deadline of each opening handshake (default 10 000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Called for each violation as it happens. */
  readonly onViolation?: (violation: MediaIssue) => void;
  /**
   * Called when a Stream's socket fails — the handshake, or the server closing it before `stop` —
   * with Twilio's code and title: the mock reports it to the engine (`failStream`), whose status
   * callbacks then send `stream-error`.
   */
  readonly onStreamFailed?: (
    stream: { readonly accountSid: string; readonly callSid: string; readonly streamSid: string },
    error: string,
  ) => void;
}

/** A Stream the engine created, as the dialler needs it. */
export interface CreatedStream {
  readonly accountSid: string;
  readonly callSid: string;
  readonly streamSid: string;
  /** The validated CreateStream body. */
  readonly body: Readonly<Record<string, string>>;
  /** The password of the create's Basic credentials (the auth token). Never logged. */
  readonly password: string;
  /** Set when `password` is this API key's secret, not the account's token. */
  readonly apiKeySid?: string | undefined;
}

/** Sessions whose records are kept (the newest); active ones are always kept. */
const KEPT_RECORDS = 1000;

/** Dials created Streams and plays them. */
export class MediaDialer {
  private readonly active = new Map<string, MediaSession>();
  private readonly done: MediaSessionRecord[] = [];
  private violationCount = 0;
  private readonly clip: Uint8Array;
  /** One 20 ms clock for every real-time Stream, as one media server paces many. */
  private readonly clock = new SharedClock();

  constructor(private readonly options: MediaStreamingOptions) {
    this.clip = options.clip ?? toneClip();
  }

  /**
   * The engine's stream listener: `stream-started` dials, `stream-stopped` (UpdateStream, the
   * call's end, or a failure the dialler reported itself) sends `stop`.
   */
  readonly listener = (event: StreamLifecycleEvent): void => {
    if (event.event === "stream-started" && event.mediaUrl !== undefined && event.createRequest !== undefined) {
      const { accountSid, callSid, streamSid, createRequest } = event;
      const { body, authToken: password, apiKeySid } = createRequest;
      this.streamCreated({ accountSid, callSid, streamSid, body, password, apiKeySid });
    } else if (event.event === "stream-stopped") {
      this.streamStopped(event.streamSid);
    }
  };

  /** A Stream was created: dial it (or record why not). */
  streamCreated({ accountSid, callSid, streamSid, body, password, apiKeySid }: CreatedStream): void {
    const target = dialTarget(body.Url ?? "", this.options);
    const session = new MediaSession({
      target: "refused" in target ? { connectUrl: "", signedUrl: body.Url ?? "" } : target,
      authToken: this.options.authToken ?? password,
      ...(this.options.authToken === undefined && apiKeySid !== undefined ? { apiKeySid } : {}),
      stream: {
        accountSid,
        callSid,
        streamSid,
        tracks: startTracksOf(body.Track as Track | undefined),
        customParameters: customParametersOf(body),
      },
      clip: this.clip,
      pace: this.options.pace ?? "realtime",
      clock: this.clock,
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
      ...(this.options.handshakeTimeoutMs === undefined ? {} : { handshakeTimeoutMs: this.options.handshakeTimeoutMs }),
      onViolation: (violation) => {
        this.violationCount++;
        this.options.onViolation?.(violation);
      },
      onFailed: (message) => this.options.onStreamFailed?.({ accountSid, callSid, streamSid }, message),
    });
    this.active.set(streamSid, session);
    void session.finished.then(() => this.retire(streamSid, session));
    if ("refused" in target) session.notDialled(target.refused);
    // Dialled a few a tick (the shared clock admits them), so that many Streams created at once do
    // not hold up the frames of those already streaming.
    else void this.clock.admit().then(() => session.open());
  }

  /** A Stream was stopped through UpdateStream: send `stop`. */
  streamStopped(streamSid: string): void {
    this.active.get(streamSid)?.stop();
  }

  /** Every Stream's record, oldest first: the finished ones kept, then the active ones. */
  sessions(): MediaSessionRecord[] {
    return [...this.done, ...[...this.active.values()].map((s) => s.record())];
  }

  /** Every violation of the kept records, oldest first. */
  violations(): MediaIssue[] {
    return this.sessions().flatMap((s) => s.violations);
  }

  /** Violations seen, including those of records no longer kept. */
  get totalViolations(): number {
    return this.violationCount;
  }

  /** Forgets the finished sessions' records. */
  clear(): void {
    this.done.length = 0;
    this.violationCount = [...this.active.values()].reduce((n, s) => n + s.record().violations.length, 0);
  }

  /** Stops every Stream (`stop` is sent) and waits for the sockets to close. */
  async close(): Promise<void> {
    const sessions = [...this.active.values()];
    for (const session of sessions) session.stop();
    await Promise.all(sessions.map((s) => s.finished));
  }

  private retire(streamSid: string, session: MediaSession): void {
    if (this.active.get(streamSid) === session) this.active.delete(streamSid);
    this.done.push(session.record());
    if (this.done.length > KEPT_RECORDS) this.done.shift();
  }
}
