// Email delivery end to end: outbox row -> dispatcher -> the app's pooled nodemailer
// transport -> a real SMTP server in this process -> parsed with mailparser.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Customer, Shop } from "@prisma/client";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { verifyToken } from "~/server/security/signed-token.server";
import { useTestDatabase } from "../../support/db";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";
import { startSmtpTestServer, type ReceivedMail, type SmtpTestServer } from "./support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma());
});
afterAll(async () => smtp?.close());

async function deliver(
  customer: Customer,
  overrides: Parameters<typeof enqueueEmail>[3] = {},
  onShop = shop,
): Promise<{ mail: ReceivedMail; messageId: string }> {
  const message = await enqueueEmail(prisma(), onShop.id, customer, overrides);
  const before = smtp.received.length;
  const result = await dispatchDueMessages("test-worker");
  expect(result).toMatchObject({ sent: 1, failed: 0, unknown: 0 });
  expect(smtp.received).toHaveLength(before + 1);
  return { mail: smtp.received.at(-1)!, messageId: message.id };
}

const header = (mail: ReceivedMail, name: string) => {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase());
  return line
    ? line.line
        .slice(line.line.indexOf(":") + 1)
        .trim()
        .replace(/\r?\n\s+/g, " ")
    : undefined;
};
const html = (mail: ReceivedMail) => String(mail.parsed.html);
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

