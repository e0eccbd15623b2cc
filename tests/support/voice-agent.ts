/**
 * A voice-agent-like Media Streams server, modeled on the servers voice teams run (Twilio's
 * samples relaying audio to a speech model): it checks the upgrade's signature with Twilio's own
 * library (as the media test servers do), detects the caller's speech by its energy (a voice
 * activity detector), relays each utterance to a stub model that answers after ~200 ms, and
 * streams the answer back in 100 ms pieces, paced to real time with a small lead, a named mark
 * after each piece. When the caller speaks over the answer it sends `clear` and forgets its
 * pending marks (barge-in).
 *
 * Each bug is one line of a real server gone wrong.
 */
import type { WebSocket } from "ws";
import { decodeMulaw, encodeMulaw } from "../../src/dialer/audio.js";
import { type MediaTestServer, startMediaTestServer } from "./media-server.js";
import { signedByTwilio, WAV_HEADER } from "./media-servers.js";

export type VoiceAgentBug =
  /** Keeps talking when the caller speaks over it: no clear. */
  | "ignores-barge-in"
  /** Clears, but keeps its pending marks and takes the echoes a clear sends back for stale: it never speaks again. */
  | "stale-marks"
  /** Sends the whole answer at once, ten times faster than real time, with no mark. */
  | "floods-audio"
  /** Keeps the first call's session (its streamSid) for every later call. */
  | "inherits-state"
  /** Each answer starts with a WAV file header. */
  | "wav-headers"
  /** Marks without a name (Twilio's 31951). */
  | "nameless-marks";

export interface VoiceAgentOptions {
  readonly token: string;
  readonly bug?: VoiceAgentBug;
  /** The stub model's latency (default 200 ms). */
  readonly latencyMs?: number;
  /** Length of each answer (default 2000 ms). */
  readonly answerMs?: number;
}

/** What the agent saw, per call. */
export interface AgentCall {
  answers: number;
  clears: number;
  readonly marksSent: string[];
  readonly marksEchoed: string[];
}

const PIECE_MS = 100;
/** Mean absolute sample of a speech frame (the bundled speech is far above, silence is 0). */
const SPEECH_LEVEL = 300;
/** Frames of speech that start an utterance, and of silence that end one. */
const SPEECH_START_FRAMES = 2;
const SPEECH_END_FRAMES = 15;
/** How far ahead of real time the agent sends its audio. */
const LEAD_MS = 200;

/** A 2-tone "voice" as μ-law: what the stub model says. */
export function answerAudio(ms: number): Uint8Array {
  const samples = new Int16Array(ms * 8);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 220 * i) / 8000) + 3000 * Math.sin((2 * Math.PI * 330 * i) / 8000));
  return encodeMulaw(samples);
}

