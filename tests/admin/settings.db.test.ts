// The settings page's writers on a real database: validation with errors per field,
// an audit row with before/after in the same transaction, shop scoping, and what the
// settings change downstream (the next send's quiet hours, the exclusion rule, the
// attribution after a window change, the retention sweep).
import type { Shop } from "@prisma/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadShops } from "~/server/db/sql/shops.server";
import { advanceClock, resetClock, setClock } from "~/server/clock.server";
import { pruneExpiredData } from "~/server/compliance/retention.server";
import { installCatalogue, saveFlowDefinition, setFlowStatus } from "~/server/journeys/flows.server";
import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { attributeOrder } from "~/server/measurement/attribution.server";
import { db } from "~/server/db/client.server";
import { loadAuditPage } from "~/server/admin/settings/audit-log.server";
import {
  FlowNotFound,
  loadFlowSettings,
  priorityOrderByIncrement,
  saveFlowRow,
  type FlowSettingsRow,
} from "~/server/admin/settings/flow-settings.server";
import { FlowForm, MeasurementForm, parseCaps, parseForm, PrivacyForm, ScheduleForm } from "~/server/admin/settings/forms.server";
import { saveCaps, saveMeasurement, savePrivacy, saveSchedule } from "~/server/admin/settings/shop-settings.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver, settleJourneys } from "../support/webhooks";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// Tuesday 10:00 in Warsaw.
const T0 = new Date("2026-11-24T09:00:00Z");
let n = 0;

afterEach(() => resetClock());

async function newShop(over: Partial<Shop> = {}): Promise<Shop> {
  const name = `settings-${n++}`;
  return prisma().shop.create({
    data: { domain: `${name}.myshopify.com`, name, timezone: "Europe/Warsaw", holdoutPercent: 0, ...over } as never,
  });
}

const form = (values: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
};
const schedule = (over: Record<string, string> = {}) =>
  form({
    timezone: "Europe/Warsaw",
    emailQuiet: "true",
    emailQuietStart: "21:00",
    emailQuietEnd: "08:00",
    smsQuiet: "true",
    smsQuietStart: "20:00",
    smsQuietEnd: "09:00",
    ...over,
  });
const firstWait = (def: FlowDefinition) => def.steps.find((st) => st.type === "wait")?.id;
const audits = (shopId: string, action: string) => prisma().auditLog.findMany({ where: { shopId, action }, orderBy: { id: "asc" } });

describe("schedule: time zone and quiet hours per channel", () => {
  it("refuses a wrong time, equal start and end, an unknown zone, each next to its field", () => {
    const r = parseForm(ScheduleForm, schedule({ timezone: "Mars/Olympus", emailQuietStart: "25:00", smsQuietEnd: "20:00" }));
    expect(r).toEqual({
      ok: false,
      errors: { timezone: "settings.error.timezone", emailQuietStart: "settings.error.time", smsQuietEnd: "settings.error.sameTimes" },
    });
  });

  it("saves both channels, audits before/after once, and the journeys read SMS quiet hours of their own", async () => {
    const shop = await newShop();
    const p = parseForm(ScheduleForm, schedule());
    if (!p.ok) throw new Error("valid form refused");
    expect((await saveSchedule(shop.id, p.data, "merchant")).changed).toBe(true);
    // The same values again: nothing changed, nothing audited.
    expect((await saveSchedule(shop.id, p.data, "merchant")).changed).toBe(false);
    const rows = await audits(shop.id, "settings.schedule_updated");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: "merchant",
      subjectType: "shop",
      details: { before: { smsQuietHours: "21:00-08:00" }, after: { smsQuietHours: "20:00-09:00" } },
    });
    const record = (await loadShops(getDb().query, [shop.id])).get(shop.id)!;
    expect(record.quietHours).toEqual({ startMinute: 21 * 60, endMinute: 8 * 60 });
    expect(record.quietHoursByChannel).toEqual({ sms: { startMinute: 20 * 60, endMinute: 9 * 60 } });

    const off = parseForm(ScheduleForm, schedule({ smsQuiet: "false" }));
    if (!off.ok) throw new Error("valid form refused");
    await saveSchedule(shop.id, off.data, "merchant");
    expect((await loadShops(getDb().query, [shop.id])).get(shop.id)!.quietHoursByChannel).toEqual({ sms: null });
  });

  it("the next send falls in the new quiet hours: deferred to their end, the reason logged", async () => {
    setClock(T0);
    const shop = await newShop();
    await installCatalogue(shop.id);
    await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
    await subscribed(shop.id, "quiet@example.com");
    // Quiet from 10:30 to 12:00 Warsaw: the reminder due at 11:00 waits until 12:00 (11:00 UTC).
    const p = parseForm(ScheduleForm, schedule({ emailQuietStart: "10:30", emailQuietEnd: "12:00" }));
    if (!p.ok) throw new Error("valid form refused");
    await saveSchedule(shop.id, p.data, "merchant");
    await abandonCheckout(shop, "quiet@example.com");
    const d = await prisma().decision.findFirstOrThrow({ where: { shopId: shop.id, outcome: "defer" } });
    expect(d.reason).toBe("quiet_hours");
    expect(new Date((d.details as { until: number }).until).toISOString()).toBe("2026-11-24T11:00:00.000Z");
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(e.nextWakeAt?.toISOString()).toBe("2026-11-24T11:00:00.000Z");
  });
});

