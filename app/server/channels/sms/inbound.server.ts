import { parseSmsKeyword, normalizeKeyword, type SmsKeyword } from "~/domain/sms/keywords";
import { complianceTranslator, shopperLocale, type ComplianceKey } from "~/i18n/compliance";
import { now as clockNow } from "../../clock.server";
import { readEnv, shopifyCredentials } from "../../config.server";
import { db } from "../../db/client.server";
import { grantConsent, withdrawConsent } from "../../compliance/consent-changes.server";
import { trySyncConsentNow } from "../../compliance/consent-sync.server";
import { readSmallForm } from "../../compliance/form.server";
import { resolveProfile } from "../../profiles/identity.server";
import { readSmsConfig } from "./config.server";
import { shopBySmsNumber } from "./shop-settings.server";
import { signatureUrlCandidates, verifyTwilioSignature } from "./twilio-signature.server";

// POST /sms/inbound: Twilio's incoming-message webhook. A keyword reply changes the
// sender's SMS consent at the shop that owns the number they texted (To); the
// answer is TwiML, whose <Message> Twilio sends back as the reply.

function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);
}

export function twiml(reply?: string): Response {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Response>${reply ? `<Message>${xmlEscape(reply)}</Message>` : ""}</Response>`;
  return new Response(body, { status: 200, headers: { "content-type": "text/xml; charset=utf-8" } });
}

const REPLY: Record<SmsKeyword, ComplianceKey> = { stop: "sms.reply.stop", start: "sms.reply.start", help: "sms.reply.help" };

export async function handleInboundSms(request: Request): Promise<Response> {
  const config = readSmsConfig();
  if (!config) return new Response("SMS is not configured", { status: 503 });
  const form = await readSmallForm(request, 64 * 1024);
  if (!form) return new Response("Unreadable body, or more fields or longer values than Twilio sends", { status: 400 });
  const urls = signatureUrlCandidates(request.url, shopifyCredentials(readEnv()).appUrl);
  if (!verifyTwilioSignature(config.authToken, request.headers.get("x-twilio-signature"), urls, form)) {
    return new Response("Invalid signature", { status: 403 });
  }
  if (form.get("AccountSid") !== config.accountSid) return new Response("Unknown account", { status: 403 });

  const keyword = parseSmsKeyword(form.get("Body"));
  const to = form.get("To");
  const from = form.get("From");
  // Not a keyword, or a number no shop owns: acknowledge with no reply (Twilio retries nothing on 200).
  if (!keyword || !to || !from) return twiml();
  const shop = await shopBySmsNumber(to);
  if (!shop) return twiml();

  const at = clockNow();
  const evidence = { messageSid: form.get("MessageSid"), keyword: normalizeKeyword(form.get("Body") ?? "") };
  let customerLocale: string | null;
  if (keyword === "help") {
    const c = await db().customer.findFirst({ where: { shopId: shop.id, phone: from, mergedIntoId: null }, select: { locale: true } });
    customerLocale = c?.locale ?? null;
  } else {
    const outcome = await db().$transaction(async (tx) => {
      // An opt-out from a number we have never seen still gets a profile: it is what
      // keeps a later import or form from texting that number.
      const customer = await resolveProfile(tx, shop.id, { phone: from }, { create: true, at });
      if (!customer) return null;
      const ctx = { at, source: "sms_keyword", evidence };
      const changed =
        keyword === "stop"
          ? await withdrawConsent(tx, customer, "sms", ctx)
          : await grantConsent(tx, customer, "sms", "single_opt_in", ctx);
      return { customer, changed };
    });
    customerLocale = outcome?.customer.locale ?? null;
    if (outcome?.changed) await trySyncConsentNow(shop.id, outcome.customer.id);
  }
  const t = complianceTranslator(shopperLocale(customerLocale, shop.locale));
  return twiml(t(REPLY[keyword], { shop: shop.name }));
}
