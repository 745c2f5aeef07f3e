// What an SMTP failure means for the message. The rule that matters: a message the
// server may already have accepted is never sent again (outcome "unknown"), because a
// duplicate marketing email is worse than a missing one.

export type SmtpFailure =
  /** Not accepted, try again later: 4xx replies, connection refused, timeouts before DATA. */
  | { kind: "transient"; reason: string }
  /** The server refused this recipient for good (5xx to RCPT TO): suppress the address. */
  | { kind: "hard_bounce"; reason: string }
  /** Refused for good for another reason (5xx to MAIL FROM or DATA, invalid address). */
  | { kind: "permanent"; reason: string }
  /** The connection broke while the server may have accepted the message. */
  | { kind: "unknown"; reason: string };

export interface SmtpErrorLike {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

/** Connection failures that happen before the first byte of the message is written. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
/** Nodemailer error codes raised before MAIL FROM (login, TLS, DNS, proxy). */
const BEFORE_ENVELOPE = new Set(["EAUTH", "ETLS", "EDNS", "EPROXY", "EREQUIRETLS", "ENOAUTH", "EOAUTH2"]);

/**
 * @param bodyStarted whether the server had started receiving the body (it answered
 *        DATA with 354 and the body stream was read). Before that it cannot have
 *        accepted the message, so a broken connection is safe to retry.
 */
export function classifySmtpFailure(err: SmtpErrorLike, bodyStarted: boolean): SmtpFailure {
  const reason = (err.response ?? err.message ?? String(err.code ?? "SMTP error")).slice(0, 500);
  const code = err.responseCode;
  if (code && code >= 400 && code < 600) {
    // A reply is a definite answer: the server did not take the message.
    if (code < 500 || code === 503) return { kind: "transient", reason };
    return err.command === "RCPT TO" ? { kind: "hard_bounce", reason } : { kind: "permanent", reason };
  }
  if (err.code === "EENVELOPE" || err.code === "EMESSAGE") return { kind: "permanent", reason };
  if (BEFORE_ENVELOPE.has(err.code ?? "")) return { kind: "transient", reason };
  if (NEVER_CONNECTED.has(err.originalCode ?? "") || NEVER_CONNECTED.has(err.code ?? "")) return { kind: "transient", reason };
  if (/greeting never received/i.test(err.message ?? "")) return { kind: "transient", reason };
  return bodyStarted ? { kind: "unknown", reason } : { kind: "transient", reason };
}
