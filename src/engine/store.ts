/**
 * The in-memory state behind the rule engine: which calls are in progress and their Streams.
 * Streams are kept per call, found by SID or by name.
 */
import type { Stream } from "../validators/generated/types.js";

/** A Stream as the store holds it. */
export interface StoredStream {
  readonly sid: string;
  readonly account_sid: string;
  readonly call_sid: string;
  readonly name: string | null;
  status: "in-progress" | "stopped";
  date_updated: string;
  readonly uri: string;
}

interface CallRecord {
  readonly bySid: Map<string, StoredStream>;
  /**
   * Name → the Stream that name stops: the one in progress, else the latest stopped one. A name
   * can only be given again once its Stream is stopped, so the newest Stream always wins.
   */
  readonly byName: Map<string, StoredStream>;
}

const callKey = (accountSid: string, callSid: string): string => `${accountSid}/${callSid}`;

/** Calls and their Streams. */
export class StreamStore {
  private readonly calls = new Map<string, CallRecord>();

  /** @param maxCalls - beyond this many calls, the oldest is forgotten (the mock's memory stays bounded). */
  constructor(private readonly maxCalls = Number.POSITIVE_INFINITY) {}

  /** Starts a call (a no-op when it is already in progress). */
  addCall(accountSid: string, callSid: string): void {
    const key = callKey(accountSid, callSid);
    if (this.calls.has(key)) return;
    if (this.calls.size >= this.maxCalls) {
      const oldest = this.calls.keys().next().value;
      if (oldest !== undefined) this.calls.delete(oldest);
    }
    this.calls.set(key, { bySid: new Map(), byName: new Map() });
  }

  /** Ends a call and forgets its Streams. */
  removeCall(accountSid: string, callSid: string): void {
    this.calls.delete(callKey(accountSid, callSid));
  }

  hasCall(accountSid: string, callSid: string): boolean {
    return this.calls.has(callKey(accountSid, callSid));
  }

  /** Adds a Stream to a call, starting the call if needed. */
  addStream(stream: StoredStream): void {
    this.addCall(stream.account_sid, stream.call_sid);
    const call = this.calls.get(callKey(stream.account_sid, stream.call_sid));
    call?.bySid.set(stream.sid, stream);
    if (stream.name !== null) call?.byName.set(stream.name, stream);
  }

  /** The Stream of a call with this SID or, failing that, this name. */
  findStream(accountSid: string, callSid: string, sidOrName: string): StoredStream | undefined {
    const call = this.calls.get(callKey(accountSid, callSid));
    return call?.bySid.get(sidOrName) ?? call?.byName.get(sidOrName);
  }

  /** Whether a Stream in progress on this call already has this name. */
  nameInUse(accountSid: string, callSid: string, name: string): boolean {
    return this.calls.get(callKey(accountSid, callSid))?.byName.get(name)?.status === "in-progress";
  }
}

/** The Stream resource of a stored Stream, as it goes on the wire. */
export function toResource(stream: StoredStream): Stream {
  const { sid, account_sid, call_sid, name, status, date_updated, uri } = stream;
  return { sid, account_sid, call_sid, name, status, date_updated, uri };
}
