import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { closeMailTransport } from "~/server/channels/email/transport.server";

export interface ReceivedMail {
  envelopeTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

type Reply = { code: number; message: string } | null;

export interface SmtpTestServer {
  port: number;
  received: ReceivedMail[];
  /** Answer RCPT TO for an address (550 user unknown, 451 try later...); null accepts, "drop" hangs up. */
  onRecipient: (fn: (address: string) => Reply | "drop") => void;
  /**
   * Answer the end of DATA; "drop" closes the connection without a reply (outcome
   * unknown); a promise holds the answer until it settles.
   */
  onData: (fn: (to: string[]) => Reply | "drop" | Promise<Reply>) => void;
  close: () => Promise<void>;
}

/**
 * A real SMTP server on a random port, wired as the app's SMTP_URL: the app's pooled
 * nodemailer transport talks to it exactly as it would to a provider.
 */
export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  let recipientRule: (address: string) => Reply | "drop" = () => null;
  let dataRule: (to: string[]) => Reply | "drop" | Promise<Reply> = () => null;
  const smtpError = (r: { code: number; message: string }) => Object.assign(new Error(r.message), { responseCode: r.code });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address: SMTPServerAddress, session, callback) {
      const reply = recipientRule(address.address);
      if (reply === "drop") return dropConnection(session.id);
      callback(reply ? smtpError(reply) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        void Promise.resolve(dataRule(to)).then((rule) => answerData(rule, to));
      });
      const answerData = (rule: Reply | "drop", to: string[]) => {
        if (rule === "drop") {
          // The message arrived, the answer never does: the sender cannot know.
          void simpleParser(Buffer.concat(chunks)).then((parsed) => received.push({ envelopeTo: to, raw: Buffer.concat(chunks), parsed }));
          dropConnection(session.id);
          return;
        }
        if (rule) return callback(smtpError(rule));
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            received.push({ envelopeTo: to, raw, parsed });
            callback();
          },
          (err: Error) => callback(err),
        );
      };
    },
  });
  const dropConnection = (sessionId: string) => {
    const connections = (server as unknown as { connections: Set<{ session: { id: string }; _socket: { destroy(): void } }> }).connections;
    for (const c of connections) if (c.session.id === sessionId) c._socket.destroy();
  };
  // A client that vanishes mid-session (a killed worker, a dropped connection) is what
  // some tests do on purpose: not an error of the server.
  server.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "ECONNRESET" && err.code !== "EPIPE") throw err;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  closeMailTransport();
  return {
    port,
    received,
    onRecipient: (fn) => (recipientRule = fn),
    onData: (fn) => (dataRule = fn),
    close: async () => {
      closeMailTransport();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
