// `ws` as the voice-agent sample sees it: the same WebSocket, except that the OpenAI Realtime
// API's address is the stub model's (STUB_MODEL_URL, a ws:// URL on 127.0.0.1).
import WebSocket from "ws";

const OPENAI = "wss://api.openai.com/";

export default class StubModelWebSocket extends WebSocket {
  constructor(address, ...rest) {
    const url = String(address);
    super(url.startsWith(OPENAI) ? `${process.env.STUB_MODEL_URL}/${url.slice(OPENAI.length)}` : url, ...rest);
  }
}
