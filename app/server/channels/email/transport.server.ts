import type { Readable } from "node:stream";
import nodemailer, { type Transporter } from "nodemailer";
import { envDerived } from "../../config.server";

// One pooled SMTP transport per process: SMTP_URL when set, else the in-process sink.
// A shop with its own SMTP URL gets a pooled transport of its own (shopTransports).
const g = globalThis as unknown as {
  __flowmateSmtp?: { url: string; transport: Transporter };
  __flowmateShopSmtp?: Map<string, Transporter>;
};

/** Pool settings shared with the email benchmark's plain-nodemailer baseline. */
export const POOL_OPTIONS = { pool: true, maxConnections: 5, maxMessages: 1000 } as const;

/** Runs per send, so derived from the environment only when its variables change. */
export const smtpUrl = envDerived(["SMTP_URL", "SMTP_SINK_PORT"], (env) => env.SMTP_URL ?? `smtp://127.0.0.1:${env.SMTP_SINK_PORT}`);

function createTransport(url: string): Transporter {
  const transport = nodemailer.createTransport({
    url,
    ...POOL_OPTIONS,
    // The local sink has no certificate; real providers negotiate STARTTLS as usual.
    ignoreTLS: url.startsWith("smtp://127.0.0.1") || url.startsWith("smtp://localhost"),
  });
  transport.use("stream", exposeBodyStream);
  return transport;
}

/** The app's default transport; `url` given: that URL's (a shop's own provider). */
export function mailTransport(url?: string | null): Transporter {
  if (url) return shopTransport(url);
  const appUrl = smtpUrl();
  if (g.__flowmateSmtp?.url !== appUrl) {
    g.__flowmateSmtp?.transport.close();
    g.__flowmateSmtp = { url: appUrl, transport: createTransport(appUrl) };
  }
  return g.__flowmateSmtp.transport;
}

/** Few shops bring their own SMTP; the oldest pool is closed past this many. */
const MAX_SHOP_TRANSPORTS = 50;

function shopTransport(url: string): Transporter {
  const pools = (g.__flowmateShopSmtp ??= new Map<string, Transporter>());
  let transport = pools.get(url);
  if (transport) {
    pools.delete(url); // re-inserted: the map's order is least recently used first
  } else {
    transport = createTransport(url);
    if (pools.size >= MAX_SHOP_TRANSPORTS) {
      const [oldest, pool] = pools.entries().next().value as [string, Transporter];
      pool.close();
      pools.delete(oldest);
    }
  }
  pools.set(url, transport);
  return transport;
}

export function closeMailTransport(): void {
  g.__flowmateSmtp?.transport.close();
  g.__flowmateSmtp = undefined;
  for (const t of g.__flowmateShopSmtp?.values() ?? []) t.close();
  g.__flowmateShopSmtp?.clear();
}

/**
 * Passed as `bodyProbe` in sendMail's options: after the call, `stream` is the message
 * stream the SMTP connection reads from. Nothing reads it before the server answered
 * DATA with 354, so `stream.readableDidRead === false` proves the server never started
 * receiving the body (a failure is then safe to retry), while true means it may have
 * accepted the message.
 */
export interface BodyProbe {
  stream?: Readable;
}

const exposeBodyStream: Parameters<Transporter["use"]>[1] = (mail, done) => {
  const probe = (mail.data as { bodyProbe?: BodyProbe }).bodyProbe;
  if (probe) {
    const create = mail.message.createReadStream.bind(mail.message);
    mail.message.createReadStream = (...args) => (probe.stream = create(...args));
  }
  done();
};
