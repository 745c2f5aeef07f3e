// The customers page's data: why a customer got a message, or did not, read back from
// the decision log that real flows wrote, scoped by shop.
import { beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { isMessageKey } from "~/i18n";
import { customerWhy, findCustomers, recentDecisions, TIMELINE_PAGE } from "~/server/admin/customer-why.server";
import { exportCustomerData } from "~/server/compliance/data-export.server";
import { CONSENT_COLUMNS } from "~/server/profiles/consent-columns.server";
import { advanceClock, setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver, settleJourneys } from "../support/webhooks";

const SHOP = "why.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shop: Shop;
let other: Shop;

beforeAll(async () => {
  // Tuesday 10:00 in Warsaw: inside every send window.
  setClock(new Date("2026-11-24T09:00:00Z"));
  shop = await prisma().shop.create({ data: { domain: SHOP, name: "Why", timezone: "Europe/Warsaw", holdoutPercent: 0, locale: "pl" } });
  other = await prisma().shop.create({ data: { domain: "why-other.myshopify.com", name: "Other" } });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
  const subscribed = { emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"), locale: "pl" };
  await prisma().customer.create({
    data: { shopId: shop.id, email: "carla@example.com", firstName: "Carla", phone: "+48601555444", ...subscribed },
  });
  await prisma().customer.create({
    data: { shopId: shop.id, email: "dan@example.com", firstName: "Dan", emailConsentState: "not_subscribed" },
  });
  await prisma().customer.create({ data: { shopId: other.id, email: "carla@example.com", firstName: "Carla elsewhere", ...subscribed } });
  for (const [token, email] of [
    ["chk-carla", "carla@example.com"],
    ["chk-dan", "dan@example.com"],
  ] as const) {
    await deliver(
      SHOP,
      "checkouts/create",
      checkoutPayload({ token, email, total_price: "320.00", created_at: "2026-11-24T09:00:00Z", updated_at: "2026-11-24T09:00:00Z" }),
    );
  }
  await settleJourneys();
  advanceClock(3_600_000);
  await settleJourneys();
});

describe("customer why", () => {
  it("finds a profile by email, phone (with or without the country code) or not at all, within the shop only", async () => {
    expect((await findCustomers(shop, "  Carla@Example.com ")).map((c) => c.firstName)).toEqual(["Carla"]);
    expect((await findCustomers(shop, "+48 601 555 444")).map((c) => c.firstName)).toEqual(["Carla"]);
    await prisma().shop.update({ where: { id: shop.id }, data: { postalAddress: { countryCodeV2: "PL" } } });
    expect((await findCustomers({ ...shop, postalAddress: { countryCodeV2: "PL" } }, "601 555 444")).map((c) => c.firstName)).toEqual([
      "Carla",
    ]);
    expect(await findCustomers(shop, "nobody@example.com")).toEqual([]);
    expect(await findCustomers(shop, "")).toEqual([]);
    expect((await findCustomers(other, "carla@example.com")).map((c) => c.firstName)).toEqual(["Carla elsewhere"]);
  });

  it("shows the reminder sent to the subscribed customer: entered, sent because everything allowed it, the message waiting in the outbox", async () => {
    const carla = (await findCustomers(shop, "carla@example.com"))[0]!;
    const why = (await customerWhy(shop, carla.id, "en"))!;
    expect(why.customer).toMatchObject({ name: "Carla", email: "carla@example.com", emailConsentState: "subscribed" });
    expect(why.enrollments).toEqual([expect.objectContaining({ flow: "Abandoned checkout", status: "active" })]);
    const sent = why.decisions.find((d) => d.outcome === "send")!;
    expect(sent).toMatchObject({ reason: "allowed", channel: "email", flow: why.enrollments[0]!.flow, message: { status: "pending" } });
    expect(why.decisions.at(-1)).toMatchObject({ outcome: "enter", reason: "trigger" }); // newest first
  });

  it("names catalogue flows in the admin's language, whatever name was stored at install", async () => {
    const carla = (await findCustomers(shop, "carla@example.com"))[0]!;
    const pl = (await customerWhy(shop, carla.id, "pl"))!;
    expect(pl.enrollments.map((e) => e.flow)).toEqual(["Porzucony checkout"]);
    expect(new Set(pl.decisions.map((d) => d.flow))).toEqual(new Set(["Porzucony checkout"]));
    expect(new Set((await recentDecisions(shop, "pl")).map((d) => d.flow))).toEqual(new Set(["Porzucony checkout"]));
    // A flow that is not from the catalogue keeps the name the merchant gave it.
    await prisma().flow.updateMany({
      where: { shopId: shop.id, key: "abandoned_checkout" },
      data: { key: "custom-1", name: "Moja seria" },
    });
    try {
      expect((await customerWhy(shop, carla.id, "en"))!.enrollments.map((e) => e.flow)).toEqual(["Moja seria"]);
    } finally {
      await prisma().flow.updateMany({
        where: { shopId: shop.id, key: "custom-1" },
        data: { key: "abandoned_checkout", name: "Abandoned checkout" },
      });
    }
  });

  it("explains why the customer without consent got nothing", async () => {
    const dan = (await findCustomers(shop, "dan@example.com"))[0]!;
    const why = (await customerWhy(shop, dan.id, "en"))!;
    expect(why.decisions.some((d) => d.outcome !== "send" && d.reason === "no_consent")).toBe(true);
    expect(why.decisions.some((d) => d.outcome === "send")).toBe(false);
    expect(await prisma().message.count({ where: { customerId: dan.id } })).toBe(0);
  });

  it("shows every consent column the right-of-access export holds, with the same values", async () => {
    const carla = (await findCustomers(shop, "carla@example.com"))[0]!;
    await prisma().customer.update({
      where: { id: carla.id },
      data: { unsubscribedTopics: ["product_news"], marketingPausedUntil: new Date("2026-12-24T09:00:00Z"), smsConsentState: "subscribed" },
    });
    const why = (await customerWhy(shop, carla.id, "en"))!;
    const exported = (await exportCustomerData(shop, [carla.id], new Date())) as { profiles: Record<string, unknown>[] };
    const consent = (row: Record<string, unknown>) =>
      JSON.parse(JSON.stringify(Object.fromEntries(Object.keys(CONSENT_COLUMNS).map((k) => [k, row[k]])))) as unknown;
    expect(consent(why.customer)).toEqual(consent(exported.profiles[0]!));
    expect(consent(why.customer)).toMatchObject({
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: "2026-01-01T00:00:00.000Z",
      smsConsentState: "subscribed",
      unsubscribedTopics: ["product_news"],
      marketingPausedUntil: "2026-12-24T09:00:00.000Z",
    });
  });

  it("never shows one shop's customer to another shop", async () => {
    const carla = (await findCustomers(shop, "carla@example.com"))[0]!;
    expect(await customerWhy(other, carla.id, "en")).toBeNull();
    expect(await recentDecisions(other, "en")).toEqual([]);
  });

  it("lists the shop's latest decisions with who they were about, newest first", async () => {
    const recent = await recentDecisions(shop, "en");
    expect(new Set(recent.map((d) => d.customer))).toEqual(new Set(["Carla", "Dan"]));
    const times = recent.map((d) => d.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("pages a long timeline by cursor: every decision once, newest first, ties broken by id, other customers' cursors ignored", async () => {
    const erin = await prisma().customer.create({ data: { shopId: shop.id, email: "erin@example.com", firstName: "Erin" } });
    // Two decisions share each timestamp: the cursor must not skip or repeat one of a pair.
    const base = Date.parse("2026-10-01T00:00:00Z");
    await prisma().decision.createMany({
      data: Array.from({ length: 2 * TIMELINE_PAGE + 11 }, (_, i) => ({
        shopId: shop.id,
        customerId: erin.id,
        outcome: "skip",
        reason: "quiet_hours",
        at: new Date(base + Math.floor(i / 2) * 60_000),
      })),
    });
    const seen: string[] = [];
    const pages: number[] = [];
    type Page = NonNullable<Awaited<ReturnType<typeof customerWhy>>>;
    let before: string | null = null;
    let first = true;
    do {
      const why: Page = (await customerWhy(shop, erin.id, "en", { before }))!;
      expect(why.paged).toBe(!first);
      pages.push(why.decisions.length);
      seen.push(...why.decisions.map((d) => d.id));
      before = why.olderBefore;
      first = false;
    } while (before);
    expect(pages).toEqual([TIMELINE_PAGE, TIMELINE_PAGE, 11]);
    const all = await prisma().decision.findMany({
      where: { shopId: shop.id, customerId: erin.id },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    expect(seen).toEqual(all.map((d) => d.id.toString()));
    // A cursor that is not this customer's (or not a decision id at all) gives the first page.
    const carla = (await findCustomers(shop, "carla@example.com"))[0]!;
    const carlasFirst = (await customerWhy(shop, carla.id, "en"))!;
    for (const foreign of [seen[60]!, "not-a-number", "99999999999999999999"]) {
      const why = (await customerWhy(shop, carla.id, "en", { before: foreign }))!;
      expect(why.paged).toBe(false);
      expect(why.decisions.map((d) => d.id)).toEqual(carlasFirst.decisions.map((d) => d.id));
    }
  });

  it("has an English and a Polish sentence for every reason the flows and the dispatcher record", () => {
    const reasons = [
      "trigger",
      "allowed",
      "holdout",
      "no_consent",
      "no_address",
      "suppressed",
      "suppressed_address",
      "frequency_cap",
      "lost_priority",
      "quiet_hours",
      "sms_window",
      "deferral_expired",
      "goal_reached",
      "end_of_flow",
      "exit_condition",
      "exit_step",
      "loop_guard",
      "invalid_step",
      "flow_switched_off",
      "app_uninstalled",
      "sunset",
      "trigger_mismatch",
      "entry_condition",
      "already_enrolled",
      "reentry_never",
      "reentry_window",
      "not_in_rollout",
      "render_failed",
      "discount_unavailable",
      "hard_bounce",
      "send_failed",
      "outcome_unknown",
      "sms_cost_unconfirmed",
      "sms_channel_unavailable",
      "paused",
      "topic_opt_out",
      "unknown_customer",
      "address_changed",
      "shop_not_installed",
      "redacted",
      "customer_gone",
    ];
    // The Polish dictionary is typed to have every English key.
    expect(reasons.filter((r) => !isMessageKey(`why.reason.${r}`))).toEqual([]);
  });
});
