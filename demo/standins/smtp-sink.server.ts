import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { log } from "~/server/log.server";

export interface SunkMail {
  id: number;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

// The demo's mail server: a real SMTP server in process, so the app's real
// nodemailer transport is what sends, and what arrives is what a provider would get.
interface SinkState {
  server?: SMTPServer;
  mails: SunkMail[];
  nextId: number;
}
const g = globalThis as unknown as { __flowmateSink?: SinkState };
const state: SinkState = (g.__flowmateSink ??= { mails: [], nextId: 1 });
const KEEP = 500;

export function sunkMails(): readonly SunkMail[] {
  return state.mails;
}

export function sinkRunning(): boolean {
  return Boolean(state.server);
}

export async function startSmtpSink(port: number, host = "127.0.0.1"): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.key.length + 1).trim();
          state.mails.unshift({
            id: state.nextId++,
            receivedAt: new Date().toISOString(),
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: parsed.from?.text ?? "",
            to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? ""),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : null,
            headers,
          });
          state.mails.length = Math.min(state.mails.length, KEEP);
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  state.server = server;
  const address = server.server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  log.info("smtp sink listening", { port: boundPort });
  return {
    port: boundPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        state.server = undefined;
      }),
  };
}
