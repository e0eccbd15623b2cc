/**
 * The in-memory state behind the rule engine: which calls are in progress and their Streams.
 * Streams are kept per call, found by SID or by name.
 */
import type { Stream, StreamStatus } from "../validators/generated/types.js";

/** A Stream as the store holds it. */
export interface StoredStream {
  readonly sid: string;
  readonly account_sid: string;
  readonly call_sid: string;
  readonly name: string | null;
  status: StreamStatus;
  date_updated: string;
  readonly uri: string;
}

interface CallRecord {
  readonly accountSid: string;
  readonly callSid: string;
  readonly bySid: Map<string, StoredStream>;
  /**
   * Name → the Stream that name stops: the one in progress, else the latest stopped one. A name
   * can only be given again once its Stream is stopped, so the newest Stream always wins.
   */
  readonly byName: Map<string, StoredStream>;
}

/** Calls and their Streams. */
export class StreamStore {
  /**
   * AccountSid → CallSid → call: two lookups of strings whose hashes are cached (the engine
   * passes the same strings for the same path), rather than one of a key built per request.
   */
  private readonly accounts = new Map<string, Map<string, CallRecord>>();
  /** The calls, oldest first (a Set keeps insertion order). */
  private readonly calls = new Set<CallRecord>();
  /**
   * With a bound: the Streams kept and their calls (so that forgetting one needs no lookup),
   * oldest first from `oldestKept`; the slots before it are freed now and then.
   */
  private kept: (StoredStream | undefined)[] = [];
  private keptCalls: (CallRecord | undefined)[] = [];
  /** What each kept Stream was counted for, in bytes. */
  private keptSizes: number[] = [];
  private oldestKept = 0;
  /** Estimated bytes of the kept Streams. */
  private keptBytes = 0;
  private readonly bounded: boolean;

  /**
   * Beyond `maxCalls` calls, `maxStreams` Streams or `maxBytes` bytes of Streams (a Stream's
   * name can be 1 MB long), the oldest is forgotten: the mock's memory stays bounded however
   * long it runs and whatever it is sent.
   */
  constructor(
    private readonly maxCalls = Number.POSITIVE_INFINITY,
    private readonly maxStreams = Number.POSITIVE_INFINITY,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.bounded = maxStreams !== Number.POSITIVE_INFINITY || maxBytes !== Number.POSITIVE_INFINITY;
  }

  /** Starts a call (a no-op when it is already in progress). */
  addCall(accountSid: string, callSid: string): void {
    this.callRecord(accountSid, callSid);
  }

  private findCall(accountSid: string, callSid: string): CallRecord | undefined {
    return this.accounts.get(accountSid)?.get(callSid);
  }

  /** The call, started if it was not. */
  private callRecord(accountSid: string, callSid: string): CallRecord {
    let call = this.findCall(accountSid, callSid);
    if (call !== undefined) return call;
    if (this.calls.size >= this.maxCalls) {
      const oldest = this.calls.values().next().value;
      if (oldest !== undefined) this.removeCall(oldest.accountSid, oldest.callSid);
    }
    call = { accountSid, callSid, bySid: new Map(), byName: new Map() };
    let account = this.accounts.get(accountSid);
    if (account === undefined) {
      account = new Map();
      this.accounts.set(accountSid, account);
    }
    account.set(callSid, call);
    this.calls.add(call);
    return call;
  }

  /** Ends a call and forgets its Streams. */
  removeCall(accountSid: string, callSid: string): void {
    const account = this.accounts.get(accountSid);
    const call = account?.get(callSid);
    if (account === undefined || call === undefined) return;
    this.calls.delete(call);
    account.delete(callSid);
    if (account.size === 0) this.accounts.delete(accountSid);
  }

  hasCall(accountSid: string, callSid: string): boolean {
    return this.findCall(accountSid, callSid) !== undefined;
  }

  /**
   * Adds a Stream to a call, starting the call if needed. `extraBytes`: what the caller keeps
   * alive with it (the mock keeps the create's body for the media dialer), counted in the bound.
   */
  addStream(stream: StoredStream, extraBytes = 0): void {
    const call = this.callRecord(stream.account_sid, stream.call_sid);
    call.bySid.set(stream.sid, stream);
    if (stream.name !== null) call.byName.set(stream.name, stream);
    if (!this.bounded) return;
    this.kept.push(stream);
    this.keptCalls.push(call);
    const size = streamBytes(stream) + extraBytes;
    this.keptSizes.push(size);
    this.keptBytes += size;
    while (
      this.kept.length - this.oldestKept > 1 &&
      (this.kept.length - this.oldestKept > this.maxStreams || this.keptBytes > this.maxBytes)
    ) {
      const oldest = this.kept[this.oldestKept] as StoredStream;
      forgetStream(this.keptCalls[this.oldestKept] as CallRecord, oldest);
      this.keptBytes -= this.keptSizes[this.oldestKept] as number;
      this.kept[this.oldestKept] = undefined; // or the slot would keep it alive until the next compaction
      this.keptCalls[this.oldestKept] = undefined;
      this.oldestKept++;
    }
    // The forgotten slots are dropped once they are half the arrays: amortised O(1) per Stream.
    if (this.oldestKept > 1024 && this.oldestKept * 2 > this.kept.length) {
      this.kept = this.kept.slice(this.oldestKept);
      this.keptCalls = this.keptCalls.slice(this.oldestKept);
      this.keptSizes = this.keptSizes.slice(this.oldestKept);
      this.oldestKept = 0;
    }
  }

  /** The Stream of a call with this SID or, failing that, this name. */
  findStream(accountSid: string, callSid: string, sidOrName: string): StoredStream | undefined {
    const call = this.findCall(accountSid, callSid);
    return call?.bySid.get(sidOrName) ?? call?.byName.get(sidOrName);
  }

  /** The Streams the store still holds for a call. */
  streamsOf(accountSid: string, callSid: string): StoredStream[] {
    return [...(this.findCall(accountSid, callSid)?.bySid.values() ?? [])];
  }

  /** Whether a Stream in progress on this call already has this name. */
  nameInUse(accountSid: string, callSid: string, name: string): boolean {
    return this.findCall(accountSid, callSid)?.byName.get(name)?.status === "in-progress";
  }
}

/** What a stored Stream costs, roughly: its object and strings (the SIDs are shared, the name is not). */
function streamBytes(stream: StoredStream): number {
  return 256 + 2 * (stream.name?.length ?? 0);
}

/** Removes a Stream from its call, unless a newer one has taken its SID or name since. */
function forgetStream(call: CallRecord, stream: StoredStream): void {
  if (call.bySid.get(stream.sid) === stream) call.bySid.delete(stream.sid);
  if (stream.name !== null && call.byName.get(stream.name) === stream) call.byName.delete(stream.name);
}

/** The Stream resource of a stored Stream, as it goes on the wire. */
export function toResource(stream: StoredStream): Stream {
  const { sid, account_sid, call_sid, name, status, date_updated, uri } = stream;
  return { sid, account_sid, call_sid, name, status, date_updated, uri };
}
