/**
 * A Pact Broker on 127.0.0.1 implementing what `publish` and `verify` use: the HAL index
 * (`GET /`), `POST /contracts/publish` (`pb:publish-contracts`), the provider's side
 * (`pb:provider-pacts-for-verification`, each pact with its `pb:publish-verification-results`,
 * `pb:pacticipant-branch-version`). It checks requests the way the broker does (required
 * fields, base64 content that parses, names matching the pact), records every publication,
 * selection, verification result and branch, and can be told to fail.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One accepted publication, with each contract's content decoded. */
interface ReceivedPublication {
  readonly body: Record<string, unknown>;
  readonly pacts: readonly { consumerName: string; providerName: string; pact: Record<string, unknown> }[];
}

/** A request as the server saw it. */
interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
}

/** How the next requests fail; each fault applies `times` times (default 1), then is used up. */
type BrokerFault =
  | { readonly kind: "status"; readonly status: number; readonly body?: unknown; readonly times?: number }
  | { readonly kind: "slow"; readonly delayMs: number; readonly times?: number }
  | { readonly kind: "reset"; readonly times?: number };

/** Where a fault applies. */
type BrokerEndpoint = "publish" | "index" | "provider";

export interface BrokerServerOptions {
  /** Accepted credentials; without any, every request is accepted. */
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
  /** Leave `pb:publish-contracts` out of the index (a broker older than 2.86). */
  readonly withoutPublishRelation?: boolean;
}

/** A verification result as received, with the pact it is for. */
interface ReceivedVerification {
  readonly provider: string;
  readonly consumer: string;
  readonly version: string;
  readonly body: Record<string, unknown>;
}

