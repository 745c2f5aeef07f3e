import { PassThrough } from "node:stream";
import MailComposer from "nodemailer/lib/mail-composer";
import { classifySmtpFailure, type SmtpErrorLike, type SmtpFailure } from "~/domain/messages/smtp-outcome";
import type { ComposedEmail } from "./compose-email.server";
import { mailTransport } from "./transport.server";

export type SendResult = { ok: true; providerId: string | null; response: string } | { ok: false; failure: SmtpFailure };

/**
 * Hands one message to the pooled SMTP transport. The MIME message is built here and
 * streamed as `raw`, so we know whether its last byte was handed over: until then the
 * server cannot have accepted it, and a broken connection is safe to retry. After it,
 * a broken connection means "maybe delivered" and the caller must not send again.
 */
export async function sendEmail(mail: ComposedEmail["mail"]): Promise<SendResult> {
  const raw = await new MailComposer(mail).compile().build();
  const body = new PassThrough();
  let bodyHandedOver = false;
  body.once("end", () => (bodyHandedOver = true));
  body.end(raw);
  try {
    const info = await mailTransport().sendMail({ envelope: mail.envelope, raw: body, messageId: mail.messageId });
    const response = String(info.response ?? "");
    return { ok: true, providerId: queueId(response), response };
  } catch (err) {
    return { ok: false, failure: classifySmtpFailure(err as SmtpErrorLike, bodyHandedOver) };
  }
}

/** "250 2.0.0 Ok: queued as 4BkZ1x2Y" (Postfix), "250 OK id=1abc-..." (Exim), "250 Ok <id>" (SES...). */
function queueId(response: string): string | null {
  const m = /queued as\s+([\w.\-@<>]+)/i.exec(response) ?? /\bid=([\w.\-@<>]+)/i.exec(response) ?? /^250[ -](?:[\d.]+ )?(?:ok:?\s*)?(\S+)$/i.exec(response.trim());
  return m?.[1]?.slice(0, 255) ?? (response ? response.slice(0, 255) : null);
}
