/* global fetch */
// A client that exercises every part of the Streams REST contract the mock counts (contract
// coverage, src/contract/coverage.ts), with the real twilio client: each operation, each
// optional parameter and value, each kind of answer (faults set over the mock's control
// endpoint) and each status callback event (its own receiver answers 200). With `--no-stop` it
// never stops a Stream.
import { createServer } from "node:http";
import twilio from "twilio";

const base = process.env.TWILIO_API_BASE_URL;
const noStop = process.argv.includes("--no-stop");
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const CALL = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

class BaseUrlClient extends twilio.RequestClient {
  request(opts) {
    return super.request({ ...opts, uri: opts.uri.replace("https://api.twilio.com", base) });
  }
}

const control = (path, method, body) =>
  fetch(`${base}/__contract/${path}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

async function main() {
  const receiver = createServer((req, res) => req.resume().on("end", () => res.end("ok")));
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const callbackUrl = `http://127.0.0.1:${receiver.address().port}/status`;
  const call = twilio(ACCOUNT, "client-token-0001", { httpClient: new BaseUrlClient() }).calls(CALL);
  const url = "wss://example.com/media";

  const bySid = await call.streams.create({ url, track: "inbound_track", statusCallback: callbackUrl, statusCallbackMethod: "GET" });
  await call.streams.create({ url, name: "support", track: "outbound_track", statusCallback: callbackUrl, statusCallbackMethod: "POST" });
  const failing = await call.streams.create({
    url,
    track: "both_tracks",
    "parameter1.name": "customer",
    "parameter1.value": "42",
    statusCallback: callbackUrl,
  });
  if (!noStop) {
    await call.streams(bySid.sid).update({ status: "stopped" });
    await call.streams("support").update({ status: "stopped" });
  }
  await control("fail-stream", "POST", { accountSid: ACCOUNT, callSid: CALL, sid: failing.sid, error: "the media server went away" });

  // Each kind of answer, once: the client must survive each.
  for (const fault of [{ status: 400 }, { status: 429, retryAfter: 1 }, { status: 503 }, { connection: "reset" }]) {
    await control("fault", "POST", { ...fault, times: 1 });
    await call.streams.create({ url }).then(
      () => Promise.reject(new Error(`no error for ${JSON.stringify(fault)}`)),
      () => undefined,
    );
  }
  await fetch(`${base}/__contract/callbacks`); // waits for the callbacks under way
  receiver.close();
}

main().catch((error) => {
  console.error(`client failed: ${error.message}`);
  process.exit(1);
});
