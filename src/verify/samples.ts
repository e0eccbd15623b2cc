/**
 * The project's generators (src/arbitraries), narrowed to requests that can go on the wire:
 * a request sample without a path parameter, or with one the path has no place for, is a
 * schema-level sample only and is left out.
 */
import fc from "fast-check";
import {
  createStreamRequest,
  invalidCreateStreamRequest,
  invalidUpdateStreamRequest,
  type RequestSample,
} from "../arbitraries/requests.js";
import type { InvalidSample } from "../arbitraries/invalid-sample.js";
import { sid } from "../arbitraries/sid.js";
import { streamName } from "../arbitraries/stream.js";
import { isBlankName } from "./server-rules.js";

export type { RequestSample } from "../arbitraries/requests.js";
export type { InvalidSample } from "../arbitraries/invalid-sample.js";

const CREATE_PATH = ["AccountSid", "CallSid"] as const;
const UPDATE_PATH = ["AccountSid", "CallSid", "Sid"] as const;

function onTheWire(required: readonly string[]) {
  return (sample: InvalidSample<RequestSample>): boolean => {
    const names = Object.keys(sample.value.path);
    return required.every((name) => typeof sample.value.path[name] === "string") && names.every((name) => required.includes(name));
  };
}

/** A valid CreateStream body for the call `callSid` (the path's AccountSid is the run's). */
export interface CreateSample {
  readonly callSid: string;
  readonly body: Readonly<Record<string, string>>;
}

/** Names of only white space: valid (Name is any string) but rare from the generators; see the server rule blankName. */
const blankName = fc.string({ unit: fc.constantFrom(" ", "\t"), minLength: 1, maxLength: 3 });

/** Valid CreateStream requests; one in twenty with a blank Name. */
export function validCreate(): fc.Arbitrary<CreateSample> {
  const create = createStreamRequest().map((r) => ({ callSid: r.path.CallSid, body: r.body as unknown as Record<string, string> }));
  return fc.oneof(
    { weight: 19, arbitrary: create },
    { weight: 1, arbitrary: fc.tuple(create, blankName).map(([r, Name]) => ({ ...r, body: { ...r.body, Name } })) },
  );
}

/** CreateStream requests broken by one rule each (reason and pointer included). */
export function invalidCreate(): fc.Arbitrary<InvalidSample<RequestSample>> {
  return invalidCreateStreamRequest().filter(onTheWire(CREATE_PATH));
}

/** UpdateStream requests broken by one rule each. */
export function invalidUpdate(): fc.Arbitrary<InvalidSample<RequestSample>> {
  return invalidUpdateStreamRequest().filter(onTheWire(UPDATE_PATH));
}

/** A Stream in progress to set up through `a stream is in progress`. */
export interface StreamSample {
  readonly callSid: string;
  readonly streamSid: string;
  readonly name: string;
}

/** Streams to set up and then stop; not by a blank name, which a server may have read as none (the server rule blankName). */
export function streamInProgress(): fc.Arbitrary<StreamSample> {
  return fc.record({ callSid: sid("call"), streamSid: sid("stream"), name: streamName().filter((name) => !isBlankName(name)) });
}

/** Valid Stream SIDs. */
export function streamSid(): fc.Arbitrary<string> {
  return sid("stream");
}

/** Valid Account SIDs. */
export function accountSid(): fc.Arbitrary<string> {
  return sid("account");
}
