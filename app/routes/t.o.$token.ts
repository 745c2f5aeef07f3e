import type { LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/server/clock.server";
import { limitPublicRequest } from "~/server/http/public-limits.server";
import { recordEngagement } from "~/server/channels/email/tracking-events.server";
import { verifyToken } from "~/server/security/signed-token.server";

// Open pixel: /t/o/:token always answers a 1x1 transparent GIF (a broken image in the
// email helps nobody), and records an open only for a valid token. Opens are for
// engagement (sunsetting, "last engaged"), and attribute orders only where the merchant
// switched open attribution on (then labelled "open"); machine opens (Apple Mail Privacy
// Protection, image proxies, scanners) are stored with reliable = false and never attribute.

const PIXEL = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const limited = limitPublicRequest("open", request, context, params.token);
  if (limited) return limited;
  const at = now();
  const verified = verifyToken("open", params.token ?? "", at.getTime());
  if (verified.ok) {
    await recordEngagement("opened", verified.claims, { userAgent: request.headers.get("user-agent"), method: request.method, at });
  }
  return new Response(PIXEL, {
    status: 200,
    headers: {
      "content-type": "image/gif",
      "content-length": String(PIXEL.length),
      "cache-control": "no-store, no-cache, must-revalidate, private",
    },
  });
};
