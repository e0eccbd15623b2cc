/**
 * checkMediaSession against generated sessions: every valid session is accepted (whatever the
 * chunk counting), every broken one is caught at the tagged message for the tagged rule, and the
 * broken sessions reach every rule.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brokenMediaSession, invalidServerStreamMessage, invalidTwilioStreamMessage, mediaSession } from "../../src/arbitraries/index.js";
import type { MediaSessionRule } from "../../src/index.js";
import { acceptedSession, brokenWhereTagged } from "./_helpers/media-arbitraries.js";

const RULES: readonly MediaSessionRule[] = [
  "message",
  "connected-first",
  "start-once",
  "sequence-number",
  "chunk",
  "timestamp",
  "stream-sid",
  "media-track",
  "bidirectional-only",
  "tracks",
  "custom-parameters",
  "call-identity",
  "stop-last",
];

describe("checkMediaSession", () => {
  it("accepts every valid session: both kinds, both chunk countings, dtmf, marks, two tracks", () => {
    fc.assert(fc.property(mediaSession(), acceptedSession));
  });

  it("finds each tagged break at its tagged index", () => {
    fc.assert(fc.property(brokenMediaSession(), brokenWhereTagged));
    fc.assert(fc.property(brokenMediaSession({ kind: "bidirectional", maxEvents: 3 }), brokenWhereTagged));
  });

  it("the sessions reach what they promise", () => {
    const sessions = fc.sample(mediaSession(), 300);
    const events = new Set(sessions.flatMap((s) => s.messages.map((m) => m.event)));
    expect(events).toEqual(new Set(["connected", "start", "media", "dtmf", "mark", "stop"]));
    expect(sessions.some((s) => s.messages.some((m) => m.event === "start" && m.start.tracks.length === 2))).toBe(true);
    expect(new Set(fc.sample(brokenMediaSession(), 2000).map((s) => s.rule))).toEqual(new Set(RULES));
  });

  it("invalid messages cover every Twilio event and every server event", () => {
    const twilio = new Set(fc.sample(invalidTwilioStreamMessage(), 2000).map((s) => s.value.event));
    for (const event of ["connected", "start", "media", "dtmf", "mark", "stop"]) expect(twilio).toContain(event);
    // "a WAV file" is one reason in about 130 (0.8 %): 1,000 samples missed it with one seed (1634651763).
    const reasons = new Set(fc.sample(invalidServerStreamMessage(), 10_000).map((s) => s.reason));
    for (const reason of ["an extra field", "a WAV file (RIFF header)", "an event of the other direction or none at all"])
      expect(reasons).toContain(reason);
  });
});
