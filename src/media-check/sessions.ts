/**
 * The sessions check-media-server plays: whole valid sessions as Twilio sends them, built by the
 * message producer (src/media/producer.ts). Unlike the general `mediaSession()` arbitrary, this
 * one shrinks only what can change a server's behaviour — how many frames, where the key
 * presses fall, the custom parameters — not the SIDs or the audio bytes: every shrinking step
 * is a whole session played over a socket, and a counterexample should come in seconds.
 *
 *     session = connected start *(media-frame / dtmf) stop        (dtmf on bidirectional Streams only)
 */
import fc from "fast-check";
import { dtmfDigit } from "../arbitraries/media-message.js";
import { sid } from "../arbitraries/sid.js";
import { track } from "../arbitraries/track.js";
import { frames, toneClip } from "../dialer/audio.js";
import { MediaMessageProducer } from "../media/producer.js";
import type { TwilioStreamMessage } from "../validators/generated/types.js";
import { startTracksOf } from "../validators/media-stream-start.js";

/** The audio of the frames: a tone (its pitch does not shrink; its bytes are not the point). */
const AUDIO = frames(toneClip({ frequencyHz: 440, durationMs: 400 }));

/**
 * Sessions of a unidirectional (REST-created) or bidirectional (`<Connect><Stream>`) Stream. With
 * `pressAfterAudio` (the barge-in check) every session has a key press right after a frame, while
 * the audio a server answers that frame with is still playing: a session without one would pass
 * that check having tested nothing.
 */
export function sessionsToPlay(bidirectional: boolean, pressAfterAudio = false): fc.Arbitrary<readonly TwilioStreamMessage[]> {
  const step = bidirectional
    ? fc.oneof({ weight: 4, arbitrary: fc.constant("media") }, { weight: 1, arbitrary: dtmfDigit() })
    : fc.constant("media");
  const steps =
    bidirectional && pressAfterAudio
      ? fc
          .tuple(fc.array(step, { maxLength: 10 }), dtmfDigit(), fc.array(step, { maxLength: 9 }))
          .map(([before, press, after]) => [...before, "media", press, ...after])
      : fc.array(step, { maxLength: 20 });
  return fc
    .record({
      // Lower-case hex, as Twilio issues SIDs: a valid but mixed-case one is never sent by Twilio.
      sids: fc.noShrink(
        fc.tuple(sid("account"), sid("call"), sid("stream")).map(([a, c, s]) => [twilioCase(a), twilioCase(c), twilioCase(s)] as const),
      ),
      track: track(),
      parameters: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      steps,
    })
    .map(({ sids: [accountSid, callSid, streamSid], track, parameters, steps }) => {
      const producer = new MediaMessageProducer({
        accountSid,
        callSid,
        streamSid,
        tracks: bidirectional ? ["inbound"] : startTracksOf(track),
        customParameters: parameters,
      });
      const messages: TwilioStreamMessage[] = [producer.connected(), producer.start()];
      let frame = 0;
      for (const step of steps) {
        if (step !== "media") messages.push(producer.dtmf(step));
        else for (const each of producer.tracks) messages.push(producer.media(each, AUDIO[frame++ % AUDIO.length]!));
      }
      messages.push(producer.stop());
      return messages;
    });
}

/** A SID as Twilio writes it: its two-letter prefix, then lower-case hex. */
function twilioCase(value: string): string {
  return value.slice(0, 2) + value.slice(2).toLowerCase();
}
