/**
 * `verify --callbacks`: the reference provider's callbacks pass; servers that never call back,
 * call back unsigned, or send stream-stopped before stream-started each fail, with a clear message.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { StreamLifecycleEvent } from "../../src/engine/stream-events.js";
import { startReferenceProvider, type ReferenceProvider } from "../../src/provider/index.js";
import { signedStatusCallback, statusCallbackParams } from "../../src/status-callbacks/request.js";
import { sendCallback } from "../../src/status-callbacks/send.js";
import { runVerify } from "../../src/verify/run.js";
import { renderSummary } from "../../src/verify/summary.js";

const open: ReferenceProvider[] = [];
afterEach(async () => {
  for (const provider of open.splice(0)) await provider.close();
});

/** Sends one event's callback as a broken server would: `unsigned` drops the signature. */
function send(event: StreamLifecycleEvent, unsigned = false): Promise<unknown> {
  const target = event.statusCallback!;
  const request = signedStatusCallback(
    target.url,
    target.method,
    statusCallbackParams(event) as unknown as Record<string, string>,
    target.authToken,
  );
  const headers = { ...request.headers };
  if (unsigned) delete headers["X-Twilio-Signature"];
  return sendCallback({ ...request, headers }, { timeoutMs: 2000 });
}

/**
 * verify --callbacks against a provider whose callbacks `onStreamEvent` sends. `callbackWaitMs`:
 * how long verify waits for a callback — short only where none comes, generous where they do (a
 * loaded machine delivers them late).
 */
async function verifyCallbacksOf(onStreamEvent?: (event: StreamLifecycleEvent) => void, callbackWaitMs = 10_000) {
  const provider = await startReferenceProvider({
    authToken: "provider-token-3456",
    ...(onStreamEvent === undefined ? {} : { onStreamEvent }),
  });
  open.push(provider);
  const report = await runVerify({
    baseUrl: provider.baseUrl,
    statesUrl: provider.statesUrl,
    accountSid: provider.accountSid,
    authToken: provider.authToken,
    skipPact: true,
    only: "callbacks",
    callbacks: true,
    callbackWaitMs,
    seed: 1,
  });
  const failed = report.outcomes.filter((o) => o.status === "failed");
  return {
    report,
    failed: failed.map((o) => o.name),
    messages: failed.flatMap((o) => o.failures.map((f) => f.message)).join("\n"),
    summary: renderSummary(report),
  };
}

describe("verify --callbacks", () => {
  it("the reference provider calls back right: every callback check passes", async () => {
    const report = await runVerify({ callbacks: true, skipPact: true, only: "callbacks", seed: 3 });
    expect(report.outcomes.map((o) => [o.name, o.status])).toEqual([
      ["callbacks › stream-started after CreateStream", "passed"],
      ["callbacks › stream-stopped after UpdateStream by SID", "passed"],
      ["callbacks › stream-stopped after UpdateStream by name", "passed"],
      ["callbacks › stream-started before stream-stopped", "passed"],
      ["callbacks › signed with the account's auth token (X-Twilio-Signature)", "passed"],
      ["callbacks › sent with the StatusCallbackMethod asked for", "passed"],
      ["callbacks › parameters follow the schema and match the Stream", "passed"],
    ]);
    expect(renderSummary(report)).toContain("Status callbacks");
  });

  it("a server that never calls back", async () => {
    const { failed, messages } = await verifyCallbacksOf(undefined, 600);
    expect(failed).toEqual([
      "callbacks › stream-started after CreateStream",
      "callbacks › stream-stopped after UpdateStream by SID",
      "callbacks › stream-stopped after UpdateStream by name",
    ]);
    expect(messages).toContain("no stream-started arrived (waited 600 ms); got no callback at all");
  });

  it("a server that calls back unsigned", async () => {
    const { failed, messages } = await verifyCallbacksOf((event) => void (event.statusCallback && send(event, true)));
    expect(failed).toEqual(["callbacks › signed with the account's auth token (X-Twilio-Signature)"]);
    expect(messages).toContain("is unsigned: no X-Twilio-Signature header");
  });

  it("a server that sends stream-stopped before stream-started", async () => {
    const held = new Map<string, StreamLifecycleEvent>();
    const { failed, messages } = await verifyCallbacksOf((event) => {
      if (event.statusCallback === undefined) return;
      if (event.event === "stream-started") return void held.set(event.streamSid, event);
      void send(event).then(() => {
        const started = held.get(event.streamSid);
        return started === undefined ? undefined : send(started);
      });
    });
    expect(failed).toEqual(["callbacks › stream-started before stream-stopped"]);
    expect(messages).toContain("stream-stopped arrived before stream-started");
  });
});
