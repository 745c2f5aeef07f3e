import nodemailer, { type Transporter } from "nodemailer";
import { readEnv } from "../../config.server";

// One pooled SMTP transport per process: SMTP_URL when set, else the in-process sink.
const g = globalThis as unknown as { __flowmateSmtp?: { url: string; transport: Transporter } };

export function smtpUrl(): string {
  const env = readEnv();
  return env.SMTP_URL ?? `smtp://127.0.0.1:${env.SMTP_SINK_PORT}`;
}

export function mailTransport(): Transporter {
  const url = smtpUrl();
  if (g.__flowmateSmtp?.url !== url) {
    g.__flowmateSmtp?.transport.close();
    const transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 5,
      maxMessages: 1000,
      // The local sink has no certificate; real providers negotiate STARTTLS as usual.
      ignoreTLS: url.startsWith("smtp://127.0.0.1") || url.startsWith("smtp://localhost"),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    g.__flowmateSmtp = { url, transport };
  }
  return g.__flowmateSmtp!.transport;
}

export function closeMailTransport(): void {
  g.__flowmateSmtp?.transport.close();
  g.__flowmateSmtp = undefined;
}
