import { z } from "zod";
import { resolveLocale } from "~/i18n";
import { complianceTranslator } from "~/i18n/compliance";
import { shopify } from "~/shopify.server";
import { now as clockNow } from "../clock.server";
import { db } from "../db/client.server";
import { RateLimiter } from "../http/rate-limit.server";
import { proxiedVisitorIp } from "../http/public-limits.server";
import { readJson } from "../http/read-json.server";
import { log } from "../log.server";
import { subscribeFromForm } from "./signup.server";

// POST /proxy/subscribe, reached through Shopify's app proxy from the storefront
// signup widget (extensions/theme-widgets). Shopify signs the query; the body is the
// widget's JSON. Errors carry `field` so the widget can put the message under the
// right input, in the shopper's language.

const SignupBody = z.object({
  email: z.string().max(320),
  phone: z.string().max(40).optional(),
  emailConsent: z.boolean(),
  smsConsent: z.boolean(),
  source: z.enum(["signup_popup"]),
  locale: z.string().max(35),
  clientId: z.string().min(1).max(128).optional(),
});

const FIELDS = new Set(["email", "phone", "emailConsent", "smsConsent"]);

// The endpoint is public (any storefront visitor), so a script could sign up
// thousands of strangers' addresses. Per visitor IP (Shopify's proxy appends it to
// X-Forwarded-For: proxiedVisitorIp): a burst of 5, then one every 10 s; per shop: a
// ceiling that a real campaign does not reach.
const perVisitor = new RateLimiter(5, 0.1);
const perShop = new RateLimiter(300, 20);

function error(status: number, message: string, field?: string): Response {
  return Response.json(field ? { error: message, field } : { error: message }, { status, headers: { "cache-control": "no-store" } });
}

export async function handleSignup(request: Request, context?: unknown): Promise<Response> {
  if (request.method !== "POST") return error(405, "Use POST");
  let session;
  try {
    ({ session } = await shopify().authenticate.public.appProxy(request));
  } catch (thrown) {
    // The library answers a missing or wrong signature with a bare 400; it is a request
    // not proven to come from the shop it names: 401, like every unauthenticated request.
    if (thrown instanceof Response) return error(401, "Invalid app proxy signature");
    throw thrown;
  }
  // A correctly signed request from a shop that never installed the app (or removed
  // it): the library lets it through with no session, we do not.
  const unavailable = () =>
    complianceTranslator(resolveLocale(request.headers.get("accept-language")?.split(",")[0]))("signup.error.unavailable");
  if (!session) return error(403, unavailable());
  const shop = await db().shop.findUnique({ where: { domain: session.shop } });
  if (!shop || shop.installState !== "installed") return error(403, unavailable());
  const ip = proxiedVisitorIp(request, context);
  const wait = Math.max(perShop.take(shop.id), ip ? perVisitor.take(`${shop.id}:${ip}`) : 0);
  if (wait > 0)
    return Response.json({ error: unavailable() }, { status: 429, headers: { "retry-after": String(wait), "cache-control": "no-store" } });

  // The form is flat: a few fields, no nesting worth more than a level or two.
  const read = await readJson(request, z.unknown(), 4096, undefined, { maxDepth: 4, maxNodes: 200 });
  if (!read.ok) return read.response;
  const raw = read.data as { locale?: unknown } | null;
  const locale = resolveLocale(typeof raw?.locale === "string" ? raw.locale : null, shop.locale);
  const t = complianceTranslator(locale);
  const parsed = SignupBody.safeParse(read.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = typeof issue.path[0] === "string" && FIELDS.has(issue.path[0]) ? issue.path[0] : undefined;
    const message = field === "email" ? t("signup.error.email") : field === "phone" ? t("signup.error.phone") : t("signup.error.consent");
    return error(400, message, field);
  }

  const outcome = await subscribeFromForm(shop, { ...parsed.data, locale }, clockNow());
  if (!outcome.ok) return error(400, t(outcome.error), outcome.field);
  log.info("signup", { shopId: shop.id, status: outcome.status });
  return Response.json({ status: outcome.status }, { status: 201, headers: { "cache-control": "no-store" } });
}