export interface BrokerServer {
  readonly url: string;
  readonly publications: ReceivedPublication[];
  readonly requests: ReceivedRequest[];
  /** Bodies of `POST …/for-verification` (the selectors sent). */
  readonly selections: Record<string, unknown>[];
  readonly verifications: ReceivedVerification[];
  /** `{ pacticipant, branch, version }` of each branch version recorded. */
  readonly branchVersions: { pacticipant: string; branch: string; version: string }[];
  /** Queues a fault for the next publish POSTs (`on: "index"` for GET /, `"provider"` for the provider's side). */
  fail(fault: BrokerFault, on?: BrokerEndpoint): void;
  close(): Promise<void>;
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startBrokerServer(options: BrokerServerOptions = {}): Promise<BrokerServer> {
  const faults: Record<BrokerEndpoint, { fault: BrokerFault; left: number }[]> = { publish: [], index: [], provider: [] };
  const publications: ReceivedPublication[] = [];
  const requests: ReceivedRequest[] = [];
  const selections: Record<string, unknown>[] = [];
  const verifications: ReceivedVerification[] = [];
  const branchVersions: BrokerServer["branchVersions"] = [];
  let base = "";

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
    const endpoint: BrokerEndpoint =
      req.method === "GET" && req.url === "/"
        ? "index"
        : req.method === "POST" && req.url === "/contracts/publish"
          ? "publish"
          : "provider";
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
      if (!options.withoutPublishRelation)
        links["pb:publish-contracts"] = { href: `${base}/contracts/publish`, title: "Publish contracts" };
      links["pb:provider-pacts-for-verification"] = { href: `${base}/pacts/provider/{provider}/for-verification`, templated: true };
      links["pb:pacticipant-branch-version"] = {
        href: `${base}/pacticipants/{pacticipant}/branches/{branch}/versions/{version}`,
        templated: true,
      };
      return send(res, 200, { _links: links }, "application/hal+json");
    }
    if (endpoint === "publish") return publish(body, res);
    return providerSide(req.method ?? "", (req.url ?? "").split("/").map(decodeURIComponent), body, res);
  }

  /** The latest published pact of each consumer for `provider`, with its version. */
  function latestPacts(provider: string): { consumer: string; version: string; pact: Record<string, unknown> }[] {
    const latest = new Map<string, { consumer: string; version: string; pact: Record<string, unknown> }>();
    for (const publication of publications) {
      for (const p of publication.pacts) {
        if (p.providerName === provider)
          latest.set(p.consumerName, {
            consumer: p.consumerName,
            version: String(publication.body.pacticipantVersionNumber),
            pact: p.pact,
          });
      }
    }
    return [...latest.values()];
  }

  function providerSide(method: string, parts: string[], text: string, res: ServerResponse): void {
    // ["", "pacts", "provider", P, "for-verification"]
    if (method === "POST" && parts.length === 5 && parts[1] === "pacts" && parts[2] === "provider" && parts[4] === "for-verification") {
      selections.push(JSON.parse(text) as Record<string, unknown>);
      const provider = parts[3] as string;
      const pacts = latestPacts(provider).map((p) => ({
        verificationProperties: {
          notices: [
            {
              when: "before_verification",
              text: `The pact at ${base}/pacts/provider/${provider}/consumer/${p.consumer}/version/${p.version} is being verified because it is the latest of ${p.consumer}`,
            },
          ],
        },
        _links: {
          self: {
            href: `${base}/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(p.consumer)}/version/${encodeURIComponent(p.version)}`,
            name: `Pact between ${p.consumer} (${p.version}) and ${provider}`,
          },
        },
      }));
      return send(res, 200, { _embedded: { pacts } }, "application/hal+json");
    }
    // ["", "pacts", "provider", P, "consumer", C, "version", V] and "…/verification-results"
    if (parts.length >= 8 && parts[1] === "pacts" && parts[2] === "provider" && parts[4] === "consumer" && parts[6] === "version") {
      const [provider, consumer, version] = [parts[3], parts[5], parts[7]] as [string, string, string];
      const found = latestPacts(provider).find((p) => p.consumer === consumer && p.version === version);
      if (found === undefined) return send(res, 404, { error: "no such pact" });
      const self = `${base}/pacts/provider/${encodeURIComponent(provider)}/consumer/${encodeURIComponent(consumer)}/version/${encodeURIComponent(version)}`;
      if (method === "GET" && parts.length === 8) {
        return send(
          res,
          200,
          {
            ...found.pact,
            _links: {
              self: { href: self },
              "pb:publish-verification-results": { title: "Publish verification results", href: `${self}/verification-results` },
            },
          },
          "application/hal+json",
        );
      }
      if (method === "POST" && parts.length === 9 && parts[8] === "verification-results") {
        const result = JSON.parse(text) as Record<string, unknown>;
        if (typeof result.success !== "boolean" || typeof result.providerApplicationVersion !== "string")
          return send(res, 400, { errors: { success: ["is required"], providerApplicationVersion: ["is required"] } });
        verifications.push({ provider, consumer, version, body: result });
        return send(res, 201, { success: result.success }, "application/hal+json");
      }
    }
    // ["", "pacticipants", P, "branches", B, "versions", V]
    if (method === "PUT" && parts.length === 7 && parts[1] === "pacticipants" && parts[3] === "branches" && parts[5] === "versions") {
      branchVersions.push({ pacticipant: parts[2] as string, branch: parts[4] as string, version: parts[6] as string });
      return send(res, 200, {}, "application/hal+json");
    }
    return send(res, 404, { error: `no route ${method} ${parts.join("/")}` });
  }

  function authorized(header: string | undefined): boolean {
    if (options.token !== undefined) return header === `Bearer ${options.token}`;
    if (options.username !== undefined)
      return header === `Basic ${Buffer.from(`${options.username}:${options.password ?? ""}`).toString("base64")}`;
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
    for (const field of ["pacticipantName", "pacticipantVersionNumber"])
      if (typeof body[field] !== "string" || body[field] === "") add(field, "is missing");
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
      if ((pact.consumer as { name?: string } | undefined)?.name !== contract.consumerName)
        add(`contracts/${i}/consumerName`, "must match the consumer name in the pact");
      if ((pact.provider as { name?: string } | undefined)?.name !== contract.providerName)
        add(`contracts/${i}/providerName`, "must match the provider name in the pact");
      pacts.push({ consumerName: String(contract.consumerName), providerName: String(contract.providerName), pact });
    });
    if (Object.keys(errors).length > 0) return send(res, 400, { errors });
    publications.push({ body, pacts });
    const version = String(body.pacticipantVersionNumber);
    return send(
      res,
      200,
      {
        notices: [
          { type: "debug", text: `Created ${String(body.pacticipantName)} version ${version}` },
          ...pacts.map((p) => ({
            type: "success",
            text: `Pact published for ${p.consumerName} version ${version} and provider ${p.providerName}.`,
          })),
        ],
        _links: {
          "pb:contracts": pacts.map((p) => ({
            href: `${base}/pacts/provider/${p.providerName}/consumer/${p.consumerName}/version/${version}`,
          })),
        },
      },
      "application/hal+json",
    );
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    publications,
    requests,
    selections,
    verifications,
    branchVersions,
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
