/**
 * The options that make `stream-contract mock` really stream (`--stream-media` and friends), and
 * reading a certificate or WAV file they name: read before the server starts, so that a typo is
 * a usage error at once.
 */
import type { MediaStreamingOptions } from "../dialer/dialer.js";
import { readWavAsMulaw } from "../dialer/wav.js";
import { UsageError } from "./exit.js";
import { readBytes } from "./input.js";

/** The options' parseArgs definitions. */
export const mediaOptions = {
  "stream-media": { type: "boolean", default: false },
  "media-pace": { type: "string" },
  audio: { type: "string" },
  "media-ca": { type: "string" },
  "allow-remote-hosts": { type: "boolean", default: false },
  "plain-ws-loopback": { type: "boolean", default: false },
} as const;

/** The options' help lines. */
export const MEDIA_HELP = `
Media Streams (off unless --stream-media; see docs/media-streams.md):
  --stream-media        dial each created Stream's Url and play it as Twilio would: a signed
                        upgrade, connected, start, 20 ms μ-law media frames, stop when the
                        Stream is stopped or its call ends (POST /__contract/end-call)
  --media-pace P        realtime (default: 20 ms of audio every 20 ms, looped) or fast (the
                        audio once, as fast as the server reads)
  --audio FILE.wav      stream this WAV file (any rate, PCM/float/A-law/μ-law) instead of a tone
                        (upgrades are signed with --auth-token, as status callbacks are)
  --media-ca FILE.pem   trust this CA for wss:// (NODE_EXTRA_CA_CERTS works too)
  --plain-ws-loopback   dial loopback wss:// Urls as plain ws:// (no certificate needed)
  --allow-remote-hosts  also dial hosts that are not loopback (default: only loopback hosts;
                        a Stream to another host is recorded as not dialled)`;

type MediaValues = { [K in keyof typeof mediaOptions]?: (typeof mediaOptions)[K]["type"] extends "boolean" ? boolean : string };

/** The streaming options, or undefined without --stream-media; a usage error for bad values. */
export async function readMediaOptions(values: MediaValues, authToken: string | undefined): Promise<MediaStreamingOptions | undefined> {
  if (values["stream-media"] !== true) {
    const stray = (["media-pace", "audio", "media-ca", "allow-remote-hosts", "plain-ws-loopback"] as const).find(
      (name) => values[name] !== undefined && values[name] !== false,
    );
    if (stray !== undefined) throw new UsageError(`--${stray} needs --stream-media`);
    return undefined;
  }
  const pace = values["media-pace"] ?? "realtime";
  if (pace !== "realtime" && pace !== "fast") throw new UsageError(`--media-pace must be realtime or fast, got ${JSON.stringify(pace)}`);
  let clip: Uint8Array | undefined;
  if (values.audio !== undefined) {
    const wav = readWavAsMulaw(await readBytes(values.audio, `--audio ${values.audio}`));
    if ("error" in wav) throw new UsageError(`--audio ${values.audio}: ${wav.error}`);
    if (wav.clip.length === 0) throw new UsageError(`--audio ${values.audio}: the file holds no audio`);
    clip = wav.clip;
  }
  const ca = values["media-ca"] === undefined ? undefined : await readBytes(values["media-ca"], `--media-ca ${values["media-ca"]}`);
  return {
    pace,
    ...(authToken === undefined || authToken === "" ? {} : { authToken }),
    ...(clip === undefined ? {} : { clip }),
    ...(ca === undefined ? {} : { ca }),
    allowRemoteHosts: values["allow-remote-hosts"] === true,
    plainLoopback: values["plain-ws-loopback"] === true,
  };
}
