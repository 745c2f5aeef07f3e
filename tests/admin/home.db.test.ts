// The home page: its setup checklist flips item by item on the real events (a pixel
// batch through the pixel endpoint, a signup through the app proxy from the theme
// embed, a flow switched on), never on another shop's; its last 30 days are the
// reports' own figures for the same period.
import crypto from "node:crypto";
import type { Shop } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { senderStatus } from "~/domain/onboarding/checklist";
import { parsePeriod } from "~/domain/measurement/report-period";
import { loader as homePage } from "~/routes/app._index";
import { loader as reportsPage } from "~/routes/app.reports";
import { action as pixel } from "~/routes/api.pixel.events";
import * as subscribeRoute from "~/routes/proxy.subscribe";
import { checklistLinks, loadChecklist } from "~/server/admin/home/checklist.server";
import { generateDkimKey, recordDkimCheck } from "~/server/admin/sending-settings.server";
import { loadLast30 } from "~/server/admin/home/last30.server";
import { shopReport } from "~/server/admin/reports/shop-report.server";
import { setClock } from "~/server/clock.server";
import { DEMO_SHOP_DOMAIN, readEnv, shopifyCredentials } from "~/server/config.server";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { bumpFlowDaily } from "~/server/measurement/rollup.server";
import { resetShopify } from "~/shopify.server";
import { useTestDatabase } from "../support/db";
import { callRoute } from "../support/http";
import { seedReportRollups } from "../support/report-rollups";
import { createCustomer, enqueueEmail } from "../messages/email/support/fixtures";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const OTHER = "other-home.myshopify.com";
const SECRET = shopifyCredentials(readEnv()).apiSecretKey;
// 11:00 in Warsaw on 7 December: the shop's today is 2026-12-07, its last 30 days 2026-11-08 .. 2026-12-07.
const NOW = new Date("2026-12-07T10:00:00Z");
const TODAY = new Date("2026-12-07T00:00:00Z");
const DAY = 86_400_000;
let shopId: string;
let otherId: string;

const fresh = (id: string): Promise<Shop> => prisma().shop.findUniqueOrThrow({ where: { id } });
const state = async (id: string) => Object.fromEntries((await loadChecklist(await fresh(id))).items.map((i) => [i.key, i.state]));
const args = (url: string) => ({ request: new Request(url), params: {}, context: {} });

