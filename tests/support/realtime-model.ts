/**
 * A stub of the speech model a voice agent relays the call to: the part of the OpenAI Realtime
 * API that Twilio's voice-agent sample (tests/third-party/speech-assistant-openai-realtime-api-node)
 * uses, on 127.0.0.1. It takes `input_audio_buffer.append` (base64 μ-law), detects speech by its
 * energy as `server_vad` does (`input_audio_buffer.speech_started` when the caller starts, even
 * over an answer — the model then stops answering; `speech_stopped` after SILENCE_MS of quiet),
 * and answers each utterance after `latencyMs`: `response.output_audio.delta` pieces of μ-law,
 * sent faster than real time as the real API sends them, then `response.done`.
 *
 * A stub, not a copy of the API: the events and fields are the ones the sample reads.
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { decodeMulaw } from "../../src/dialer/audio.js";
import { answerAudio } from "./voice-agent.js";

export interface RealtimeModelOptions {
  /** From the end of the caller's utterance to the first audio (default 200 ms). */
  readonly latencyMs?: number;
  /** Length of each answer (default 2000 ms). */
  readonly answerMs?: number;
}

/** What the model saw, per session (a call of the agent). */
interface ModelSession {
  readonly events: string[];
  utterances: number;
  answers: number;
  interrupted: number;
}

export interface RealtimeModel {
  /** `ws://127.0.0.1:<port>`: the sample's STUB_MODEL_URL. */
  readonly url: string;
  readonly sessions: ModelSession[];
  close(): Promise<void>;
}

/** Mean absolute sample above which a 20 ms frame is speech (the bundled speech is far above). */
const SPEECH_LEVEL = 300;
/** Quiet after speech that ends an utterance (server_vad's silence_duration_ms). */
const SILENCE_MS = 500;
/** Each delta's audio, and how often one is sent: four times faster than real time. */
const DELTA_MS = 100;
const DELTA_EVERY_MS = 25;

export async function startRealtimeModel(options: RealtimeModelOptions = {}): Promise<RealtimeModel> {
  const { latencyMs = 200, answerMs = 2000 } = options;
  const audio = answerAudio(answerMs);
  const sessions: ModelSession[] = [];
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));

  server.on("connection", (socket: WebSocket) => {
    const session: ModelSession = { events: [], utterances: 0, answers: 0, interrupted: 0 };
    sessions.push(session);
    let speaking = false;
    let quietMs = 0;
    let items = 0;
    /** The answer being streamed, if any. */
    let answering: NodeJS.Timeout | undefined;
    const send = (event: object) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(event));
    send({ type: "session.created", event_id: "event_0", session: { type: "realtime" } });

    const answer = () => {
      const itemId = `item_${++items}`;
      session.answers++;
      send({ type: "response.created", response: { id: `resp_${items}`, status: "in_progress" } });
      let at = 0;
      const piece = () => {
        if (at >= audio.length) {
          answering = undefined;
          send({ type: "response.output_audio.done", item_id: itemId });
          send({ type: "response.done", response: { id: `resp_${items}`, status: "completed" } });
          return;
        }
        const delta = Buffer.from(audio.subarray(at, at + DELTA_MS * 8)).toString("base64");
        at += DELTA_MS * 8;
        send({ type: "response.output_audio.delta", response_id: `resp_${items}`, item_id: itemId, delta });
        answering = setTimeout(piece, DELTA_EVERY_MS);
      };
      answering = setTimeout(piece, latencyMs);
    };

    socket.on("message", (data) => {
      let event: { type?: string; audio?: string };
      try {
        event = JSON.parse(String(data)) as typeof event;
      } catch {
        return send({ type: "error", error: { type: "invalid_request_error", message: "not JSON" } });
      }
      if (event.type !== "input_audio_buffer.append") session.events.push(String(event.type));
      if (event.type === "session.update") return send({ type: "session.updated", session: { type: "realtime" } });
      if (event.type !== "input_audio_buffer.append" || typeof event.audio !== "string") return;
      const samples = decodeMulaw(Buffer.from(event.audio, "base64"));
      let sum = 0;
      for (const sample of samples) sum += Math.abs(sample);
      const speech = samples.length > 0 && sum / samples.length > SPEECH_LEVEL;
      if (speech && !speaking) {
        speaking = true;
        if (answering !== undefined) {
          // Speech over the answer: the model stops it (server_vad's interrupt_response).
          clearTimeout(answering);
          answering = undefined;
          session.interrupted++;
        }
        send({ type: "input_audio_buffer.speech_started", item_id: `item_${items + 1}` });
      }
      quietMs = speech ? 0 : quietMs + samples.length / 8;
      if (speaking && quietMs >= SILENCE_MS) {
        speaking = false;
        session.utterances++;
        send({ type: "input_audio_buffer.speech_stopped" });
        send({ type: "input_audio_buffer.committed" });
        answer();
      }
    });
    socket.on("close", () => clearTimeout(answering));
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