async function subscribed(shopId: string, email: string, over: Record<string, unknown> = {}) {
  return prisma().customer.create({
    data: { shopId, email, emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"), ...over },
  });
}

/** A checkout abandoned now, then the hour the reminder waits. */
async function abandonCheckout(shop: Shop, email: string) {
  const at = new Date(T0).toISOString();
  await deliver(
    shop.domain,
    "checkouts/create",
    checkoutPayload({ token: `chk-${email}`, email, total_price: "120.00", created_at: at, updated_at: at }),
  );
  await settleJourneys();
  advanceClock(HOUR);
  await settleJourneys();
}

describe("frequency caps", () => {
  it("validates each cell, saves the rules per channel (an empty channel: no cap) and audits them", async () => {
    expect(parseCaps(form({ emailCount0: "0", emailHours0: "x" }))).toEqual({
      ok: false,
      errors: { emailCount0: "settings.error.range", emailHours0: "settings.error.whole" },
    });
    const shop = await newShop();
    const p = parseCaps(form({ emailCount0: "2", emailHours0: "24", emailCount1: "", emailHours1: "" }));
    if (!p.ok) throw new Error("valid form refused");
    await saveCaps(shop.id, p.data, "merchant");
    expect((await prisma().shop.findUniqueOrThrow({ where: { id: shop.id } })).frequencyCaps).toEqual({
      email: [{ count: 2, windowHours: 24 }],
      sms: [],
    });
    const [row] = await audits(shop.id, "settings.caps_updated");
    expect(row!.details).toMatchObject({
      before: {
        emailCaps: [
          { count: 1, windowHours: 16 },
          { count: 3, windowHours: 168 },
        ],
        smsCaps: [{ count: 1, windowHours: 24 }],
      },
      after: { emailCaps: [{ count: 2, windowHours: 24 }], smsCaps: [] },
    });
  });
});

describe("flow table", () => {
  let shop: Shop;
  let other: Shop;
  beforeAll(async () => {
    shop = await newShop();
    other = await newShop();
    await installCatalogue(shop.id);
    await installCatalogue(other.id);
  });
  const flowOf = (s: Shop, key: string) => prisma().flow.findFirstOrThrow({ where: { shopId: s.id, key } });

  it("a priority or re-entry change is a new version, the rest is on the flow row; all audited with before/after", async () => {
    const welcome = await flowOf(shop, "welcome");
    const before = await prisma().flowVersion.count({ where: { flowId: welcome.id } });
    const p = parseForm(
      FlowForm,
      form({ flowId: welcome.id, priority: "95", reentryDays: "30", excludeAfterOrderHours: "24", holdoutPercent: "" }),
    );
    if (!p.ok) throw new Error("valid form refused");
    const r = await saveFlowRow(shop.id, p.data, "merchant");
    expect(r.version).toBe(before + 1);
    const after = await flowOf(shop, "welcome");
    expect(after).toMatchObject({ priority: 95, excludeAfterOrderHours: 24, holdoutPercent: null });
    const version = await prisma().flowVersion.findUniqueOrThrow({ where: { id: after.activeVersionId! } });
    expect(version.definition).toMatchObject({ priority: 95, entry: { reentry: { mode: "window", hours: 720 } } });
    expect(version.createdBy).toBe("merchant");
    const [row] = await audits(shop.id, "settings.flow_updated");
    expect(row).toMatchObject({
      subjectType: "flow",
      subjectId: welcome.id,
      details: {
        before: { priority: welcome.priority, reentryDays: null, excludeAfterOrderHours: null },
        after: { priority: 95, reentryDays: 30, excludeAfterOrderHours: 24 },
        key: "welcome",
        version: before + 1,
      },
    });
    expect((await audits(shop.id, "flow.version_created")).at(-1)).toMatchObject({ subjectId: welcome.id });

    // Only the exclusion rule: no new version.
    const q = parseForm(
      FlowForm,
      form({ flowId: welcome.id, priority: "95", reentryDays: "30", excludeAfterOrderHours: "12", holdoutPercent: "5" }),
    );
    if (!q.ok) throw new Error("valid form refused");
    expect((await saveFlowRow(shop.id, q.data, "merchant")).version).toBeNull();
    expect(await flowOf(shop, "welcome")).toMatchObject({ excludeAfterOrderHours: 12, holdoutPercent: 5 });

    const rows = await loadFlowSettings(shop, "pl");
    expect(rows.find((r) => r.key === "welcome")).toMatchObject({
      key: "welcome",
      name: "Seria powitalna",
      priority: 95,
      reentryDays: 30,
      excludeAfterOrderHours: 12,
    });
  });

  it("a priority change keeps what the flow page edited: the new version is the active one with its priority changed", async () => {
    const checkout = await flowOf(shop, "abandoned_checkout");
    const active = parseFlowDefinition(
      (await prisma().flowVersion.findUniqueOrThrow({ where: { id: checkout.activeVersionId! } })).definition,
    );
    // As the flow page saves a wait edited in place: a whole definition, not settings.
    const edited: FlowDefinition = {
      ...active,
      steps: active.steps.map((st) => (st.type === "wait" && st.id === firstWait(active) ? { ...st, duration: { hours: 5 } } : st)),
    };
    await saveFlowDefinition(shop.id, "abandoned_checkout", edited, "merchant", "Flow page: first wait 5 h");
    const p = parseForm(
      FlowForm,
      form({ flowId: checkout.id, priority: "77", reentryDays: "4", excludeAfterOrderHours: "", holdoutPercent: "" }),
    );
    if (!p.ok) throw new Error("valid form refused");
    await saveFlowRow(shop.id, p.data, "merchant");
    const after = await flowOf(shop, "abandoned_checkout");
    const saved = parseFlowDefinition((await prisma().flowVersion.findUniqueOrThrow({ where: { id: after.activeVersionId! } })).definition);
    expect(saved).toEqual({
      ...edited,
      priority: 77,
      entry: { ...edited.entry, reentry: { mode: "window", hours: 96 } },
      source: saved.source,
    });
    expect(saved.source?.settings).toMatchObject({ priority: 77, reentryDays: 4 });
  });

  it("refuses out-of-range values next to their fields", () => {
    expect(
      parseForm(FlowForm, form({ flowId: "x", priority: "2000", reentryDays: "-1", excludeAfterOrderHours: "0", holdoutPercent: "80" })),
    ).toEqual({
      ok: false,
      errors: {
        priority: "settings.error.range",
        reentryDays: "settings.error.whole",
        excludeAfterOrderHours: "settings.error.range",
        holdoutPercent: "settings.error.range",
      },
    });
  });

  it("another shop's flow id is not found, and that flow is unchanged", async () => {
    const theirs = await flowOf(other, "welcome");
    const versions = await prisma().flowVersion.count({ where: { flowId: theirs.id } });
    const p = parseForm(
      FlowForm,
      form({ flowId: theirs.id, priority: "1", reentryDays: "", excludeAfterOrderHours: "48", holdoutPercent: "" }),
    );
    if (!p.ok) throw new Error("valid form refused");
    await expect(saveFlowRow(shop.id, p.data, "merchant")).rejects.toBeInstanceOf(FlowNotFound);
    expect(await flowOf(other, "welcome")).toEqual(theirs);
    expect(await prisma().flowVersion.count({ where: { flowId: theirs.id } })).toBe(versions);
    expect(await audits(other.id, "settings.flow_updated")).toEqual([]);
  });

  it("orders conclusive flows by incremental revenue per recipient, swapping only their priorities", () => {
    const row = (id: string, priority: number, estimate: number | null): FlowSettingsRow => ({
      id,
      key: id,
      name: id,
      status: "on",
      priority,
      version: 1,
      reentryDays: null,
      reentryEditable: true,
      excludeAfterOrderHours: null,
      holdoutPercent: null,
      incrementPerEntry: estimate === null ? null : { estimate, low: estimate - 1, high: estimate + 1 },
    });
    const order = priorityOrderByIncrement([row("a", 90, 0.5), row("b", 70, 3), row("c", 60, null), row("d", 50, 1)]);
    expect(order && Object.fromEntries(order)).toEqual({ b: 90, d: 70, a: 50 });
    // Already in that order, or fewer than two measured: no offer.
    expect(priorityOrderByIncrement([row("a", 90, 3), row("b", 70, 1)])).toBeNull();
    expect(priorityOrderByIncrement([row("a", 90, 3), row("b", 70, null)])).toBeNull();
  });
});

describe("exclusion rule in the journeys", () => {
  it("a customer who ordered two hours ago gets no abandoned-checkout promotion until 24 h after the order: the decision names the rule", async () => {
    setClock(T0);
    const shop = await newShop();
    await installCatalogue(shop.id);
    await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
    const p = parseForm(
      FlowForm,
      form({ flowId: flow.id, priority: String(flow.priority), reentryDays: "3", excludeAfterOrderHours: "24", holdoutPercent: "" }),
    );
    if (!p.ok) throw new Error("valid form refused");
    await saveFlowRow(shop.id, p.data, "merchant");
    const ordered = new Date(T0.getTime() - 2 * HOUR);
    await subscribed(shop.id, "buyer@example.com", { lastOrderAt: ordered, firstOrderAt: ordered, ordersCount: 1 });
    await abandonCheckout(shop, "buyer@example.com");
    const d = await prisma().decision.findFirstOrThrow({ where: { shopId: shop.id, outcome: { in: ["defer", "skip"] } } });
    // The step may wait 24 h from when it fell due, and 23 h is within: deferred to the rule's end.
    expect(d).toMatchObject({ outcome: "defer", reason: "recent_order" });
    expect((d.details as { until: number }).until).toBe(ordered.getTime() + 24 * HOUR);
    expect(await prisma().message.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("measurement", () => {
  it("a window change re-attributes the shop: a click three days before the order stops counting under a 2-day window", async () => {
    const shop = await newShop();
    const customer = await subscribed(shop.id, "clicker@example.com");
    const sentAt = new Date("2026-10-01T10:00:00Z");
    const message = await prisma().message.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        flowId: "f-any",
        stepId: "s1",
        channel: "email",
        purpose: "marketing",
        idempotencyKey: `m-${shop.id}`,
        status: "sent",
        toAddress: "clicker@example.com",
        templateKey: "t",
        sentAt,
      },
    });
    await prisma().messageEvent.create({
      data: { shopId: shop.id, messageId: message.id, type: "clicked", reliable: true, occurredAt: new Date(sentAt.getTime() + HOUR) },
    });
    const order = await prisma().order.create({
      data: {
        shopId: shop.id,
        shopifyOrderId: 424242n,
        name: "#1",
        customerId: customer.id,
        currency: "PLN",
        totalPrice: "99.00",
        processedAt: new Date(sentAt.getTime() + 3 * DAY),
      },
    });
    await db().$transaction((tx) => attributeOrder(tx, shop.id, order.id));
    expect(await prisma().conversion.findFirst({ where: { shopId: shop.id } })).toMatchObject({ kind: "click", messageId: message.id });

    const values = {
      holdoutPercent: "10",
      attributionEmailDays: "2",
      attributionSmsDays: "5",
      attributeOpens: "false",
      abMetric: "conversion_rate",
      abMinSample: "500",
      abMinProbabilityPercent: "90",
      abMinDays: "7",
      abMaxDays: "42",
    };
    expect(parseForm(MeasurementForm, form({ ...values, attributionEmailDays: "0", abMaxDays: "3" }))).toEqual({
      ok: false,
      errors: { attributionEmailDays: "settings.error.range", abMaxDays: "settings.error.maxBelowMin" },
    });
    const p = parseForm(MeasurementForm, form(values));
    if (!p.ok) throw new Error("valid form refused");
    const r = await saveMeasurement(shop.id, p.data, "merchant");
    expect(r.reattributed).toMatchObject({ changed: 1 });
    expect(await prisma().conversion.findFirst({ where: { shopId: shop.id, kind: "click" } })).toBeNull();
    const [row] = await audits(shop.id, "settings.measurement_updated");
    expect(row!.details).toEqual({
      before: { holdoutPercent: 0, attributionEmailDays: 5 },
      after: { holdoutPercent: 10, attributionEmailDays: 2 },
    });

    // Back to 5 days: the click counts again. A change of the A/B rule alone re-attributes nothing.
    expect((await saveMeasurement(shop.id, { ...p.data, attributionEmailDays: 5 }, "merchant")).reattributed).toMatchObject({ changed: 1 });
    expect(await prisma().conversion.findFirst({ where: { shopId: shop.id } })).toMatchObject({ kind: "click" });
    const ab = await saveMeasurement(shop.id, { ...p.data, attributionEmailDays: 5, abMinSample: 800 }, "merchant");
    expect(ab.reattributed).toBeNull();
    expect((await prisma().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings).toMatchObject({ experiments: { minSample: 800 } });
  });
});

describe("opt-in and retention", () => {
  it("keeps storefront events only as long as the shop chose, within the bounds", async () => {
    expect(parseForm(PrivacyForm, form({ doubleOptIn: "maybe", storefrontEventDays: "10" }))).toEqual({
      ok: false,
      errors: { doubleOptIn: "settings.error.choice", storefrontEventDays: "settings.error.range" },
    });
    const shop = await newShop();
    const keeper = await newShop();
    const p = parseForm(PrivacyForm, form({ doubleOptIn: "double", storefrontEventDays: "60" }));
    if (!p.ok) throw new Error("valid form refused");
    await savePrivacy(shop.id, p.data, "merchant");
    expect(await prisma().shop.findUniqueOrThrow({ where: { id: shop.id } })).toMatchObject({ doubleOptIn: true, storefrontEventDays: 60 });
    const at = new Date("2027-03-01T12:00:00Z");
    for (const s of [shop, keeper])
      await prisma().event.create({
        data: {
          shopId: s.id,
          name: "page_viewed",
          source: "pixel",
          sourceId: `old-${s.id}`,
          occurredAt: new Date(at.getTime() - 90 * DAY),
          receivedAt: at,
          data: {},
        },
      });
    setClock(at);
    await pruneExpiredData();
    expect(await prisma().event.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma().event.count({ where: { shopId: keeper.id } })).toBe(1);
    expect((await audits(shop.id, "settings.privacy_updated"))[0]!.details).toEqual({
      before: { doubleOptIn: false, storefrontEventDays: 400 },
      after: { doubleOptIn: true, storefrontEventDays: 60 },
    });
  });
});

describe("audit log page", () => {
  it("lists the shop's rows only, newest first, a page at a time, with flow names", async () => {
    const shop = await newShop();
    const other = await newShop();
    await prisma().auditLog.createMany({
      data: Array.from({ length: 55 }, (_, i) => ({
        shopId: shop.id,
        actor: "merchant",
        action: "settings.caps_updated",
        at: new Date(T0.getTime() + i * 60_000),
      })),
    });
    await prisma().auditLog.create({ data: { shopId: other.id, actor: "merchant", action: "settings.caps_updated", at: T0 } });
    const first = await loadAuditPage(shop.id, 1, "en");
    expect(first).toMatchObject({ page: 1, pages: 2, total: 55 });
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0]!.at).toBe(new Date(T0.getTime() + 54 * 60_000).toISOString());
    const second = await loadAuditPage(shop.id, 9, "en");
    expect(second.page).toBe(2);
    expect(second.entries).toHaveLength(5);
  });
});