beforeAll(async () => {
  process.env.LOG_LEVEL = "silent";
  resetShopify(); // its session storage must use this file's database
  setClock(NOW);
  const address = { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" };
  shopId = (
    await prisma().shop.create({
      data: { domain: DEMO_SHOP_DOMAIN, name: "Kawa", timezone: "Europe/Warsaw", currency: "PLN", postalAddress: address },
    })
  ).id;
  otherId = (await prisma().shop.create({ data: { domain: OTHER, name: "Other", postalAddress: address } })).id;
  for (const domain of [DEMO_SHOP_DOMAIN, OTHER]) {
    await prisma().session.create({
      data: { id: `offline_${domain}`, shop: domain, state: "x", isOnline: false, accessToken: "shpat_test", scope: "write_customers" },
    });
  }
  await installCatalogue(shopId);
  await installCatalogue(otherId);
});

async function postPixel(domain: string, timestamp: Date) {
  const res = await pixel({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      headers: { origin: `https://${domain}` },
      body: JSON.stringify({
        shop: domain,
        v: 1,
        events: [
          {
            id: crypto.randomUUID(),
            name: "page_viewed",
            timestamp: timestamp.toISOString(),
            clientId: "visitor-1",
            seq: 1,
            context: { url: `https://${domain}/`, referrer: "", title: "Home", language: "pl-PL" },
            data: {},
          },
        ],
      }),
    }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(202);
}

/** Shopify's app proxy signature: hex HMAC-SHA256 of the sorted key=value pairs, joined with nothing. */
function signedQuery(shop: string): URLSearchParams {
  const q = new URLSearchParams({
    shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/flowmate",
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
  const base = [...q.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join("");
  q.set("signature", crypto.createHmac("sha256", SECRET).update(base).digest("hex"));
  return q;
}

async function signUpThroughWidget(domain: string, email: string) {
  const res = await callRoute(
    subscribeRoute.action,
    new Request(`http://localhost:3000/proxy/subscribe?${signedQuery(domain)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, emailConsent: true, smsConsent: false, source: "signup_popup", locale: "pl-PL" }),
    }),
  );
  expect(res.status).toBe(201);
}

describe("senderStatus", () => {
  it("is missing without an address, set-not-verified without a DKIM record found, verified with one", () => {
    expect(senderStatus({ senderEmail: null }, { recordFound: true })).toBe("missing");
    expect(senderStatus({ senderEmail: "  " }, null)).toBe("missing");
    expect(senderStatus({ senderEmail: "hello@kawa.pl" }, null)).toBe("unverified");
    expect(senderStatus({ senderEmail: "hello@kawa.pl" }, { recordFound: false })).toBe("unverified");
    expect(senderStatus({ senderEmail: "hello@kawa.pl" }, { recordFound: true })).toBe("verified");
  });
});

describe("setup checklist", () => {
  it("a new shop has nothing done", async () => {
    expect(await state(shopId)).toEqual({ sender: "missing", pixel: "todo", embed: "todo", flow: "todo" });
  });

  it("sender: set, then verified once the settings page's DNS check found the DKIM record", async () => {
    const shop = await prisma().shop.update({ where: { id: shopId }, data: { senderEmail: "hello@kawa.pl" } });
    expect((await state(shopId)).sender).toBe("unverified");
    await generateDkimKey(shop, { domain: "kawa.pl", selector: "fm1" }, "merchant");
    expect((await state(shopId)).sender).toBe("unverified");
    await recordDkimCheck(shopId, "found");
    expect((await state(shopId)).sender).toBe("verified");
    // No DNS to ask keeps the last answer; a record gone or changed takes it back.
    await recordDkimCheck(shopId, "unchecked");
    expect((await state(shopId)).sender).toBe("verified");
    await recordDkimCheck(shopId, "mismatch");
    expect((await state(shopId)).sender).toBe("unverified");
    await recordDkimCheck(shopId, "found");
    expect((await state(shopId)).sender).toBe("verified");
    expect((await state(otherId)).sender).toBe("missing");
  });

  it("pixel: a batch through the pixel endpoint flips it, in the inbox and once stored; not another shop's, not a week-old one", async () => {
    await postPixel(OTHER, NOW);
    await drainPixelInbox();
    expect((await state(otherId)).pixel).toBe("done");
    expect((await state(shopId)).pixel).toBe("todo");
    // A stored pixel event eight days old: the pixel may have stopped since.
    await prisma().event.create({
      data: { shopId, name: "page_viewed", source: "pixel", sourceId: "old", occurredAt: new Date(NOW.getTime() - 8 * DAY) },
    });
    expect((await state(shopId)).pixel).toBe("todo");

    await postPixel(DEMO_SHOP_DOMAIN, NOW);
    expect(await prisma().pixelInbox.count({ where: { shopId } })).toBe(1);
    expect((await state(shopId)).pixel).toBe("done"); // still in the inbox: the worker is behind, the pixel is not
    await drainPixelInbox();
    expect(await prisma().pixelInbox.count({ where: { shopId } })).toBe(0);
    expect(await prisma().event.count({ where: { shopId, source: "pixel" } })).toBe(2);
    expect((await state(shopId)).pixel).toBe("done");

    setClock(new Date(NOW.getTime() + 8 * DAY));
    try {
      expect((await state(shopId)).pixel).toBe("todo");
    } finally {
      setClock(NOW);
    }
  });

  it("theme embed: a signup from the storefront widget through the app proxy flips it; another form does not", async () => {
    await prisma().event.create({
      data: { shopId, name: "form_submitted", source: "form", sourceId: "other-form", occurredAt: NOW, data: { form: "checkout" } },
    });
    await signUpThroughWidget(OTHER, "ola@example.com");
    expect((await state(shopId)).embed).toBe("todo");
    expect((await state(otherId)).embed).toBe("done");
    await signUpThroughWidget(DEMO_SHOP_DOMAIN, "anna@example.com");
    expect((await state(shopId)).embed).toBe("done");
  });

  it("first flow: switching a flow on flips it; another shop's flow does not", async () => {
    await setFlowStatus(otherId, "welcome", "on", "test");
    expect((await state(shopId)).flow).toBe("todo");
    await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
    const checklist = await loadChecklist(await fresh(shopId));
    expect(checklist.flowsOn).toBe(1);
    expect(checklist.items.every((i) => i.done)).toBe(true);
    await setFlowStatus(shopId, "abandoned_checkout", "off", "test");
    expect((await state(shopId)).flow).toBe("todo");
  });

  it("the home route sends the items with their links (demo: the storefront simulator for pixel and embed), in the admin's language", async () => {
    const en = await homePage(args("http://localhost/app"));
    expect(en.checklist.items.map((i) => i.key)).toEqual(["sender", "pixel", "embed", "flow"]);
    expect(en.links).toMatchObject({
      sender: { url: "/app/settings/sending" },
      pixel: { url: "/dev/storefront" },
      embed: { url: "/dev/storefront" },
      flow: { url: "/app/flows" },
    });
    const pl = await homePage(args("http://localhost/app?lang=pl"));
    expect(pl.links.flow.url).toBe("/app/flows?lang=pl");
  });

  it("outside the demo the pixel and embed links open the shop's admin: customer events, the theme editor with the embed", () => {
    const links = checklistLinks({ demo: false, shopDomain: "kawa.myshopify.com", apiKey: "key-1", query: "" });
    expect(links.pixel).toEqual({ url: "https://kawa.myshopify.com/admin/settings/customer_events", external: true });
    expect(links.embed).toEqual({
      url: "https://kawa.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=key-1/signup-popup",
      external: true,
    });
    expect(links.sender).toEqual({ url: "/app/settings/sending", external: false });
  });
});

describe("the last 30 days", () => {
  beforeAll(async () => {
    await seedReportRollups(prisma(), shopId, TODAY);
    await seedReportRollups(prisma(), otherId, TODAY);
    // win_back: 8 of 40 ordered with messages (112.50 each) and 8 of 40 without (100 each): a
    // positive estimate whose interval includes zero, inconclusive, so left out of the sum.
    const winBack = await prisma().flow.findFirstOrThrow({ where: { shopId, key: "win_back" } });
    for (const cohort of ["treated", "holdout"] as const)
      await bumpFlowDaily(
        prisma(),
        { shopId, flowId: winBack.id, day: new Date("2026-11-15T00:00:00Z"), cohort },
        cohort === "treated"
          ? { entered: 40, converted: 8, outcomeRevenue: 900, outcomeRevenueSq: 8 * 112.5 ** 2 }
          : { entered: 40, converted: 8, outcomeRevenue: 800, outcomeRevenueSq: 8 * 100 ** 2 },
      );
    // Another shop's rows under this shop's flow id must never count.
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId, key: "welcome" } });
    await bumpFlowDaily(
      prisma(),
      { shopId: otherId, flowId: flow.id, day: TODAY, stepId: "send_1", channel: "email" },
      { sent: 1000, clicked: 500, attributedOrders: 50, attributedRevenue: 99999 },
    );
  });

  it("are the reports' figures for the same period, and incremental revenue adds up only the conclusive flows", async () => {
    const shop = await fresh(shopId);
    const home = await loadLast30(shop);
    const report = await shopReport(shop, parsePeriod(new URLSearchParams("period=30"), TODAY), TODAY, "en");
    expect(home.period).toEqual({ kind: "30", from: "2026-11-08", to: "2026-12-07" });
    expect(home.period).toEqual(report.period);
    expect(home.sent).toBe(report.funnel.sent);
    expect(home.clicked).toBe(report.funnel.clicked);
    expect(home.attributedRevenue).toBe(report.totals.attributedRevenue);
    expect(home.attributedOrders).toBe(report.totals.attributedOrders);
    expect(home.sent).toBeGreaterThan(0);
    expect(home.daily.map((d) => d.day)).toEqual(report.daily.map((d) => d.day));
    expect(home.daily.reduce((s, d) => s + d.sent, 0)).toBe(report.funnel.sent);

    const conclusive = report.flows.filter((f) => (f.verdict === "positive" || f.verdict === "negative") && f.incrementalRevenue);
    const inconclusive = report.flows.filter((f) => f.verdict === "inconclusive" && f.incrementalRevenue);
    // The seeded rollups have both kinds: the sum must leave the inconclusive one out.
    expect(conclusive.length).toBeGreaterThan(0);
    expect(inconclusive.map((f) => f.key)).toContain("win_back");
    expect(inconclusive.find((f) => f.key === "win_back")!.incrementalRevenue!.estimate).toBeGreaterThan(0);
    const sum = Math.round(conclusive.reduce((s, f) => s + f.incrementalRevenue!.estimate, 0) * 100) / 100;
    expect(home.incremental).toEqual({ estimate: sum, flows: conclusive.length });
  });

  it("another shop's are its own", async () => {
    const other = await fresh(otherId);
    const home = await loadLast30(other);
    const report = await shopReport(other, parsePeriod(new URLSearchParams("period=30"), TODAY), TODAY, "en");
    expect(home.sent).toBe(report.funnel.sent);
    expect(home.attributedRevenue).toBe(report.totals.attributedRevenue);
    expect(home.attributedRevenue).toBeGreaterThan(99999);
    expect((await loadLast30(await fresh(shopId))).attributedRevenue).toBeLessThan(99999);
  });

  it("the home page and the reports page agree through their loaders", async () => {
    const home = await homePage(args("http://localhost/app"));
    const { report } = await reportsPage(args("http://localhost/app/reports?period=30"));
    expect([home.last30.sent, home.last30.clicked, home.last30.attributedRevenue]).toEqual([
      report.funnel.sent,
      report.funnel.clicked,
      report.totals.attributedRevenue,
    ]);
  });

  it("counts unsubscribes through a message's link and spam complaints by the shop's days, this shop's only", async () => {
    const customer = await createCustomer(prisma(), shopId);
    const stranger = await createCustomer(prisma(), otherId);
    const mine = await enqueueEmail(prisma(), shopId, customer);
    const theirs = await enqueueEmail(prisma(), otherId, stranger);
    const before = (await loadLast30(await fresh(shopId))).unsubscribes;
    const unsubscribed = (shop: string, messageId: string, iso: string) =>
      prisma().messageEvent.create({ data: { shopId: shop, messageId, type: "unsubscribed", occurredAt: new Date(iso) } });
    await unsubscribed(shopId, mine.id, "2026-11-07T23:30:00Z"); // 00:30 on 8 November in Warsaw: the period's first day
    await unsubscribed(shopId, mine.id, "2026-11-07T22:30:00Z"); // 23:30 on 7 November in Warsaw: before it
    await unsubscribed(shopId, mine.id, "2026-12-07T09:00:00Z"); // today
    await unsubscribed(otherId, theirs.id, "2026-12-07T09:00:00Z");
    await prisma().messageEvent.create({ data: { shopId, messageId: mine.id, type: "clicked", occurredAt: NOW } });
    expect((await loadLast30(await fresh(shopId))).unsubscribes - before).toBe(2);
    // A spam complaint withdraws consent as well: it counts.
    await prisma().messageEvent.create({ data: { shopId, messageId: mine.id, type: "complained", occurredAt: NOW } });
    expect((await loadLast30(await fresh(shopId))).unsubscribes - before).toBe(3);
  });
});
