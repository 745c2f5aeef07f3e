// Finding 2 of issue 14, reproduced through the real path: pixel requests are public,
// so an attacker posts storefront events that link their visitor id to a subscribed
// customer and "view" a product with their own title and URL. Two hours later the
// browse-abandonment email is composed, sent over SMTP and its links followed through
// the click route. Nothing the attacker wrote may reach the mail, and no link may
// lead off the shop's domains.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import { Prisma, type Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as clickRoute from "~/routes/t.c.$token";
import * as shortLinkRoute from "~/routes/s.$code";
import { action as pixel } from "~/routes/api.pixel.events";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { shortenSmsLinks } from "~/server/channels/sms/short-links.server";
import { signToken } from "~/server/security/signed-token.server";
import { advanceClock, now, resetClock, setClock } from "~/server/clock.server";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";
import { createCustomer, createShop, enqueueEmail } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type ReceivedMail, type SmtpTestServer } from "../messages/email/support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const HOUR = 3_600_000;
const SHOP_HOSTS = new Set(["kawa.example.com", "www.kawa.example.com"]);
const ATTACKER_TITLE = "Your account is locked - verify at evil.example";
const ATTACKER_URL = "https://evil.example/login?next=kawa";
let smtp: SmtpTestServer;
let shop: Shop;

beforeAll(async () => {
  // Tuesday 10:00 in Warsaw: inside every send window.
  setClock(new Date("2026-11-24T09:00:00Z"));
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma(), { timezone: "Europe/Warsaw", holdoutPercent: 0 });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "browse_abandonment", "on", "test");
  await prisma().product.create({
    data: {
      shopId: shop.id,
      shopifyProductId: 7001n,
      title: "Ethiopia Yirgacheffe 250 g",
      handle: "ethiopia-yirgacheffe",
      imageUrl: "https://cdn.shopify.com/s/files/ethiopia.png",
      priceMin: new Prisma.Decimal("54.00"),
      variants: [{ id: "8001", title: "Whole bean", price: "54.00", sku: null }],
    },
  });
});
afterAll(async () => {
  resetClock();
  await smtp?.close();
});

let seq = 0;
function wireEvent(clientId: string, name: string, data: unknown, url = `https://${shop.primaryDomain}/`) {
  seq++;
  return {
    id: `atk-${seq}`,
    name,
    timestamp: now().toISOString(),
    clientId,
    seq,
    context: { url, referrer: "", title: "", language: "en-US" },
    data,
  };
}

