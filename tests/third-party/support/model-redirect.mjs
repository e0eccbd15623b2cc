// Preloaded into the voice-agent sample (`node --import`): its connection to the OpenAI Realtime
// API goes to the stub model at STUB_MODEL_URL instead (no network, no key). The sample's code is
// unchanged: only the module it gets for `ws` is a WebSocket that rewrites that one address.
import { register } from "node:module";

register("./model-redirect-hooks.mjs", import.meta.url);
