import { simpleParser, type Attachment, type ParsedMail } from "mailparser";
import { FEEDBACK_HEADER, readFeedbackHeader, type FeedbackMessageRef } from "../../security/feedback-tokens.server";
import { verifyToken } from "../../security/signed-token.server";

// Reads a report a mail system sends back about one of our emails, with mailparser:
//  - an ARF feedback report (RFC 5965): multipart/report; report-type=feedback-report,
//    a message/feedback-report part (Feedback-Type: abuse = the recipient pressed
//    "spam") and the original message or its headers;
//  - a DSN (RFC 3464): multipart/report; report-type=delivery-status, a
//    message/delivery-status part (per-recipient Action and Status) and the original.
// The original must carry our signed X-Flowmate-Message header (or, for mail sent before
// that header existed, our signed List-Unsubscribe link): that, not anything else in
// the report, names the message.

export type ParsedReport =
  | { kind: "complaint"; ref: FeedbackMessageRef; feedbackType: string; userAgent: string | null }
  | { kind: "bounce"; ref: FeedbackMessageRef; status: string; diagnostic: string | null }
  /** A well-formed report that calls for nothing: a delay, a 4.x.x failure, a feedback type other than abuse. */
  | { kind: "ignored"; reason: string }
  | { kind: "invalid"; reason: string };

const PARSE_OPTIONS = {
  keepDeliveryStatus: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
  maxHtmlLengthToParse: 64 * 1024,
} as const;

/** The parts a report may carry its original in (RFC 6522 text/rfc822-headers, RFC 6533 global forms). */
const ORIGINAL_TYPES = new Set([
  "message/rfc822",
  "text/rfc822-headers",
  "message/rfc822-headers",
  "message/global",
  "message/global-headers",
]);
const DELIVERY_STATUS_TYPES = new Set(["message/delivery-status", "message/global-delivery-status"]);

export async function parseReport(raw: Buffer): Promise<ParsedReport> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, PARSE_OPTIONS);
  } catch {
    return { kind: "invalid", reason: "not a readable email message" };
  }
  const type = contentType(mail);
  if (type.value !== "multipart/report") return { kind: "invalid", reason: "not a multipart/report (an ARF feedback report or a DSN)" };
  const reportType = type.params["report-type"]?.toLowerCase();
  if (reportType === "feedback-report") return feedbackReport(mail.attachments);
  if (reportType === "delivery-status") return deliveryStatus(mail.attachments);
  return { kind: "invalid", reason: `unsupported report-type ${JSON.stringify(reportType ?? "")}` };
}

async function feedbackReport(parts: Attachment[]): Promise<ParsedReport> {
  const report = parts.find((p) => p.contentType === "message/feedback-report");
  if (!report) return { kind: "invalid", reason: "feedback report without a message/feedback-report part" };
  const fields = await fieldBlock(report.content);
  const feedbackType = fields.get("feedback-type")?.toLowerCase();
  if (!feedbackType) return { kind: "invalid", reason: "feedback report without Feedback-Type" };
  const ref = await originalRef(parts);
  if (!ref.ok) return { kind: "invalid", reason: ref.reason };
  // abuse: the recipient reported the message as spam. not-spam, fraud (phishing
  // in our name), virus, auth-failure are worth a look, but they withdraw nobody's consent.
  if (feedbackType !== "abuse") return { kind: "ignored", reason: `feedback type ${feedbackType}` };
  return { kind: "complaint", ref: ref.ref, feedbackType, userAgent: fields.get("user-agent") ?? null };
}

