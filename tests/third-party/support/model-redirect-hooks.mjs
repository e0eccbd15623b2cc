// Module hooks (see model-redirect.mjs): `ws`, imported by the sample's index.js, resolves to
// ws-to-stub-model.mjs; every other import (fastify's own `ws` included) is left alone.
const WRAPPER = new URL("./ws-to-stub-model.mjs", import.meta.url).href;
const SAMPLE = "/speech-assistant-openai-realtime-api-node/";

export async function resolve(specifier, context, next) {
  if (specifier === "ws" && context.parentURL?.includes(SAMPLE)) return { url: WRAPPER, shortCircuit: true };
  return next(specifier, context);
}
