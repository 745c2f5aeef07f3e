import type { SendMailOptions } from "nodemailer";
import { classifySmtpFailure, type SmtpErrorLike, type SmtpFailure } from "~/domain/messages/smtp-outcome";
import type { EmailSendingOptions } from "../shop-sending.server";
import type { ComposedEmail } from "./compose-email.server";
import { mailTransport, type BodyProbe } from "./transport.server";

export type SendResult = { ok: true; providerId: string | null; response: string } | { ok: false; failure: SmtpFailure };

/**
 * Hands one message to the pooled SMTP transport and says what a failure means. The
 * body probe tells a failure before the server started receiving the body (safe to
 * retry) from one after (the server may have the message: never send it again).
 */
export async function sendEmail(mail: ComposedEmail["mail"], via?: EmailSendingOptions): Promise<SendResult> {
  const bodyProbe: BodyProbe = {};
  try {
    // The shop's own provider and DKIM key when it has them (nodemailer signs per message).
    const dkim = via?.dkim ? { dkim: via.dkim } : {};
    const info = await mailTransport(via?.smtpUrl).sendMail({ ...mail, ...dkim, bodyProbe } as unknown as SendMailOptions);
    const response = String(info.response ?? "");
    return { ok: true, providerId: queueId(response), response };
  } catch (err) {
    return { ok: false, failure: classifySmtpFailure(err as SmtpErrorLike, bodyProbe.stream?.readableDidRead ?? false) };
  }
}

/** "250 2.0.0 Ok: queued as 4BkZ1x2Y" (Postfix), "250 OK id=1abc-..." (Exim); otherwise the whole reply. */
function queueId(response: string): string | null {
  const m = /queued as\s+([\w.\-@<>]+)/i.exec(response) ?? /\bid=([\w.\-@<>]+)/i.exec(response);
  return (m?.[1] ?? response).slice(0, 255) || null;
}