export async function startVoiceAgent(options: VoiceAgentOptions): Promise<MediaTestServer & { readonly calls: AgentCall[] }> {
  const { token, bug, latencyMs = 200, answerMs = 2000 } = options;
  const calls: AgentCall[] = [];
  const sessions = new WeakMap<WebSocket, Session>();
  let firstSession: Session | undefined;
  const audio = answerAudio(answerMs);

  interface Session {
    streamSid: string;
    readonly call: AgentCall;
    speechFrames: number;
    silentFrames: number;
    inUtterance: boolean;
    /** Marks sent and not echoed: the agent's own idea of whether its audio still plays. */
    pending: Set<string>;
    /** Timers of the answer being streamed (cancelled on barge-in). */
    timers: NodeJS.Timeout[];
    /** Echoes arriving after a clear are ignored (the stale-marks bug). */
    ignoringEchoes: boolean;
  }

  const server = await startMediaTestServer({
    accept: (request) => signedByTwilio(request, token),
    behave: (socket, message) => {
      const m = message as {
        event?: string;
        streamSid?: string;
        start?: { streamSid: string };
        media?: { payload: string };
        mark?: { name: string };
      };
      if (m.event === "start" && m.start !== undefined) {
        const call: AgentCall = { answers: 0, clears: 0, marksSent: [], marksEchoed: [] };
        calls.push(call);
        const fresh: Session = {
          streamSid: m.start.streamSid,
          call,
          speechFrames: 0,
          silentFrames: 0,
          inUtterance: false,
          pending: new Set(),
          timers: [],
          ignoringEchoes: false,
        };
        const session =
          bug === "inherits-state" && firstSession !== undefined
            ? { ...firstSession, call, pending: new Set<string>(), timers: [] }
            : fresh;
        firstSession ??= session;
        sessions.set(socket, session);
        return;
      }
      const session = sessions.get(socket);
      if (session === undefined) return;
      const send = (payload: object) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ ...payload, streamSid: session.streamSid }));
      };
      if (m.event === "mark" && m.mark !== undefined) {
        session.call.marksEchoed.push(m.mark.name);
        if (!session.ignoringEchoes) session.pending.delete(m.mark.name);
        return;
      }
      if (m.event === "stop") {
        for (const timer of session.timers) clearTimeout(timer);
        return;
      }
      if (m.event !== "media" || m.media === undefined) return;
      // Voice activity: the frame's mean absolute sample.
      const samples = decodeMulaw(Buffer.from(m.media.payload, "base64"));
      let sum = 0;
      for (const s of samples) sum += Math.abs(s);
      const speech = sum / samples.length > SPEECH_LEVEL;
      session.speechFrames = speech ? session.speechFrames + 1 : 0;
      session.silentFrames = speech ? 0 : session.silentFrames + 1;
      if (!session.inUtterance && session.speechFrames >= SPEECH_START_FRAMES) {
        session.inUtterance = true;
        const speaking = session.pending.size > 0 || session.timers.length > 0;
        if (speaking && bug !== "ignores-barge-in") {
          // Barge-in: stop the model's answer, clear Twilio's buffer, forget the marks.
          for (const timer of session.timers.splice(0)) clearTimeout(timer);
          send({ event: "clear" });
          session.call.clears++;
          if (bug === "stale-marks") session.ignoringEchoes = true;
          else session.pending.clear();
        }
      } else if (session.inUtterance && session.silentFrames >= SPEECH_END_FRAMES) {
        session.inUtterance = false;
        if (session.pending.size > 0) return; // still speaking, as far as it knows: no new answer
        // The utterance goes to the model, which answers after its latency.
        const answer = ++session.call.answers;
        session.timers.push(setTimeout(() => stream(session, send, answer), latencyMs));
      }
    },
  });

  /** Streams one answer: 100 ms pieces, LEAD_MS ahead of real time, a mark after each. */
  function stream(session: Session, send: (payload: object) => void, answer: number): void {
    session.timers = [];
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < audio.length; at += PIECE_MS * 8) pieces.push(audio.subarray(at, at + PIECE_MS * 8));
    const begun = performance.now();
    pieces.forEach((piece, index) => {
      const fast = bug === "floods-audio";
      const due = fast ? (index * PIECE_MS) / 10 : Math.max(0, index * PIECE_MS - LEAD_MS);
      session.timers.push(
        setTimeout(
          () => {
            const header = bug === "wav-headers" && index === 0 ? WAV_HEADER : Buffer.alloc(0);
            send({ event: "media", media: { payload: Buffer.concat([header, piece]).toString("base64") } });
            if (fast) return;
            const name = `answer-${answer}-piece-${index + 1}`;
            session.pending.add(name);
            session.call.marksSent.push(name);
            send(bug === "nameless-marks" ? { event: "mark" } : { event: "mark", mark: { name } });
          },
          Math.max(0, due - (performance.now() - begun)),
        ),
      );
    });
    // The answer is sent: the timers are done (what plays is tracked by the marks).
    session.timers.push(setTimeout(() => (session.timers = []), (pieces.length * PIECE_MS) / (bug === "floods-audio" ? 10 : 1)));
  }

  return { ...server, calls };
}
