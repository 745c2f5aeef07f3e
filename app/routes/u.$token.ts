import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/server/clock.server";
import { limitPublicRequest } from "~/server/http/public-limits.server";
import { readSmallForm } from "~/server/compliance/form.server";
import { loadLinkSubject } from "~/server/compliance/link-subject.server";
import { linkErrorPage } from "~/server/compliance/pages/error-view.server";
import { unsubscribeConfirmPage, unsubscribeDonePage } from "~/server/compliance/pages/unsubscribe-views.server";
import { unsubscribe } from "~/server/compliance/unsubscribe.server";

// /u/:token: the List-Unsubscribe target (RFC 8058) and the footer's unsubscribe link.
// GET only shows a page (link scanners prefetch GETs); POST with the body
// "List-Unsubscribe=One-Click" unsubscribes, from a mail client or from our page.

const wantsHtml = (request: Request) => /text\/html/.test(request.headers.get("accept") ?? "");

function plain(status: number, text: string): Response {
  return new Response(text + "\n", { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const limited = limitPublicRequest("unsubscribe", request, context, params.token);
  if (limited) return limited;
  const r = await loadLinkSubject("unsubscribe", params.token, now().getTime());
  if (!r.ok) return linkErrorPage(request, r.reason);
  return unsubscribeConfirmPage(r.subject, params.token!);
};

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const limited = limitPublicRequest("unsubscribe", request, context, params.token);
  if (limited) return limited;
  const r = await loadLinkSubject("unsubscribe", params.token, now().getTime());
  if (!r.ok) return wantsHtml(request) ? linkErrorPage(request, r.reason) : plain(400, `Invalid unsubscribe link: ${r.reason}`);
  const form = await readSmallForm(request);
  if (form?.get("List-Unsubscribe") !== "One-Click") return plain(400, "Expected the body List-Unsubscribe=One-Click");
  const s = r.subject;
  await unsubscribe({
    shopId: s.shop.id,
    customerId: s.customer.id,
    channels: [s.channel],
    source: "unsubscribe_link",
    at: now(),
    messageId: s.messageId,
    evidence: { via: wantsHtml(request) ? "page" : "one_click" },
  });
  // 200 and no redirect: a mail client's one-click POST does not follow one.
  if (!wantsHtml(request)) return plain(200, "Unsubscribed");
  const fresh = await loadLinkSubject("unsubscribe", params.token, now().getTime());
  return fresh.ok ? unsubscribeDonePage(fresh.subject) : plain(200, "Unsubscribed");
};
