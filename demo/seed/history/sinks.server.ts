import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { TWILIO_API_VERSION } from "~/server/channels/sms/twilio-wire";

// Where the history's messages and Shopify calls go while it runs: servers of its own
// on free local ports, whatever the process is configured with. Thousands of past
// emails and texts must never reach a real provider (SMTP_URL, TWILIO_* may be real
// ones), nor flood the demo's mail and SMS outboxes, which keep their last 500 for the
// visitor. The app's own transports are what send: nodemailer over SMTP (the mail is
// read and dropped, not parsed), Twilio's wire format (a 201 with a message sid), and
// the Admin API stand-in for the discount codes the welcome and checkout emails carry.

const OVERRIDES = ["SMTP_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMS_API_BASE_URL", "SHOPIFY_ADMIN_API_ORIGIN"] as const;

export interface HistorySinks {
  mails: () => number;
  texts: () => number;
  /** Stops the servers and gives the process its own settings back. */
  close: () => Promise<void>;
}

export async function openHistorySinks(): Promise<HistorySinks> {
  let mails = 0;
  let texts = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        mails++;
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(0, "127.0.0.1", () => resolve());
  });
  const { executeAdminGraphql } = await import("../../standins/admin-api.server");
  const api = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void answer(req, Buffer.concat(chunks).toString("utf8"))
        .catch((err: unknown) => ({ status: 500, body: { errors: [{ message: String(err) }] } }))
        .then(({ status, body }) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        });
    });
  });
  // The client closes idle connections, never the server: on a busy machine a blocked
  // event loop can otherwise hand fetch a connection the server's timer closes under
  // it ("fetch failed"), and a retried discount makes another history from the seed.
  api.keepAliveTimeout = 0;
  async function answer(req: http.IncomingMessage, body: string): Promise<{ status: number; body: unknown }> {
    const url = req.url ?? "";
    if (url.startsWith(`/twilio/${TWILIO_API_VERSION}/`)) {
      texts++;
      return { status: 201, body: { sid: `SM${crypto.randomBytes(16).toString("hex")}`, status: "queued", num_segments: "1" } };
    }
    const shop = /^\/shopify\/([^/]+)\/admin\/api\//.exec(url)?.[1];
    if (!shop) return { status: 404, body: { error: "not found" } };
    const token = req.headers["x-shopify-access-token"];
    const res = await executeAdminGraphql(shop, typeof token === "string" ? token : null, JSON.parse(body) as unknown);
    return { status: res.status, body: res.body };
  }
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", () => resolve()));

  const saved = Object.fromEntries(OVERRIDES.map((k) => [k, process.env[k]]));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  process.env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
  process.env.TWILIO_ACCOUNT_SID = `AC${"0".repeat(32)}`;
  process.env.TWILIO_AUTH_TOKEN = "history-sink";
  process.env.SMS_API_BASE_URL = `${apiBase}/twilio`;
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${apiBase}/shopify`;
  closeMailTransport();

  return {
    mails: () => mails,
    texts: () => texts,
    close: async () => {
      closeMailTransport();
      for (const k of OVERRIDES) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      api.closeAllConnections();
      await new Promise<void>((resolve) => api.close(() => resolve()));
    },
  };
}
