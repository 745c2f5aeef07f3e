import crypto from "node:crypto";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { envDerived } from "../config.server";
import { fromNodeRequest, writeNodeResponse, type PlainRequest, type PlainResponse } from "../http/plain-http.server";
import { log } from "../log.server";
import { metricsText } from "./registry.server";

// GET /metrics in Prometheus's text format. The web process serves it on its own port
// only to a scraper that presents METRICS_TOKEN as a bearer token (unset: 404, so a
// deployment that never asked for metrics shows none); the worker, which has no HTTP
// server, listens on METRICS_PORT (unset: no listener) at METRICS_HOST (127.0.0.1
// unless told otherwise), and asks for the token too when one is set.

const metricsToken = envDerived(["METRICS_TOKEN"], (env) => env.METRICS_TOKEN ?? null);

/** Compared as digests: equal length for timingSafeEqual, and no early exit on the first differing byte. */
function tokenMatches(presented: string, expected: string): boolean {
  const a = crypto.createHash("sha256").update(presented).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export async function metricsEndpoint(request: PlainRequest, opts: { tokenRequired: boolean }): Promise<PlainResponse> {
  const token = metricsToken();
  if (opts.tokenRequired && !token) return { status: 404, headers: { "content-type": "text/plain" }, body: "Not found" };
  if (token) {
    const auth = request.header("authorization") ?? "";
    const presented = auth.startsWith("Bearer ") ? auth.slice("Bearer ".length).trim() : "";
    if (!presented || !tokenMatches(presented, token))
      return { status: 401, headers: { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' }, body: "Unauthorized" };
  }
  if (request.method !== "GET" && request.method !== "HEAD") return { status: 405, headers: { allow: "GET, HEAD" }, body: null };
  const { contentType, body } = await metricsText();
  return {
    status: 200,
    headers: { "content-type": contentType, "cache-control": "no-store" },
    body: request.method === "HEAD" ? null : body,
  };
}

function serve(req: IncomingMessage, res: ServerResponse, tokenRequired: boolean): void {
  void metricsEndpoint(fromNodeRequest(req), { tokenRequired })
    .then((r) => writeNodeResponse(res, r))
    .catch((err: unknown) => {
      log.error("metrics endpoint failed", { err: String(err) });
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("metrics failed");
    });
}

/** The web process's hook (server.ts): true when it answered the request. */
export function handleMetricsRequest(req: IncomingMessage, res: ServerResponse): boolean {
  if ((req.url ?? "/").split("?", 1)[0] !== "/metrics") return false;
  serve(req, res, true);
  return true;
}

/** The worker's listener: /metrics and nothing else. */
export async function startMetricsServer(port: number, host: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    if ((req.url ?? "/").split("?", 1)[0] === "/metrics") return serve(req, res, false);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