/** What anyone on the internet can send: a public endpoint, the shop's origin forged from a script. */
async function attackerPosts(events: unknown[]) {
  const res = await pixel({
    request: new Request("https://app.flowmate.test/api/pixel/events", {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: `https://${shop.primaryDomain}` },
      body: JSON.stringify({ shop: shop.domain, v: 1, events }),
    }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(202);
  await drainPixelInbox();
  while ((await routeEvents()).claimed > 0);
}

/** The attack: claim the victim's email for the attacker's visitor id, then "view" a product. */
async function attack(victimEmail: string, clientId: string, product: { id: string; variantId: string }) {
  await attackerPosts([
    wireEvent(clientId, "checkout_contact_info_submitted", {
      checkout: { token: `tok-${clientId}`, email: victimEmail, phone: null, currencyCode: "PLN", lineItems: [] },
    }),
  ]);
  await attackerPosts([
    wireEvent(
      clientId,
      "product_viewed",
      {
        productVariant: {
          id: product.variantId,
          title: ATTACKER_TITLE,
          price: { amount: 1, currencyCode: "PLN" },
          image: { src: "https://evil.example/logo.png" },
          product: {
            id: product.id,
            title: ATTACKER_TITLE,
            vendor: "evil",
            type: "",
            untranslatedTitle: ATTACKER_TITLE,
            url: ATTACKER_URL,
          },
        },
      },
      ATTACKER_URL,
    ),
  ]);
  advanceClock(2 * HOUR + 60_000);
  while ((await runDueEnrollments()).claimed > 0);
  await dispatchDueMessages("test-worker");
}

const mailsTo = (email: string) => smtp.received.filter((m) => m.envelopeTo.includes(email));

/** Every tracked link of the mail, followed through the click route: where the shopper lands. */
async function landings(mail: ReceivedMail): Promise<URL[]> {
  const tokens = [...String(mail.parsed.html).matchAll(/https:\/\/app\.flowmate\.test\/t\/c\/([\w.-]+)/g)].map((m) => m[1]!);
  expect(tokens.length).toBeGreaterThan(0);
  const out: URL[] = [];
  for (const token of new Set(tokens)) {
    const res = await callRoute(clickRoute.loader, new Request(`https://app.flowmate.test/t/c/${token}`), { token });
    expect(res.status).toBe(302);
    out.push(new URL(res.headers.get("location")!));
  }
  return out;
}

describe("phishing through storefront events (finding 2)", () => {
  it("a product the catalogue does not know contributes nothing: no email, and the skip is recorded with its reason", async () => {
    const victim = await createCustomer(prisma(), shop.id);
    await attack(victim.email!, "attacker-1", { id: "gid://shopify/Product/666", variantId: "gid://shopify/ProductVariant/667" });

    for (const mail of mailsTo(victim.email!)) {
      for (const landing of await landings(mail)) expect(SHOP_HOSTS).toContain(landing.hostname);
      expect(mail.parsed.subject).not.toContain("evil.example");
      expect(mail.raw.toString("utf8")).not.toContain("evil.example");
    }
    const message = await prisma().message.findFirstOrThrow({ where: { shopId: shop.id, customerId: victim.id } });
    expect(message).toMatchObject({ templateKey: "browse_abandonment_1", status: "suppressed" });
    expect(await prisma().decision.findMany({ where: { messageId: message.id }, select: { outcome: true, reason: true } })).toContainEqual({
      outcome: "skip",
      reason: "no_catalogue_products",
    });
    expect(mailsTo(victim.email!)).toHaveLength(0);
  });

  it("an attacker's title, price, picture and URL on a known product id: the catalogue's product is shown, every link lands on the shop", async () => {
    const victim = await createCustomer(prisma(), shop.id);
    await attack(victim.email!, "attacker-2", { id: "gid://shopify/Product/7001", variantId: "gid://shopify/ProductVariant/8001" });

    const [mail] = mailsTo(victim.email!);
    expect(mail).toBeDefined();
    expect(mail!.parsed.subject).toBe("Still thinking about Ethiopia Yirgacheffe 250 g?");
    const raw = mail!.raw.toString("utf8");
    expect(raw).not.toContain("evil.example");
    expect(raw).not.toContain("verify at");
    const html = String(mail!.parsed.html);
    expect(html).toContain('src="https://cdn.shopify.com/s/files/ethiopia.png"');
    expect(mail!.parsed.text).toMatch(/54[.,]00/); // the catalogue's price, not the attacker's 1.00
    expect(mail!.parsed.text).not.toMatch(/\b1[.,]00\b/);

    const lands = await landings(mail!);
    for (const landing of lands) expect(SHOP_HOSTS).toContain(landing.hostname);
    expect(lands.map((l) => l.pathname)).toContain("/products/ethiopia-yirgacheffe");
  });
});

describe("every redirect is checked against the shop's domains at the click", () => {
  const click = (token: string) => callRoute(clickRoute.loader, new Request(`https://app.flowmate.test/t/c/${token}`), { token });

  it("a tracked link whose signed target is foreign leads to the shop's home page", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const message = await enqueueEmail(prisma(), shop.id, customer, { status: "sent", sentAt: new Date(Date.now() - 60_000) });
    const claims = { shopId: shop.id, customerId: customer.id, messageId: message.id };
    // Signed by our key, as a mail composed before the render-time check could carry.
    for (const foreign of [
      ATTACKER_URL,
      "https://kawa.example.com.evil.example/",
      "https://kawa.example.com@evil.example/",
      "http://kawa.example.com/",
    ]) {
      const res = await click(signToken("click", { ...claims, url: foreign }));
      expect(res.status, foreign).toBe(302);
      expect(res.headers.get("location"), foreign).toBe("https://kawa.example.com/");
    }
    const own = "https://kawa.example.com/products/ethiopia-yirgacheffe?utm_source=flowmate";
    expect((await click(signToken("click", { ...claims, url: own }))).headers.get("location")).toBe(own);
    // The click is recorded with where the shopper really went.
    const urls = (await prisma().messageEvent.findMany({ where: { messageId: message.id, type: "clicked" } })).map((e) => e.url);
    expect(urls.filter((u) => u?.includes("evil"))).toEqual([]);
  });

  it("a link of a shop we do not know is refused, not followed", async () => {
    const res = await click(signToken("click", { shopId: "no-such-shop", customerId: "c", url: "https://kawa.example.com/" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("an SMS short link whose stored target is foreign leads to the shop's home page", async () => {
    const customer = await createCustomer(prisma(), shop.id, { phone: "+48600100200" });
    const body = `Kawa & Co.: your cart is waiting ${ATTACKER_URL} or https://kawa.example.com/cart`;
    const message = await prisma().message.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        channel: "sms",
        purpose: "marketing",
        idempotencyKey: `sms-foreign-${customer.id}`,
        toAddress: "+48600100200",
        templateKey: "abandoned_checkout_sms_1",
        status: "sent",
        sentAt: new Date(),
        payload: { flowKey: "abandoned_checkout", body },
        nextAttemptAt: new Date(),
      },
    });
    const codes = [...shortenSmsLinks(body, message.id).matchAll(/\/s\/([\w~-]+)/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(2);
    const follow = async (code: string) => {
      const res = await shortLinkRoute.loader({
        request: new Request(`https://app.flowmate.test/s/${code}`),
        params: { code },
        context: {},
      });
      expect(res.status).toBe(302);
      return new URL(res.headers.get("location")!);
    };
    const foreign = await follow(codes[0]!);
    expect(`${foreign.origin}${foreign.pathname}`).toBe("https://kawa.example.com/");
    expect(foreign.searchParams.get("utm_medium")).toBe("sms");
    const own = await follow(codes[1]!);
    expect(`${own.origin}${own.pathname}`).toBe("https://kawa.example.com/cart");
  });
});

describe("links from webhooks are checked too", () => {
  it("a checkout recovery URL on a foreign host is not put into the email; the shop's own pages are", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    await prisma().checkout.create({
      data: {
        shopId: shop.id,
        token: "chk-foreign",
        customerId: customer.id,
        currency: "PLN",
        lineItems: [{ productId: "7001", variantId: "8001", title: "Ethiopia Yirgacheffe 250 g", quantity: 1, price: "54.00" }],
        recoveryUrl: "https://evil.example/checkouts/chk-foreign/recover?key=k",
      },
    });
    await enqueueEmail(prisma(), shop.id, customer, {
      templateKey: "abandoned_checkout_1",
      payload: { flowKey: "abandoned_checkout", trigger: { token: "chk-foreign" } },
      nextAttemptAt: new Date(now().getTime() - 1000),
    });
    await dispatchDueMessages("test-worker");
    const [mail] = mailsTo(customer.email!);
    expect(mail).toBeDefined();
    expect(mail!.raw.toString("utf8")).not.toContain("evil.example");
    for (const landing of await landings(mail!)) expect(SHOP_HOSTS).toContain(landing.hostname);
  });
});