describe("email delivery over SMTP", () => {
  it("sends a marketing email with one-click unsubscribe headers, a deterministic Message-ID and the shop as sender", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const { mail, messageId } = await deliver(customer);

    expect(mail.envelopeTo).toEqual([customer.email]);
    expect(mail.parsed.from?.value[0]).toEqual({ name: "Kawa & Co.", address: "hello@kawa.example.com" });
    expect(mail.parsed.replyTo?.value[0]?.address).toBe("support@kawa.example.com");
    expect(mail.parsed.messageId).toBe(`<${messageId}@flowmate.${shop.domain}>`);

    const listUnsubscribe = header(mail, "List-Unsubscribe")!;
    expect(listUnsubscribe).toMatch(/^<https:\/\/app\.flowmate\.test\/u\/[\w-]+\.[\w-]+>$/);
    expect(header(mail, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
    const unsubscribe = verifyToken("unsubscribe", tokenOf(listUnsubscribe.slice(1, -1)));
    expect(unsubscribe).toEqual({ ok: true, claims: { shopId: shop.id, customerId: customer.id, messageId, channel: "email" } });

    const row = await prisma().message.findUniqueOrThrow({ where: { id: messageId } });
    expect(row).toMatchObject({
      status: "sent",
      attempts: 1,
      messageIdHeader: mail.parsed.messageId,
      subject: mail.parsed.subject,
      locale: "en",
      leaseOwner: null,
    });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(row.providerId).toMatch(/queued/i);
  });

  it("carries both parts, personalised, with the postal address and the preference link in the footer", async () => {
    const customer = await createCustomer(prisma(), shop.id, { firstName: "Zofia" });
    const { mail } = await deliver(customer);
    expect(mail.parsed.subject).toBe("Your order is waiting to be completed");
    for (const part of [html(mail), mail.parsed.text!]) {
      expect(part).toContain("Zofia");
      expect(part).toContain("Ethiopia Yirgacheffe 250 g");
      expect(part).toContain("ul. Prosta 12, 00-850 Warszawa, Poland");
      expect(part).toMatch(/https:\/\/app\.flowmate\.test\/preferences\/[\w-]+\.[\w-]+/);
    }
    expect(html(mail)).toContain("PLN\u00a098.00");
  });

  it("tracks every shop link through a signed redirect with UTM tags, leaves app links alone and adds an open pixel", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const flow = await prisma().flow.create({ data: { shopId: shop.id, key: "abandoned_checkout", name: "Abandoned checkout" } });
    const { mail, messageId } = await deliver(customer, { flowId: flow.id });
    const hrefs = [...html(mail).matchAll(/<a\b[^>]*\shref="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
    const tracked = hrefs.filter((h) => h.startsWith("https://app.flowmate.test/t/c/"));
    expect(tracked.length).toBeGreaterThanOrEqual(3);
    expect(hrefs.filter((h) => !h.startsWith("https://app.flowmate.test/"))).toEqual([]);
    const destinations = tracked.map((url) => {
      const v = verifyToken("click", tokenOf(url));
      expect(v.ok && v.claims).toMatchObject({ shopId: shop.id, customerId: customer.id, messageId });
      return new URL(v.ok ? v.claims.url! : "");
    });
    const checkout = destinations.find((d) => d.pathname === "/checkouts/c1/recover")!;
    expect(checkout.searchParams.get("key")).toBe("abc");
    expect(Object.fromEntries([...checkout.searchParams].filter(([k]) => k.startsWith("utm_")))).toEqual({
      utm_source: "flowmate",
      utm_medium: "email",
      utm_campaign: "abandoned_checkout",
      utm_content: "abandoned_checkout_1",
    });
    // The plain-text part's links are tracked too; the unsubscribe link is not.
    expect(mail.parsed.text).toMatch(/Complete my order: https:\/\/app\.flowmate\.test\/t\/c\//);
    expect(mail.parsed.text).toMatch(/Unsubscribe: https:\/\/app\.flowmate\.test\/u\//);
    const pixel = /<img src="(https:\/\/app\.flowmate\.test\/t\/o\/[^"]+)" width="1" height="1"/.exec(html(mail));
    expect(pixel && verifyToken("open", tokenOf(pixel[1]!))).toMatchObject({ ok: true, claims: { messageId } });
  });

  it("writes in Polish to a Polish customer, and in the shop's language when the customer has none", async () => {
    const polish = await createCustomer(prisma(), shop.id, { locale: "pl" });
    const { mail } = await deliver(polish, {
      templateKey: "abandoned_checkout_3",
      payload: { discount: { code: "WRACAJ10", kind: "percentage", value: 10 } },
    });
    expect(mail.parsed.subject).toBe("Prezent na dokończenie zamówienia");
    expect(html(mail)).toContain("Cześć Anna");
    expect(mail.parsed.text).toContain("10% zniżki na zamówienie z kodem: WRACAJ10");
    expect(mail.parsed.text).toContain("Wypisz się: https://app.flowmate.test/u/");
    expect(mail.parsed.text).toContain("Warszawa, Polska");

    const polishShop = await createShop(prisma(), { locale: "pl" });
    const noLocale = await createCustomer(prisma(), polishShop.id, { locale: null });
    expect((await deliver(noLocale, { templateKey: "welcome_1", payload: {} }, polishShop)).mail.parsed.subject).toBe(
      "Witamy w Kawa & Co., Anna!",
    );
    const german = await createCustomer(prisma(), shop.id, { locale: "de-DE" });
    expect((await deliver(german, { templateKey: "welcome_1", payload: {} })).mail.parsed.subject).toBe("Welcome to Kawa & Co., Anna!");
  });

  it("escapes a hostile name in the delivered HTML", async () => {
    const customer = await createCustomer(prisma(), shop.id, { firstName: "<script>alert(1)</script>" });
    const { mail } = await deliver(customer, { templateKey: "welcome_1", payload: {} });
    expect(html(mail)).not.toContain("<script>alert(1)</script>");
    expect(html(mail)).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("sends the transactional opt-in confirmation without unsubscribe headers and with the confirmation link untracked", async () => {
    const customer = await createCustomer(prisma(), shop.id, { emailConsentState: "pending" });
    const confirmUrl = "https://app.flowmate.test/confirm/abc.def";
    const { mail } = await deliver(customer, { templateKey: "double_optin_confirm", purpose: "transactional", payload: { confirmUrl } });
    expect(header(mail, "List-Unsubscribe")).toBeUndefined();
    expect(mail.parsed.subject).toBe("Please confirm your subscription to Kawa & Co.");
    expect(html(mail)).toContain(`href="${confirmUrl}"`);
  });
});
