/**
 * A Pact Broker on 127.0.0.1 implementing what `publish` uses: the HAL index (`GET /`) and
 * `POST /contracts/publish` (`pb:publish-contracts`). It checks requests the way the broker
 * does (required fields, base64 content that parses, names matching the pact), records every
 * publication with its decoded pacts, and can be told to fail.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One accepted publication, with each contract's content decoded. */
export interface ReceivedPublication {
  readonly body: Record<string, unknown>;
  readonly pacts: readonly { consumerName: string; providerName: string; pact: Record<string, unknown> }[];
}

/** A request as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
}

/** How the next requests fail; each fault applies `times` times (default 1), then is used up. */
export type BrokerFault =
  | { readonly kind: "status"; readonly status: number; readonly body?: unknown; readonly times?: number }
  | { readonly kind: "slow"; readonly delayMs: number; readonly times?: number }
  | { readonly kind: "reset"; readonly times?: number };

export interface BrokerServerOptions {
  /** Accepted credentials; without any, every request is accepted. */
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
  /** Leave `pb:publish-contracts` out of the index (a broker older than 2.86). */
  readonly withoutPublishRelation?: boolean;
}

export interface BrokerServer {
  readonly url: string;
  readonly publications: ReceivedPublication[];
  readonly requests: ReceivedRequest[];
  /** Queues a fault for the next publish POSTs (`on: "index"` for GET /). */
  fail(fault: BrokerFault, on?: "publish" | "index"): void;
  close(): Promise<void>;
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startBrokerServer(options: BrokerServerOptions = {}): Promise<BrokerServer> {
  const faults: Record<"publish" | "index", { fault: BrokerFault; left: number }[]> = { publish: [], index: [] };
  const publications: ReceivedPublication[] = [];
  const requests: ReceivedRequest[] = [];
  let base = "";

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
    const endpoint = req.method === "GET" && req.url === "/" ? "index" : req.method === "POST" && req.url === "/contracts/publish" ? "publish" : undefined;
    if (endpoint === undefined) return send(res, 404, { error: `no route ${req.method} ${req.url}` });
    const queued = faults[endpoint][0];
    if (queued !== undefined) {
      if (--queued.left <= 0) faults[endpoint].shift();
      const { fault } = queued;
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.kind === "status") return send(res, fault.status, fault.body ?? { error: `injected ${fault.status}` });
    }
    if (!authorized(req.headers.authorization)) return send(res, 401, { error: "Authentication required" });
    if (endpoint === "index") {
      const links: Record<string, unknown> = { self: { href: base } };
      if (!options.withoutPublishRelation) links["pb:publish-contracts"] = { href: `${base}/contracts/publish`, title: "Publish contracts" };
      return send(res, 200, { _links: links }, "application/hal+json");
    }
    return publish(body, res);
  }

  function authorized(header: string | undefined): boolean {
    if (options.token !== undefined) return header === `Bearer ${options.token}`;
    if (options.username !== undefined) return header === `Basic ${Buffer.from(`${options.username}:${options.password ?? ""}`).toString("base64")}`;
    return true;
  }

  function publish(text: string, res: ServerResponse): void {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return send(res, 400, { errors: { body: ["is not valid JSON"] } });
    }
    const errors: Record<string, string[]> = {};
    const add = (field: string, message: string) => (errors[field] ??= []).push(message);
    for (const field of ["pacticipantName", "pacticipantVersionNumber"]) if (typeof body[field] !== "string" || body[field] === "") add(field, "is missing");
    const contracts = Array.isArray(body.contracts) ? (body.contracts as Record<string, unknown>[]) : [];
    if (contracts.length === 0) add("contracts", "is missing");
    const pacts: ReceivedPublication["pacts"][number][] = [];
    contracts.forEach((contract, i) => {
      if (contract.specification !== "pact") add(`contracts/${i}/specification`, "must be pact");
      if (contract.contentType !== "application/json") add(`contracts/${i}/contentType`, "must be application/json");
      if (contract.consumerName !== body.pacticipantName) add(`contracts/${i}/consumerName`, "must match pacticipantName");
      const decoded = typeof contract.content === "string" ? Buffer.from(contract.content, "base64").toString("utf8") : "";
      let pact: Record<string, unknown> | undefined;
      try {
        pact = JSON.parse(decoded) as Record<string, unknown>;
      } catch {
        add(`contracts/${i}/content`, "is not base64-encoded JSON");
        return;
      }
      if ((pact.consumer as { name?: string } | undefined)?.name !== contract.consumerName) add(`contracts/${i}/consumerName`, "must match the consumer name in the pact");
      if ((pact.provider as { name?: string } | undefined)?.name !== contract.providerName) add(`contracts/${i}/providerName`, "must match the provider name in the pact");
      pacts.push({ consumerName: String(contract.consumerName), providerName: String(contract.providerName), pact });
    });
    if (Object.keys(errors).length > 0) return send(res, 400, { errors });
    publications.push({ body, pacts });
    const version = String(body.pacticipantVersionNumber);
    return send(res, 200, {
      notices: [
        { type: "debug", text: `Created ${String(body.pacticipantName)} version ${version}` },
        ...pacts.map((p) => ({ type: "success", text: `Pact published for ${p.consumerName} version ${version} and provider ${p.providerName}.` })),
      ],
      _links: { "pb:contracts": pacts.map((p) => ({ href: `${base}/pacts/provider/${p.providerName}/consumer/${p.consumerName}/version/${version}` })) },
    }, "application/hal+json");
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    publications,
    requests,
    fail(fault, on = "publish") {
      faults[on].push({ fault, left: fault.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": `${type};charset=utf-8` });
  res.end(JSON.stringify(body));
}
