import type { IncomingMessage, ServerResponse } from "node:http";
import { pixelEndpoint } from "../ingestion/pixel-endpoint.server";
import { handleWebhookRoute, MAX_WEBHOOK_BYTES } from "../ingestion/webhook-receiver.server";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS } from "../ingestion/webhook-topics";
import { fromNodeRequest, jsonResponse, readCappedNodeBody, writeNodeResponse } from "./plain-http.server";

const TOPICS = new Set<string>([...WEBHOOK_TOPICS, ...COMPLIANCE_TOPICS]);

/**
 * The two ingestion endpoints bypass Express and Remix: they are hit thousands of
 * times a second, and routing plus Remix's request handling alone cap a process at
 * about 2k requests/s on this machine. They call the same handler functions as their
 * route files (app/routes/api.pixel.events.ts, app/routes/webhooks.*.ts), so the
 * behaviour is one piece of code either way. Returns false for every other request.
 */
export function handleIngestionFastPath(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  const path = url.split("?", 1)[0]!;
  if (path === "/api/pixel/events") {
    void pixelEndpoint(fromNodeRequest(req))
      .then((r) => writeNodeResponse(res, r))
      .catch((err: unknown) => failed(res, err));
    return true;
  }
  let handler: ((request: Request) => Promise<Response>) | null = null;
  if (path.startsWith("/webhooks/") && req.method === "POST") {
    const topic = path.slice("/webhooks/".length);
    if (TOPICS.has(topic)) handler = (request) => handleWebhookRoute(request, topic);
  }
  if (!handler) return false;
  void serve(req, res, handler);
  return true;
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: (request: Request) => Promise<Response>) {
  try {
    // The body is read here, capped, into one buffer: a Request over a buffer costs a
    // fraction of one over a Node stream adapted to a web stream.
    const body = await readCappedNodeBody(req, MAX_WEBHOOK_BYTES);
    if (body === null) return writeNodeResponse(res, jsonResponse(413, { error: "payload_too_large" }));
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") headers.set(k, v);
      else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    }
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: req.method, headers, body: body as Uint8Array<ArrayBuffer> });
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
  } catch (err) {
    failed(res, err);
  }
}

function failed(res: ServerResponse, err: unknown): void {
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "internal error" }));
  // Never log bodies here: they carry personal data.
  console.error(JSON.stringify({ level: "error", msg: "ingestion fast path failed", err: String(err) }));
}
