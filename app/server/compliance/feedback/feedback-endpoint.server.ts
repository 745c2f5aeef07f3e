import { now } from "../../clock.server";
import { limitPublicRequest } from "../../http/public-limits.server";
import { readCappedBody } from "../../http/read-json.server";
import { log } from "../../log.server";
import { ANY_SHOP, readFeedbackInbox } from "../../security/feedback-tokens.server";
import { currentFeedbackGeneration, noteFeedbackReport } from "./feedback-address.server";
import { parseReport } from "./parse-report.server";
import { recordComplaint, recordLateBounce } from "./record-feedback.server";

// POST /feedback/<token>: the raw report (RFC 822) a mail system forwards, from any
// provider's inbound-mail webhook or a mailbox pipe. Public and hostile: rate limited,
// the address's token checked before the body is read, the body capped while it is
// read, parsed by mailparser, and believed only for the message our signed header
// names, of the shop the address belongs to. Answers 200 with what was done (recorded,
// duplicate, ignored), or 4xx with the reason and nothing written.

/**
 * Larger than a report about any of our emails (the original, returned whole, is a
 * few tens of KB of HTML and text); mail systems cut longer originals anyway.
 */
export const MAX_REPORT_BYTES = 512 * 1024;

const RAW_TYPES = new Set(["message/rfc822", "message/global", "text/plain", "application/octet-stream"]);

function answer(status: number, body: Record<string, string>): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store" } });
}

export async function handleFeedback(request: Request, context: unknown, token: string | undefined): Promise<Response> {
  const limited = limitPublicRequest("feedback", request, context, token);
  if (limited) return limited;
  const inbox = readFeedbackInbox(token);
  if (!inbox) return answer(403, { error: "Not a feedback address of this app" });
  if (inbox.shopId !== ANY_SHOP) {
    // A replaced address (the merchant made a new one under Settings -> Sending) is
    // refused before its body is read, so a leaked address writes nothing any more.
    const current = await currentFeedbackGeneration(inbox.shopId);
    if (inbox.generation < current) {
      return answer(410, { error: "This feedback address was replaced: post to the shop's current address (Settings → Sending)" });
    }
    if (inbox.generation > current) return answer(403, { error: "Not a feedback address of this app" });
  }
  const type = (request.headers.get("content-type") ?? "").split(";", 1)[0]!.trim().toLowerCase();
  if (!RAW_TYPES.has(type)) {
    return answer(415, { error: "Post the raw message as message/rfc822 (or text/plain, application/octet-stream)" });
  }
  const raw = await readCappedBody(request, MAX_REPORT_BYTES);
  if (raw === null) return answer(413, { error: `Body larger than ${MAX_REPORT_BYTES} bytes` });
  if (raw.length === 0) return answer(400, { error: "Empty body: expected the raw report message" });

  const report = await parseReport(raw);
  if (report.kind === "invalid") return answer(400, { error: `Not a report we can read: ${report.reason}` });
  if (report.kind === "ignored") return answer(200, { result: "ignored", reason: report.reason });
  // A shop's address takes reports about that shop's messages only; the app's takes any
  // (the signed header names the shop, and nobody can sign one for another shop).
  if (inbox.shopId !== ANY_SHOP && inbox.shopId !== report.ref.shopId) {
    return answer(403, { error: "The report is about a message of another shop" });
  }
  const at = now();
  const outcome =
    report.kind === "complaint"
      ? await recordComplaint(report.ref, { feedbackType: report.feedbackType, userAgent: report.userAgent }, at)
      : await recordLateBounce(report.ref, { status: report.status, diagnostic: report.diagnostic }, at);
  if (inbox.shopId !== ANY_SHOP && outcome !== "unknown_message") await noteFeedbackReport(inbox.shopId, report.kind, at);
  log.info("feedback report", { shopId: report.ref.shopId, messageId: report.ref.messageId, kind: report.kind, outcome });
  // A message we no longer hold (retention, erasure): nothing to do, nothing to retry.
  if (outcome === "unknown_message") return answer(200, { result: "ignored", reason: "message not found" });
  return answer(200, { result: outcome, kind: report.kind });
}
