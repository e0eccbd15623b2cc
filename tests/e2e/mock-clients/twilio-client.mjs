// A client under test, as a team would write it: the real twilio client, pointed at
// TWILIO_API_BASE_URL when it is set. With `--broken` it sends JSON instead of a form; with
// `--no-url` it forgets the Url, which twilio-node refuses before sending anything.
import twilio from "twilio";

const base = process.env.TWILIO_API_BASE_URL;
const broken = process.argv.includes("--broken");
const noUrl = process.argv.includes("--no-url");

class BaseUrlClient extends twilio.RequestClient {
  request(opts) {
    const uri = base === undefined ? opts.uri : opts.uri.replace("https://api.twilio.com", base);
    const headers = broken ? { ...opts.headers, "Content-Type": "application/json" } : opts.headers;
    return super.request({ ...opts, uri, headers });
  }
}

async function main() {
  const client = twilio("AC0123456789abcdef0123456789abcdef", "client-token-0001", { httpClient: new BaseUrlClient() });
  const call = client.calls("CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  const stream = await call.streams.create(noUrl ? { name: "support" } : { url: "wss://example.com/media", name: "support" });
  await call.streams(stream.sid).update({ status: "stopped" });
  console.log(`created and stopped ${stream.sid}`);
}

main().catch((error) => {
  console.error(`client failed: ${error.message}`);
  process.exit(1);
});
