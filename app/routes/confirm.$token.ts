import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/server/clock.server";
import { limitPublicRequest } from "~/server/http/public-limits.server";
import { confirmOptIn } from "~/server/compliance/double-optin.server";
import { readSmallForm } from "~/server/compliance/form.server";
import { loadLinkSubject } from "~/server/compliance/link-subject.server";
import { confirmedPage, confirmOptInPage } from "~/server/compliance/pages/confirm-views.server";
import { linkErrorPage } from "~/server/compliance/pages/error-view.server";

// /confirm/:token: double opt-in. GET shows a button (scanners open links, and
// they must not subscribe anyone); POST, echoing the token, confirms.

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const limited = limitPublicRequest("confirm", request, context, params.token);
  if (limited) return limited;
  const r = await loadLinkSubject("confirm_optin", params.token, now().getTime());
  if (!r.ok) return linkErrorPage(request, r.reason);
  return confirmOptInPage(r.subject, params.token!);
};

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const limited = limitPublicRequest("confirm", request, context, params.token);
  if (limited) return limited;
  const at = now();
  const r = await loadLinkSubject("confirm_optin", params.token, at.getTime());
  if (!r.ok) return linkErrorPage(request, r.reason);
  const form = await readSmallForm(request);
  if (!form || form.get("token") !== params.token) return linkErrorPage(request, "token_mismatch", 403);
  // An erased profile is not brought back by an old confirmation link.
  if (r.subject.customer.emailConsentState === "redacted") return linkErrorPage(request, "unknown_customer");
  const customer = await confirmOptIn(r.subject.shop.id, r.subject.customer.id, at);
  return confirmedPage({ ...r.subject, customer });
};
