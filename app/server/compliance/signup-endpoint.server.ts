import { z } from "zod";
import { resolveLocale } from "~/i18n";
import { complianceTranslator } from "~/i18n/compliance";
import { shopify } from "~/shopify.server";
import { now as clockNow } from "../clock.server";
import { db } from "../db/client.server";
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

function error(status: number, message: string, field?: string): Response {
  return Response.json(field ? { error: message, field } : { error: message }, { status, headers: { "cache-control": "no-store" } });
}

export async function handleSignup(request: Request): Promise<Response> {
  if (request.method !== "POST") return error(405, "Use POST");
  let session;
  try {
    ({ session } = await shopify().authenticate.public.appProxy(request));
  } catch (thrown) {
    // The library answers a missing or wrong signature with a bare 400.
    if (thrown instanceof Response) return error(thrown.status === 400 ? 400 : 401, "Invalid app proxy signature");
    throw thrown;
  }
  // A correctly signed request from a shop that never installed the app (or removed
  // it): the library lets it through with no session, we do not.
  if (!session) return error(403, "This shop is not connected to the app");
  const shop = await db().shop.findUnique({ where: { domain: session.shop } });
  if (!shop || shop.installState !== "installed") return error(403, "This shop is not connected to the app");

  const read = await readJson(request, z.unknown(), 4096);
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
