import { TemplateError } from "./email/content-template.server";
import { DiscountUnavailableError } from "./email/resolve-discount.server";
import type { LoadedMessage, Outcome } from "./dispatch-email.server";
import { errorText, retryOrFail, settle } from "./outbox.server";

/**
 * A message whose content could not be made, email or SMS alike: the merchant's text
 * that does not render (a Liquid error, an unknown variable) and a failure that comes
 * back the same every time (`permanent`) are never sent; anything else (the discount
 * could not be created at Shopify, the database hiccuped) is tried again later.
 */
export async function settleRenderFailure(
  workerId: string,
  m: LoadedMessage,
  err: unknown,
  at: Date,
  failure: { permanent: boolean; details?: Record<string, unknown> },
): Promise<Outcome> {
  const error = errorText(err);
  if (err instanceof TemplateError || failure.permanent) {
    const decision =
      err instanceof TemplateError
        ? { reason: "template_error", details: { error, problems: err.problems.map((p) => ({ ...p })) } }
        : { reason: "render_failed", details: { error, ...failure.details } };
    await settle(workerId, m, "pending", { status: "failed", data: { error }, decision }, at);
    return "failed";
  }
  const s = retryOrFail(m.attempts, error, at, {
    reason: err instanceof DiscountUnavailableError ? "discount_unavailable" : "render_failed",
  });
  await settle(workerId, m, "pending", s, at);
  return s.status === "pending" ? "retried" : "failed";
}
