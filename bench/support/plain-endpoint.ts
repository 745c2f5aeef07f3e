// The baseline endpoint: plain node:http that reads the body, parses it and answers,
// storing nothing. For /webhooks/* it also checks the HMAC, as any webhook receiver must.
import crypto from "node:crypto";
import http from "node:http";

const port = Number(process.env.PORT);
const secret = process.env.SHOPIFY_API_SECRET ?? "";

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    if (req.url?.startsWith("/webhooks/")) {
      const mac = crypto.createHmac("sha256", secret).update(body).digest("base64");
      const ok = mac === req.headers["x-shopify-hmac-sha256"];
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(ok ? '{"result":"accepted"}' : "{}");
      return;
    }
    try {
      const parsed = JSON.parse(body.toString("utf8")) as { events?: unknown[] };
      res.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify({ accepted: parsed.events?.length ?? 0 }));
    } catch {
      res.writeHead(400).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1");
