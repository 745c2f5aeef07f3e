import type { LoaderFunctionArgs } from "@remix-run/node";
import { shopLinkOrHome } from "~/domain/messages/shop-links";
import { withUtm } from "~/domain/messages/utm";
import { recordEngagement } from "~/server/channels/email/tracking-events.server";
import { resolveSmsLink } from "~/server/channels/sms/short-links.server";
import { now } from "~/server/clock.server";
import { shopLinkPolicyById } from "~/server/shops/shop-link-policy.server";
import { limitPublicRequest } from "~/server/http/public-limits.server";

// SMS short links: /s/:code -> 302 to the link of the stored text the code names,
// with UTM tags (medium sms) for attribution. A code we did not issue gets a 404.
// The stored link is checked against the shop's domains at the click: a text queued
// with a foreign link leads to the shop's home page instead.

function notFound(): Response {
  return new Response("This link is invalid or has expired.\n", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const limited = limitPublicRequest("sms_link", request, context, params.code);
  if (limited) return limited;
  const at = now();
  const link = await resolveSmsLink(params.code ?? "");
  if (!link) return notFound();
  const { message } = link;
  const policy = await shopLinkPolicyById(message.shopId);
  if (!policy) return notFound();
  const flowKey = (message.payload as { flowKey?: unknown } | null)?.flowKey;
  const destination = withUtm(
    shopLinkOrHome(link.destination, policy),
    { campaign: typeof flowKey === "string" ? flowKey : message.templateKey, content: message.templateKey },
    "sms",
  );
  await recordEngagement(
    "clicked",
    { shopId: message.shopId, customerId: message.customerId ?? "", messageId: message.id, url: destination, channel: "sms" },
    { userAgent: request.headers.get("user-agent"), method: request.method, at },
  );
  return new Response(null, {
    status: 302,
    headers: { location: destination, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
};
