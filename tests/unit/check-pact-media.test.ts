import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkPact } from "../../src/broker/check-pact.js";

const pact = () =>
  JSON.parse(readFileSync(new URL("../../contracts/media-stream-server-twilio-media-stream.json", import.meta.url), "utf8")) as {
    interactions: { type: string; contents: { content: Record<string, unknown> } }[];
  };

describe("publish's checks of a Media Streams message pact", () => {
  it("accept the committed message contract", () => {
    expect(checkPact(pact()).problems).toEqual([]);
  });

  it("refuse a message that breaks the schema: a number for a counter, inbound on dtmf", () => {
    const broken = pact();
    const media = broken.interactions.find((i) => i.contents.content.event === "media")!;
    media.contents.content.sequenceNumber = 3;
    const dtmf = broken.interactions.find((i) => i.contents.content.event === "dtmf")!;
    dtmf.contents.content.dtmf = { track: "inbound", digit: "1" };
    const { problems } = checkPact(broken);
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toContain("message /sequenceNumber must be of type string");
    expect(problems.join("\n")).toContain("message /dtmf/track");
  });

  it("still refuse other interaction types", () => {
    const other = pact();
    other.interactions[0]!.type = "Synchronous/Messages";
    expect(checkPact(other).problems[0]).toContain('type is "Synchronous/Messages"');
  });
});
