import type { Readable } from "node:stream";
import nodemailer, { type Transporter } from "nodemailer";
import { envDerived } from "../../config.server";

// One pooled SMTP transport per process: SMTP_URL when set, else the in-process sink.
const g = globalThis as unknown as { __flowmateSmtp?: { url: string; transport: Transporter } };

/** Pool settings shared with the email benchmark's plain-nodemailer baseline. */
export const POOL_OPTIONS = { pool: true, maxConnections: 5, maxMessages: 1000 } as const;

/** Runs per send, so derived from the environment only when its variables change. */
export const smtpUrl = envDerived(["SMTP_URL", "SMTP_SINK_PORT"], (env) => env.SMTP_URL ?? `smtp://127.0.0.1:${env.SMTP_SINK_PORT}`);

export function mailTransport(): Transporter {
  const url = smtpUrl();
  if (g.__flowmateSmtp?.url !== url) {
    g.__flowmateSmtp?.transport.close();
    const transport = nodemailer.createTransport({
      url,
      ...POOL_OPTIONS,
      // The local sink has no certificate; real providers negotiate STARTTLS as usual.
      ignoreTLS: url.startsWith("smtp://127.0.0.1") || url.startsWith("smtp://localhost"),
    });
    transport.use("stream", exposeBodyStream);
    g.__flowmateSmtp = { url, transport };
  }
  return g.__flowmateSmtp.transport;
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
