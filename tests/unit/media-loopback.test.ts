/**
 * A host allowed for being loopback is dialled (WebSocket) or called back (status callbacks) only
 * where its name resolves to loopback addresses: `evil.localhost` pointing elsewhere is refused.
 */
import type { LookupAddress } from "node:dns";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { isLoopbackAddress, loopbackLookup } from "../../src/status-callbacks/loopback.js";
import { sendCallback } from "../../src/status-callbacks/send.js";

/** A resolver that answers `addresses` for any name (the system's cannot be pointed elsewhere in a test). */
function resolver(addresses: LookupAddress[]) {
  return (_name: string, _options: unknown, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) =>
    callback(null, addresses);
}

function lookUp(lookup: ReturnType<typeof loopbackLookup>, name: string, all: boolean) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
    lookup(name, { all }, (error, address) => resolve({ error, address })),
  );
}

describe("isLoopbackAddress", () => {
  it("accepts 127.0.0.0/8, ::1 in any spelling and IPv4-mapped loopback; nothing else", () => {
    for (const address of ["127.0.0.1", "127.255.0.9", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::FFFF:7f00:1"])
      expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ["10.0.0.1", "128.0.0.1", "::2", "::", "::ffff:10.0.0.1", "fe80::1%eth0", "localhost", "", "1.127.0.0"])
      expect(isLoopbackAddress(address), address).toBe(false);
  });
});

describe("loopbackLookup", () => {
  it("refuses a name that resolves to any address that is not loopback", async () => {
    const lookup = loopbackLookup(
      resolver([
        { address: "127.0.0.1", family: 4 },
        { address: "10.0.0.1", family: 4 },
      ]),
    );
    const { error } = await lookUp(lookup, "evil.localhost", true);
    expect(error?.code).toBe("ERR_NOT_LOOPBACK");
    expect(error?.message).toBe("evil.localhost resolves to 10.0.0.1, not a loopback address: not dialled");
  });

  it("passes loopback answers through, in both of net's forms", async () => {
    const lookup = loopbackLookup(resolver([{ address: "::1", family: 6 }]));
    expect(await lookUp(lookup, "app.localhost", true)).toEqual({ error: null, address: [{ address: "::1", family: 6 }] });
    expect(await lookUp(lookup, "app.localhost", false)).toEqual({ error: null, address: "::1" });
  });

  it("resolves with the system's resolver by default: localhost is loopback", async () => {
    const { error, address } = await lookUp(loopbackLookup(), "localhost", true);
    expect(error).toBeNull();
    expect((address as LookupAddress[]).length).toBeGreaterThan(0);
  });

  it("a status callback to a loopback name goes through it", async () => {
    const server = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const request = { url: `http://localhost:${port}/status`, method: "POST" as const, headers: {}, body: "" };
      expect(await sendCallback(request, { timeoutMs: 10_000 })).toMatchObject({ status: 200 });
      const nowhere = { ...request, url: `http://nowhere.invalid.localhost:${port}/status` };
      expect(await sendCallback(nowhere, { timeoutMs: 10_000 })).toMatchObject({ failure: "error" });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
