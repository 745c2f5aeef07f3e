import type { LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/server/clock.server";
import { shopLinkOrHome } from "~/domain/messages/shop-links";
import { limitPublicRequest } from "~/server/http/public-limits.server";
import { recordEngagement } from "~/server/channels/email/tracking-events.server";
import { verifyToken } from "~/server/security/signed-token.server";
import { shopLinkPolicyById } from "~/server/shops/shop-link-policy.server";

// Click tracking: /t/c/:token -> 302 to the destination signed into the token. The
// destination comes only from the token, never from the query string, so this can
// never be used as an open redirect; a tampered token gets a 400 and no redirect.
// A signed destination is still checked against the shop's domains at the click: a
// token signed before that check existed may name a host storefront input put there,
// and it leads to the shop's home page instead.

function badLink(): Response {
  return new Response("This link is invalid or has been altered.\n", {
    status: 400,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const limited = limitPublicRequest("click", request, context, params.token);
  if (limited) return limited;
  const at = now();
  const verified = verifyToken("click", params.token ?? "", at.getTime());
  if (!verified.ok || !verified.claims.url) return badLink();
  let destination: URL;
  try {
    destination = new URL(verified.claims.url);
  } catch {
    return badLink();
  }
  if (destination.protocol !== "https:" && destination.protocol !== "http:") return badLink();
  const policy = await shopLinkPolicyById(verified.claims.shopId);
  if (!policy) return badLink();
  const location = shopLinkOrHome(destination.toString(), policy);
  await recordEngagement(
    "clicked",
    { ...verified.claims, url: location },
    {
      userAgent: request.headers.get("user-agent"),
      method: request.method,
      at,
    },
  );
  return new Response(null, {
    status: 302,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
  });
};