async function deliveryStatus(parts: Attachment[]): Promise<ParsedReport> {
  const status = parts.find((p) => DELIVERY_STATUS_TYPES.has(p.contentType));
  if (!status) return { kind: "invalid", reason: "delivery report without a message/delivery-status part" };
  // Per-message fields, then one block of fields per recipient, separated by blank lines.
  const blocks = status.content
    .toString("utf8")
    .split(/\r?\n[ \t]*\r?\n/)
    .filter((b) => b.trim() !== "");
  const recipients = await Promise.all(blocks.slice(1, 51).map((b) => fieldBlock(Buffer.from(b))));
  if (recipients.length === 0) return { kind: "invalid", reason: "delivery report without a recipient" };
  const failed = recipients.find((r) => r.get("action")?.toLowerCase() === "failed" && /^5\.\d{1,3}\.\d{1,3}$/.test(statusCode(r)));
  const ref = await originalRef(parts);
  if (!ref.ok) return { kind: "invalid", reason: ref.reason };
  if (!failed) {
    const r = recipients[0]!;
    return { kind: "ignored", reason: `action ${r.get("action")?.toLowerCase() ?? "none"}, status ${statusCode(r) || "none"}` };
  }
  return { kind: "bounce", ref: ref.ref, status: statusCode(failed), diagnostic: failed.get("diagnostic-code")?.slice(0, 500) ?? null };
}

/** "5.1.1 (user unknown)" -> "5.1.1": the status may carry a comment. */
function statusCode(fields: Map<string, string>): string {
  return (fields.get("status") ?? "").trim().split(/[\s(]/, 1)[0] ?? "";
}

type RefResult = { ok: true; ref: FeedbackMessageRef } | { ok: false; reason: string };

async function originalRef(parts: Attachment[]): Promise<RefResult> {
  const original = parts.find((p) => ORIGINAL_TYPES.has(p.contentType));
  if (!original) return { ok: false, reason: "report without the original message or its headers" };
  // The headers alone (text/rfc822-headers) parse as a message with an empty body.
  const mail = await simpleParser(original.content, PARSE_OPTIONS).catch(() => null);
  if (!mail) return { ok: false, reason: "the original message is unreadable" };
  const header = headerText(mail, FEEDBACK_HEADER);
  if (header !== null) {
    const ref = readFeedbackHeader(header);
    return ref ? { ok: true, ref } : { ok: false, reason: `${FEEDBACK_HEADER} is not one we signed` };
  }
  const unsubscribe = listUnsubscribeRef(headerText(mail, "List-Unsubscribe"));
  return unsubscribe ? { ok: true, ref: unsubscribe } : { ok: false, reason: `the original message carries no ${FEEDBACK_HEADER} header` };
}

/** Mail sent before X-Flowmate-Message: its List-Unsubscribe URL holds a signed token naming the message. */
function listUnsubscribeRef(value: string | null): FeedbackMessageRef | null {
  const m = value ? /\/u\/([\w-]+\.[\w-]+)>?/.exec(value) : null;
  if (!m) return null;
  const v = verifyToken("unsubscribe", m[1]!);
  if (!v.ok || !v.claims.messageId) return null;
  return { shopId: v.claims.shopId, customerId: v.claims.customerId, messageId: v.claims.messageId };
}

/** A header's unfolded text as sent; null when absent (mailparser keeps the raw lines too). */
function headerText(mail: ParsedMail, name: string): string | null {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  return line ? unfoldedValue(line.line) : null;
}

/** "Name: value\r\n  continued" -> "value continued": a raw header line's value, unfolded. */
function unfoldedValue(line: string): string {
  return line
    .slice(line.indexOf(":") + 1)
    .replace(/\r?\n[ \t]+/g, " ")
    .trim();
}

/** A block of "Name: value" fields (the body of a feedback-report or delivery-status part), read by mailparser's header parser. */
async function fieldBlock(content: Buffer): Promise<Map<string, string>> {
  const mail = await simpleParser(Buffer.concat([content, Buffer.from("\r\n\r\n")]), PARSE_OPTIONS).catch(() => null);
  const fields = new Map<string, string>();
  for (const line of mail?.headerLines ?? []) {
    if (!fields.has(line.key)) fields.set(line.key, unfoldedValue(line.line));
  }
  return fields;
}

function contentType(mail: ParsedMail): { value: string; params: Record<string, string> } {
  // mailparser gives Content-Type as { value, params }.
  const v = mail.headers.get("content-type") as { value?: unknown; params?: Record<string, string> } | undefined;
  return { value: typeof v?.value === "string" ? v.value.toLowerCase() : "", params: v?.params ?? {} };
}
