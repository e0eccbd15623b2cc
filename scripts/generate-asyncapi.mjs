#!/usr/bin/env node
// Writes asyncapi/media-streams.yaml, an AsyncAPI 3 document of the Media Streams protocol, from
// schemas/ (Twilio publishes none). The document describes YOUR WebSocket server: it receives
// Twilio's messages and, on a bidirectional stream, sends media, mark and clear.
//
// Committed, so it can be read and linked without a build; `npm test` fails when it differs from
// what this script writes (tests/unit/asyncapi.test.ts), and `node scripts/generate-asyncapi.mjs`
// rewrites it (`--stdout` prints it instead). Each message schema is inlined whole (shared rules of common.schema.json and the
// counters merged in), so the document stands alone.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ASYNCAPI_FILE = path.join(root, "asyncapi/media-streams.yaml");

const read = (file) => JSON.parse(fs.readFileSync(path.join(root, "schemas", file), "utf8"));

/** A schema with every `$ref` replaced by its target (the use site's own keywords win). */
function inline(node, file, schemas) {
  if (Array.isArray(node)) return node.map((n) => inline(n, file, schemas));
  if (node === null || typeof node !== "object") return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== "$ref") out[key] = inline(value, file, schemas);
  }
  if (typeof node.$ref !== "string") return out;
  const [target, pointer] = node.$ref.split("#");
  const targetFile = target || file;
  const def = pointer
    .split("/")
    .slice(1)
    .reduce((n, k) => n[k], schemas[targetFile]);
  return { ...inline(def, targetFile, schemas), ...out };
}

/** `media` → `Media`. */
const capital = (word) => word[0].toUpperCase() + word.slice(1);

/** The AsyncAPI 3 document, as a plain object. */
export function asyncApiDocument() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const schemas = Object.fromEntries(
    ["common.schema.json", "twilio-media-message.schema.json", "server-media-message.schema.json"].map((file) => [file, read(file)]),
  );
  const messages = {};
  const componentSchemas = {};
  const sides = [
    ["twilio-media-message.schema.json", "Twilio"],
    ["server-media-message.schema.json", "Server"],
  ];
  const byside = {};
  for (const [file, side] of sides) {
    byside[side] = [];
    // The messages of a direction: the branches of its schema's oneOf, each a $defs entry named by its event.
    for (const event of schemas[file].oneOf.map(({ $ref }) => $ref.slice("#/$defs/".length))) {
      const name = `${side.toLowerCase()}${capital(event)}`;
      const schema = inline(schemas[file].$defs[event], file, schemas);
      const { title, description, examples = [] } = schema;
      componentSchemas[`${side}${capital(event)}Message`] = schema;
      messages[name] = {
        name: event,
        title,
        summary: description,
        contentType: "application/json",
        payload: { $ref: `#/components/schemas/${side}${capital(event)}Message` },
        examples: examples.map((example, k) => ({ name: `${name}Example${k + 1}`, payload: example })),
      };
      byside[side].push(name);
    }
  }
  const ref = (name) => ({ $ref: `#/channels/mediaStream/messages/${name}` });
  return {
    asyncapi: "3.1.0",
    info: {
      title: "Twilio Media Streams",
      version: pkg.version,
      description:
        "The WebSocket protocol Twilio speaks to the server at a Media Stream's `Url` (generated from schemas/ of twilio-stream-contract; " +
        "Twilio publishes no AsyncAPI document). Twilio dials the server over wss:// with an `X-Twilio-Signature` header, then sends " +
        "`connected`, `start`, `media` … and `stop` as JSON text frames. On a bidirectional stream (`<Connect><Stream>`) the server " +
        "may send `media`, `mark` and `clear`.",
      license: { name: pkg.license },
    },
    servers: {
      yourServer: {
        host: "example.com",
        protocol: "wss",
        pathname: "/media",
        description: "Your WebSocket server: the `Url` of CreateStream or `<Stream url>`, dialled by Twilio.",
      },
    },
    channels: {
      mediaStream: {
        address: "/media",
        title: "One Media Stream",
        description: "One WebSocket connection per Media Stream. JSON text frames only; binary frames are refused (Twilio error 31950).",
        servers: [{ $ref: "#/servers/yourServer" }],
        messages: Object.fromEntries(Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }])),
      },
    },
    operations: {
      receiveFromTwilio: {
        action: "receive",
        title: "Receive the stream from Twilio",
        summary: "connected first, start once (sequenceNumber 1), then media / dtmf / mark with sequenceNumber +1 each, stop last.",
        channel: { $ref: "#/channels/mediaStream" },
        messages: byside.Twilio.map(ref),
      },
      sendToTwilio: {
        action: "send",
        title: "Send audio, marks and clear to Twilio (bidirectional streams only)",
        summary:
          "Nothing may be sent on a unidirectional stream; a wrong streamSid, an unknown event or an extra field is Twilio error 31951.",
        channel: { $ref: "#/channels/mediaStream" },
        messages: byside.Server.map(ref),
      },
    },
    components: { messages, schemas: componentSchemas },
  };
}

/** The document as written to asyncapi/media-streams.yaml. */
export function asyncApiText() {
  return `# Generated by scripts/generate-asyncapi.mjs from schemas/. Do not edit.\n${YAML.stringify(asyncApiDocument(), { lineWidth: 0 })}`;
}

if (process.argv.includes("--stdout")) {
  process.stdout.write(asyncApiText());
} else {
  fs.mkdirSync(path.dirname(ASYNCAPI_FILE), { recursive: true });
  fs.writeFileSync(ASYNCAPI_FILE, asyncApiText());
  console.error(`wrote ${path.relative(root, ASYNCAPI_FILE)}`);
}
