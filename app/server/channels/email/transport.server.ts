import type { Readable } from "node:stream";
import nodemailer, { type Transporter } from "nodemailer";
import { readEnv } from "../../config.server";

// One pooled SMTP transport per process: SMTP_URL when set, else the in-process sink.
const g = globalThis as unknown as { __flowmateSmtp?: { url: string; transport: Transporter } };

/** Pool settings shared with the email benchmark's plain-nodemailer baseline. */
export const POOL_OPTIONS = { pool: true, maxConnections: 5, maxMessages: 1000 } as const;

let cachedUrl: { source: string; url: string } | undefined;

/** Re-validated only when the variables change: readEnv() parses the whole environment, and this runs per send. */
export function smtpUrl(): string {
  const source = `${process.env.SMTP_URL}|${process.env.SMTP_SINK_PORT}`;
  if (cachedUrl?.source !== source) {
    const env = readEnv();
    cachedUrl = { source, url: env.SMTP_URL ?? `smtp://127.0.0.1:${env.SMTP_SINK_PORT}` };
  }
  return cachedUrl.url;
}

export function mailTransport(): Transporter {
  const url = smtpUrl();
  if (g.__flowmateSmtp?.url !== url) {
    g.__flowmateSmtp?.transport.close();
    const transport = nodemailer.createTransport({
      url,
      ...POOL_OPTIONS,
      // The local sink has no certificate; real providers negotiate STARTTLS as usual.
      ignoreTLS: url.startsWith("smtp://127.0.0.1") || url.startsWith("smtp://localhost"),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    transport.use("stream", exposeBodyStream);
    g.__flowmateSmtp = { url, transport };
  }
  return g.__flowmateSmtp!.transport;
}

export function closeMailTransport(): void {
  g.__flowmateSmtp?.transport.close();
  g.__flowmateSmtp = undefined;
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
