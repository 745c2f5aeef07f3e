import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { handlePixelRequest } from "../ingestion/pixel-endpoint.server";
import { handleWebhookRoute } from "../ingestion/webhook-receiver.server";
import { COMPLIANCE_TOPICS, WEBHOOK_TOPICS } from "../ingestion/webhook-topics";

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
  let handler: ((request: Request) => Promise<Response>) | null = null;
  if (path === "/api/pixel/events") handler = handlePixelRequest;
  else if (path.startsWith("/webhooks/") && req.method === "POST") {
    const topic = path.slice("/webhooks/".length);
    if (TOPICS.has(topic)) handler = (request) => handleWebhookRoute(request, topic);
  }
  if (!handler) return false;
  void serve(req, res, handler);
  return true;
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: (request: Request) => Promise<Response>) {
  try {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === "string") headers.set(k, v);
      else if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      // Node's fetch needs duplex for a streamed request body.
      duplex: "half",
    } as RequestInit);
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
  } catch (err) {
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "internal error" }));
    // Never log bodies here: they carry personal data.
    console.error(JSON.stringify({ level: "error", msg: "ingestion fast path failed", err: String(err) }));
  }
}
