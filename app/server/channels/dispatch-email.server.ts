import type { Customer, Message, Shop, ShopSending } from "@prisma/client";
import { z } from "zod";
import { UnknownTemplateError } from "~/domain/messages/catalogue";
import { EmailComplianceError } from "~/domain/messages/compliance";
import { parseEmailPayload } from "~/domain/messages/email-payload";
import { outboxSkipReason } from "~/domain/messages/send-eligibility";
import { now } from "../clock.server";
import { messageEligibility } from "../compliance/eligibility.server";
import { log } from "../log.server";
import { composeEmail, type ComposedEmail } from "./email/compose-email.server";
import { emailContent } from "./email/email-content.server";
import { InvalidRenderContextError } from "./email/render-email.server";
import { resolveDiscount } from "./email/resolve-discount.server";
import { sendEmail } from "./email/send-email.server";
import { errorText, forLog, retryOrFail, settle, settleSuppressed } from "./outbox.server";
import { settleRenderFailure } from "./render-failure.server";
import { emailSendingOptions, type EmailSendingOptions } from "./shop-sending.server";

export type LoadedMessage = Message & { shop: Shop & { sending?: ShopSending | null }; customer: Customer | null };
export type Outcome = "sent" | "retried" | "failed" | "suppressed" | "unknown" | "deferred";

/** Compliance's reasons, named for the Decision log. */
const SKIP_REASONS: Record<string, string> = { suppressed: "suppressed_address" };

/**
 * Everything before the point of no return: the send-time re-check (consent may have
 * been withdrawn since enqueueing) and rendering. Returns the composed email, or the
 * outcome already recorded for a message that will not be sent.
 */
export async function prepareEmail(workerId: string, m: LoadedMessage, flowKey: string | null, at: Date): Promise<ComposedEmail | Outcome> {
  const blocked = outboxSkipReason({ channel: m.channel, purpose: m.purpose, toAddress: m.toAddress, shop: m.shop, customer: m.customer });
  const eligibility = blocked ? null : await messageEligibility(m, at);
  const reason = blocked ?? (eligibility && !eligibility.allowed ? (SKIP_REASONS[eligibility.reason] ?? eligibility.reason) : null);
  if (reason) return settleSuppressed(workerId, m, reason, at, "send_time_check");
  try {
    const payload = parseEmailPayload(m.payload);
    // Content first: a message that will not be sent must not create a discount at Shopify.
    const content = await emailContent(m.shop, m.templateKey, payload, null);
    // Not a fault: the storefront named no product the shop sells; nothing to retry.
    if (content.skipReason) return await settleSuppressed(workerId, m, content.skipReason, at, "send_time_content");
    const discount = await resolveDiscount(m, payload, at);
    return await composeEmail(m, m.shop, m.customer, { flowKey, content: { ...content, discount } });
  } catch (err) {
    log.warn("email not composed", { messageId: m.id, templateKey: m.templateKey, err: forLog(errorText(err)) });
    // Fails the same way every time (no postal address, unknown template, bad payload): no retry.
    const compliance = err instanceof EmailComplianceError ? { missing: err.missing } : {};
    return settleRenderFailure(workerId, m, err, at, { permanent: isPermanentRenderError(err), details: compliance });
  }
}

/** The shop's own provider and DKIM key; null when its stored secrets cannot be read. */
function sendingOptions(m: LoadedMessage): EmailSendingOptions | null {
  try {
    return emailSendingOptions(m.shop.sending);
  } catch (err) {
    log.error("shop sending settings unreadable", { shopId: m.shopId, err: errorText(err) });
    return null;
  }
}

function isPermanentRenderError(err: unknown): boolean {
  return (
    err instanceof z.ZodError ||
    err instanceof EmailComplianceError ||
    err instanceof UnknownTemplateError ||
    err instanceof InvalidRenderContextError
  );
}

/** Sends a message already marked "sending" and records what happened. */
export async function sendAndSettleEmail(workerId: string, m: LoadedMessage, email: ComposedEmail): Promise<Outcome> {
  const via = sendingOptions(m);
  if (!via) {
    // A stored secret that cannot be read (the key was changed or removed): retried
    // later, never sent through another provider than the one the merchant chose.
    const s = retryOrFail(m.attempts, "shop sending settings unreadable", now(), { reason: "provider_unreadable" });
    await settle(workerId, m, "sending", s, now());
    return s.status === "pending" ? "retried" : "failed";
  }
  const result = await sendEmail(email.mail, via);
  const at = now();
  if (result.ok) {
    const recorded = await settle(
      workerId,
      m,
      "sending",
      { status: "sent", data: { sentAt: at, providerId: result.providerId, error: null } },
      at,
    );
    // Delivered but the lease was lost (a send slower than the lease): the row says
    // "unknown" and is not sent again; worth a look, not a retry.
    if (!recorded) log.warn("email sent after its lease expired", { messageId: m.id });
    return "sent";
  }
  const { failure } = result;
  switch (failure.kind) {
    case "transient": {
      const s = retryOrFail(m.attempts, failure.reason, at);
      await settle(workerId, m, "sending", s, at);
      return s.status === "pending" ? "retried" : "failed";
    }
    case "hard_bounce":
      await settle(workerId, m, "sending", { status: "failed", data: { error: failure.reason }, hardBounce: failure.reason }, at);
      return "failed";
    case "permanent":
      await settle(
        workerId,
        m,
        "sending",
        { status: "failed", data: { error: failure.reason }, decision: { reason: "send_failed", details: { response: failure.reason } } },
        at,
      );
      return "failed";
    case "unknown":
      await settle(
        workerId,
        m,
        "sending",
        {
          status: "unknown",
          data: { error: failure.reason },
          decision: { reason: "outcome_unknown", details: { stage: "connection_lost_after_data", error: failure.reason } },
        },
        at,
      );
      log.warn("email outcome unknown: not re-sent", { messageId: m.id, err: forLog(failure.reason) });
      return "unknown";
  }
}
