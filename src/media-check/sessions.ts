/**
 * The sessions check-media-server plays: whole valid sessions as Twilio sends them.
 * TEMPORARY until the media-schemas session arbitrary is merged.
 */
import fc from "fast-check";
import { sid } from "../arbitraries/sid.js";
import { track } from "../arbitraries/track.js";
import { MediaMessageProducer } from "../media/producer.js";
import type { TwilioStreamMessage } from "../validators/generated/types.js";
import { startTracksOf } from "../validators/media-stream-start.js";
import { toneClip, frames } from "../dialer/audio.js";

/** Sessions of a unidirectional (REST-created) or bidirectional Stream. */
export function sessionsToPlay(bidirectional: boolean): fc.Arbitrary<readonly TwilioStreamMessage[]> {
  return fc
    .record({
      accountSid: sid("account"),
      callSid: sid("call"),
      streamSid: sid("stream"),
      track: track(),
      parameters: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      frequency: fc.integer({ min: 200, max: 2000 }),
      steps: fc.array(bidirectional ? fc.oneof({ weight: 4, arbitrary: fc.constant("media") }, { weight: 1, arbitrary: fc.constantFrom(..."0123456789*#") }) : fc.constant("media"), { maxLength: 20 }),
    })
    .map(({ accountSid, callSid, streamSid, track, parameters, frequency, steps }) => {
      const producer = new MediaMessageProducer({ accountSid, callSid, streamSid, tracks: bidirectional ? ["inbound"] : startTracksOf(track), customParameters: parameters });
      const audio = frames(toneClip({ frequencyHz: frequency, durationMs: 400 }));
      const messages: TwilioStreamMessage[] = [producer.connected(), producer.start()];
      let n = 0;
      for (const step of steps) {
        if (step === "media") for (const t of producer.tracks) messages.push(producer.media(t, audio[n++ % audio.length]!));
        else messages.push(producer.dtmf(step));
      }
      messages.push(producer.stop());
      return messages;
    });
}
