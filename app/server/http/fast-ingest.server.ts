import type { IncomingMessage, ServerResponse } from "node:http";
import { pixelEndpoint } from "../ingestion/pixel-endpoint.server";
import { webhookEndpoint } from "../ingestion/webhook-receiver.server";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS } from "../ingestion/webhook-topics";
import { fromNodeRequest, writeNodeResponse, type PlainRequest, type PlainResponse } from "./plain-http.server";

const TOPICS = new Set<string>([...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS]);

/**
 * The two ingestion endpoints bypass Express and Remix: they are hit thousands of
 * times a second, and routing plus Remix's request handling alone cap a process at
 * about 2k requests/s on this machine. They call the same handler functions as their
 * route files (app/routes/api.pixel.events.ts, app/routes/webhooks.*.ts), so the
 * behaviour is one piece of code either way. Returns false for every other request.
 */
export function handleIngestionFastPath(req: IncomingMessage, res: ServerResponse): boolean {
  const endpoint = endpointFor((req.url ?? "/").split("?", 1)[0]!, req.method);
  if (!endpoint) return false;
  void endpoint(fromNodeRequest(req))
    .then((r) => writeNodeResponse(res, r))
    .catch((err: unknown) => failed(res, err));
  return true;
}

function endpointFor(path: string, method: string | undefined): ((request: PlainRequest) => Promise<PlainResponse>) | null {
  if (path === "/api/pixel/events") return pixelEndpoint;
  if (method !== "POST" || !path.startsWith("/webhooks/")) return null;
  const topic = path.slice("/webhooks/".length);
  return TOPICS.has(topic) ? (request) => webhookEndpoint(request, topic) : null;
}

function failed(res: ServerResponse, err: unknown): void {
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "internal error" }));
  // Never log bodies here: they carry personal data.
  console.error(JSON.stringify({ level: "error", msg: "ingestion fast path failed", err: String(err) }));
}
