/**
 * twilio-node sends to a regional host when a region or edge is set (`api.{edge}.{region}.twilio.com`,
 * from the client options or TWILIO_REGION/TWILIO_EDGE): the nock interceptors catch every host
 * shape, for twilio 5 and 6, with the network closed so that nothing can escape.
 */
import nock from "nock";
import twilio5 from "twilio";
import twilio6 from "twilio6";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { interceptStreams, type StreamInterceptors, TWILIO_API_HOSTS } from "../../src/nock/index.js";
import { ACCOUNT, CALL, TOKEN } from "./twilio-client.fixtures.js";

const CLIENTS = { "twilio 5": twilio5, "twilio 6": twilio6 } as const;
const PLACES: readonly { name: string; options: { region?: string; edge?: string }; host: string }[] = [
  { name: "no region", options: {}, host: "api.twilio.com" },
  { name: "region", options: { region: "au1" }, host: "api.au1.twilio.com" },
  { name: "edge and region", options: { edge: "sydney", region: "au1" }, host: "api.sydney.au1.twilio.com" },
  { name: "edge alone (region us1)", options: { edge: "ashburn" }, host: "api.ashburn.us1.twilio.com" },
];

let streams: StreamInterceptors;
const hosts: string[] = [];
const onRequest = (req: { host?: string; getHeader?: (name: string) => unknown }) =>
  hosts.push(String(req.getHeader?.("host") ?? req.host));
beforeAll(() => {
  nock.disableNetConnect();
  streams = interceptStreams({ seed: 4 });
  nock.emitter.on("no match", onRequest);
});
afterEach(() => {
  streams.reset();
  hosts.length = 0;
  delete process.env.TWILIO_REGION;
  delete process.env.TWILIO_EDGE;
});
afterAll(() => {
  nock.emitter.off("no match", onRequest);
  streams.remove();
  nock.enableNetConnect();
});

describe.each(Object.entries(CLIENTS))("%s through nock on every Twilio API host", (_, twilio) => {
  it.each(PLACES)("$name → $host (client options)", async ({ options }) => {
    const client = twilio(ACCOUNT, TOKEN, options);
    const stream = await client.calls(CALL).streams.create({ url: "wss://example.com/media" });
    expect(stream.sid).toMatch(/^MZ/);
    await client.calls(CALL).streams(stream.sid).update({ status: "stopped" });
    expect(streams.violations()).toEqual([]);
    expect(streams.requests()).toHaveLength(2);
    expect(hosts).toEqual([]);
  });

  it("TWILIO_REGION and TWILIO_EDGE from the environment", async () => {
    process.env.TWILIO_REGION = "ie1";
    process.env.TWILIO_EDGE = "dublin";
    const client = twilio(ACCOUNT, TOKEN);
    await client.calls(CALL).streams.create({ url: "wss://example.com/media" });
    expect(streams.requests()).toHaveLength(1);
    expect(streams.violations()).toEqual([]);
  });
});

describe("TWILIO_API_HOSTS", () => {
  it.each(PLACES.map((p) => p.host))("takes %s in each form nock tests", (host) => {
    for (const key of [host, `https://${host}:443`, `POST https://${host}/2010-04-01/Accounts`])
      expect(TWILIO_API_HOSTS.test(key), key).toBe(true);
  });

  it.each([
    "api.twilio.com.evil.example",
    "evilapi.twilio.com",
    "video.twilio.com",
    "api.a.b.c.twilio.com",
    "http://api.twilio.com:80",
    "api.twilio.community",
  ])("leaves %s alone", (host) => {
    expect(TWILIO_API_HOSTS.test(host)).toBe(false);
  });

  it("runs in linear time on hostile hostnames", () => {
    // A wrong answer, not a hang: 100,000 labels are read once each.
    expect(TWILIO_API_HOSTS.test(`api${".a".repeat(100_000)}.twilio.co`)).toBe(false);
  });
});
