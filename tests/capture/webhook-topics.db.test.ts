import { beforeAll, describe, expect, it } from "vitest";
import { dataRequestExport } from "~/server/admin/privacy-requests.server";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";
import { checkoutPayload, customerPayload, orderPayload, productPayload } from "./shopify-fixtures";

const SHOP = "topics.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Topics" } })).id;
});

async function send(topic: string, payload: unknown, opts: { webhookId?: string; eventId?: string } = {}) {
  const res = await deliver(SHOP, topic, payload, opts);
  expect(res.status, `${topic} answered ${res.status}`).toBe(200);
  await drainWebhooks();
}

describe("customers", () => {
  it("customers/create builds a profile with normalized email, E.164 phone, tags and both consents", async () => {
    await send("customers/create", customerPayload());
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: 7064055069303n } });
    expect(c).toMatchObject({
      email: "bob.norman@example.com",
      phone: "+48601234567",
      firstName: "Bob",
      locale: "pl",
      countryCode: "PL",
      tags: ["VIP", "newsletter"],
      emailConsentState: "subscribed",
      emailOptInLevel: "confirmed_opt_in",
      emailConsentSource: "shopify",
      smsConsentState: "not_subscribed",
    });
    expect(c.emailConsentUpdatedAt?.toISOString()).toBe("2026-11-01T09:00:00.000Z");
    const history = await prisma().consentRecord.findMany({ where: { customerId: c.id } });
    expect(history.map((h) => [h.channel, h.state])).toEqual(expect.arrayContaining([["email", "subscribed"]]));
    expect(await prisma().webhookDelivery.findFirst({ where: { topic: "customers/create" } })).toMatchObject({
      status: "processed",
      payload: null,
    });
  });

  it("customers_email_marketing_consent/update withdraws email consent; an older update arriving later does not undo it", async () => {
    const id = 7064055069303;
    await send("customers_email_marketing_consent/update", {
      customer_id: id,
      email_address: "bob.norman@example.com",
      email_marketing_consent: { state: "unsubscribed", opt_in_level: "confirmed_opt_in", consent_updated_at: "2026-11-15T08:00:00Z" },
    });
    await send("customers_email_marketing_consent/update", {
      customer_id: id,
      email_address: "bob.norman@example.com",
      email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-11-10T08:00:00Z" },
    });
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: BigInt(id) } });
    expect(c.emailConsentState).toBe("unsubscribed");
    const records = await prisma().consentRecord.findMany({ where: { customerId: c.id, channel: "email" }, orderBy: { id: "asc" } });
    expect(records.at(-1)).toMatchObject({ state: "subscribed", evidence: { applied: false } });
  });

  it("customers_marketing_consent/update records SMS consent with where it was collected", async () => {
    await send("customers_marketing_consent/update", {
      id: 7064055069303,
      phone: "+48601234567",
      sms_marketing_consent: {
        state: "subscribed",
        opt_in_level: "single_opt_in",
        consent_updated_at: "2026-11-16T08:00:00Z",
        consent_collected_from: "SHOPIFY",
      },
    });
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId, phone: "+48601234567" } });
    expect(c).toMatchObject({ smsConsentState: "subscribed", smsOptInLevel: "single_opt_in", smsConsentSource: "shopify:shopify" });
  });

  it("customers/update arriving with a stale consent timestamp keeps the newer SMS consent", async () => {
    await send("customers/update", customerPayload({ first_name: "Robert", updated_at: "2026-11-17T08:00:00Z" }));
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: 7064055069303n } });
    expect(c).toMatchObject({ firstName: "Robert", smsConsentState: "subscribed", emailConsentState: "unsubscribed" });
  });
});

describe("orders", () => {
  it("orders/create stores the order, its lines, the customer's aggregates and an order_placed event", async () => {
    await send("orders/create", orderPayload());
    const o = await prisma().order.findFirstOrThrow({
      where: { shopId, shopifyOrderId: 5820982911946n },
      include: { lines: true, customer: true },
    });
    expect(o).toMatchObject({
      name: "#1001",
      currency: "PLN",
      discountCodes: ["WELCOME10"],
      checkoutToken: "chk-abc-123",
      financialStatus: "paid",
    });
    expect(o.totalPrice.toString()).toBe("254");
    expect(o.lines.map((l) => [l.title, l.quantity, l.price.toString()])).toEqual([
      ["Ethiopia Yirgacheffe 250 g", 2, "54"],
      ["Ceramic Mug", 3, "45"],
    ]);
    expect(o.customer).toMatchObject({ email: "bob.norman@example.com", ordersCount: 1 });
    expect(o.customer!.totalSpent.toString()).toBe("254");
    const e = await prisma().event.findFirstOrThrow({ where: { shopId, name: "order_placed" } });
    expect(e).toMatchObject({ customerId: o.customerId, source: "webhook", sourceId: "order:5820982911946" });
  });

  it("an update delivered before its create converges to the newest version", async () => {
    const id = 5820982911999;
    await send("orders/updated", orderPayload({ id, name: "#1002", financial_status: "refunded", updated_at: "2026-11-21T09:00:00Z" }));
    await send("orders/create", orderPayload({ id, name: "#1002", financial_status: "paid", updated_at: "2026-11-20T12:00:05+01:00" }));
    const o = await prisma().order.findFirstOrThrow({ where: { shopId, shopifyOrderId: BigInt(id) } });
    expect(o.financialStatus).toBe("refunded");
    expect(await prisma().event.count({ where: { shopId, sourceId: `order:${id}` } })).toBe(1);
  });

  it("orders/cancelled marks the order and takes it out of the customer's spend", async () => {
    await send("orders/cancelled", orderPayload({ cancelled_at: "2026-11-22T10:00:00Z", updated_at: "2026-11-22T10:00:00Z" }));
    const o = await prisma().order.findFirstOrThrow({ where: { shopId, shopifyOrderId: 5820982911946n }, include: { customer: true } });
    expect(o.cancelledAt?.toISOString()).toBe("2026-11-22T10:00:00.000Z");
    expect(o.customer!.totalSpent.toString()).toBe("254"); // the refunded #1002 still counts, #1001 no longer
    expect(await prisma().event.count({ where: { shopId, name: "order_cancelled" } })).toBe(1);
  });
});

describe("checkouts and carts", () => {
  it("checkouts/create stores the checkout and a profile for its email", async () => {
    await send("checkouts/create", checkoutPayload({ token: "chk-carla" }));
    const ch = await prisma().checkout.findFirstOrThrow({ where: { shopId, token: "chk-carla" } });
    expect(ch).toMatchObject({ email: "carla@example.com", currency: "PLN", completedAt: null });
    expect(ch.recoveryUrl).toContain("/recover");
    const c = await prisma().customer.findFirstOrThrow({ where: { shopId, email: "carla@example.com" } });
    expect(ch.customerId).toBe(c.id);
    expect(await prisma().event.count({ where: { shopId, name: "checkout_updated", customerId: c.id } })).toBe(1);
  });

  it("an order completes its checkout", async () => {
    await send("checkouts/create", checkoutPayload({ token: "chk-done" }));
    await send("orders/create", orderPayload({ id: 55, name: "#1055", checkout_token: "chk-done" }));
    const ch = await prisma().checkout.findFirstOrThrow({ where: { shopId, token: "chk-done" } });
    expect(ch.completedAt).not.toBeNull();
  });

  it("carts/update stores the lines and their total", async () => {
    await send("carts/update", {
      id: "cart-1",
      token: "cart-1",
      line_items: [{ product_id: 8000000010, variant_id: 45000000010, title: "Ceramic Mug", quantity: 2, price: "45.00" }],
      updated_at: "2026-11-20T10:00:00Z",
      created_at: "2026-11-20T09:00:00Z",
    });
    const cart = await prisma().cart.findFirstOrThrow({ where: { shopId, token: "cart-1" } });
    expect(cart.totalPrice?.toString()).toBe("90");
  });
});

describe("products", () => {
  it("products/create and a stale products/update", async () => {
    await send("products/create", productPayload());
    await send("products/update", productPayload({ title: "Old title", updated_at: "2026-11-01T10:00:00Z" }));
    const p = await prisma().product.findFirstOrThrow({ where: { shopId, shopifyProductId: 632910392n } });
    expect(p).toMatchObject({
      title: "Hand Grinder Steel",
      handle: "hand-grinder-steel",
      tags: ["grinder", "steel"],
      imageUrl: "https://cdn.shopify.com/s/files/grinder.jpg",
    });
    expect([p.priceMin?.toString(), p.priceMax?.toString()]).toEqual(["289", "349"]);
  });

  it("products/delete keeps the row for history but marks it deleted", async () => {
    await send("products/delete", { id: 632910392 });
    const p = await prisma().product.findFirstOrThrow({ where: { shopId, shopifyProductId: 632910392n } });
    expect(p.deletedAt).not.toBeNull();
  });
});

describe("fulfillments", () => {
  it("a fulfillment that overtakes its order waits for it, then records fulfillment_created for the customer", async () => {
    const orderId = 777001;
    const res = await deliver(SHOP, "fulfillments/create", {
      id: 255858046,
      order_id: orderId,
      status: "success",
      created_at: "2026-11-21T10:00:00Z",
      tracking_number: "PL123",
    });
    expect(res.status).toBe(200);
    await drainWebhooks();
    const waiting = await prisma().webhookDelivery.findFirstOrThrow({ where: { topic: "fulfillments/create" } });
    expect(waiting).toMatchObject({ status: "received", attempts: 1 });
    expect(waiting.error).toMatch(/not received yet/);
    await send("orders/create", orderPayload({ id: orderId, name: "#1777" }));
    await prisma().webhookDelivery.update({ where: { id: waiting.id }, data: { nextAttemptAt: new Date(0) } });
    await drainWebhooks();
    const order = await prisma().order.findFirstOrThrow({ where: { shopId, shopifyOrderId: BigInt(orderId) } });
    const e = await prisma().event.findFirstOrThrow({ where: { shopId, name: "fulfillment_created" } });
    expect(e.customerId).toBe(order.customerId);
    expect(e.data).toMatchObject({ tracking: "PL123" });
  });
});

describe("payloads that cannot be used", () => {
  it("a signed orders/create without the fields the app needs is retried with backoff, then quarantined with the reason", async () => {
    const res = await deliver(SHOP, "orders/create", { id: 1, note: "no name, no currency" }, { webhookId: "wh-unusable" });
    expect(res.status).toBe(200);
    await drainWebhooks();
    const first = await prisma().webhookDelivery.findFirstOrThrow({ where: { webhookId: "wh-unusable" } });
    expect(first).toMatchObject({ status: "received", attempts: 1 });
    expect(first.error).toMatch(/name|currency/);
    for (let attempt = 2; attempt <= 3; attempt++) {
      await prisma().webhookDelivery.update({ where: { id: first.id }, data: { nextAttemptAt: new Date(0) } });
      await drainWebhooks();
    }
    const d = await prisma().webhookDelivery.findFirstOrThrow({ where: { webhookId: "wh-unusable" } });
    expect(d).toMatchObject({ status: "quarantined", attempts: 3 });
    const q = await prisma().quarantine.findUniqueOrThrow({ where: { kind_itemId: { kind: "webhook", itemId: d.id } } });
    expect(q).toMatchObject({ shopId, failures: 3 });
    expect(q.quarantinedAt).not.toBeNull();
    expect(q.error).toMatch(/name|currency/);
    expect(await prisma().order.count({ where: { shopId, shopifyOrderId: 1n } })).toBe(0);
  });
});

describe("the remaining topics", () => {
  it("checkouts/update moves the checkout forward; carts/create stores a cart", async () => {
    await send("checkouts/create", checkoutPayload({ token: "chk-upd", total_price: "100.00" }));
    await send("checkouts/update", checkoutPayload({ token: "chk-upd", total_price: "150.00", updated_at: "2026-11-20T12:30:00+01:00" }));
    const ch = await prisma().checkout.findFirstOrThrow({ where: { shopId, token: "chk-upd" } });
    expect(ch.totalPrice?.toString()).toBe("150");
    await send("carts/create", {
      id: "cart-new",
      token: "cart-new",
      line_items: [],
      created_at: "2026-11-20T09:00:00Z",
      updated_at: "2026-11-20T09:00:00Z",
    });
    expect(await prisma().cart.count({ where: { shopId, token: "cart-new" } })).toBe(1);
  });

  it("fulfillments/update records the new status once", async () => {
    await send("orders/create", orderPayload({ id: 888001, name: "#1888" }));
    const f = { id: 3131, order_id: 888001, status: "success", created_at: "2026-11-21T10:00:00Z", updated_at: "2026-11-22T10:00:00Z" };
    await send("fulfillments/update", { ...f, status: "cancelled" });
    await send("fulfillments/update", { ...f, status: "cancelled" }, { webhookId: "wh-ful-dup-a" });
    expect(await prisma().event.count({ where: { shopId, name: "fulfillment_cancelled" } })).toBe(1);
  });

  it("customers/delete erases the deleted customer's personal data", async () => {
    await send("customers/create", customerPayload({ id: 5550001, email: "gone@example.com", phone: null }));
    await send("customers/delete", {
      id: 5550001,
      phone: null,
      addresses: [],
      tax_exemptions: [],
      email_marketing_consent: null,
      sms_marketing_consent: null,
    });
    const c = await prisma().customer.findFirstOrThrow({
      where: { shopId, redactedAt: { not: null }, email: null, emailConsentState: "redacted" },
      orderBy: { updatedAt: "desc" },
    });
    expect(c.firstName).toBeNull();
    expect(await prisma().customer.count({ where: { shopId, email: "gone@example.com" } })).toBe(0);
  });

  it("app/scopes_update stores the granted scopes", async () => {
    await send("app/scopes_update", {
      id: 1,
      previous: ["read_orders"],
      current: ["read_orders", "write_discounts"],
      updated_at: "2026-11-22T10:00:00Z",
    });
    const s = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(s.scopes).toBe("read_orders,write_discounts");
  });
});

describe("app and privacy", () => {
  it("customers/data_request records what is held about the customer", async () => {
    await send("customers/data_request", {
      shop_id: 954889,
      shop_domain: SHOP,
      orders_requested: [5820982911946],
      customer: { id: 7064055069303, email: "bob.norman@example.com", phone: "+48601234567" },
      data_request: { id: 9999 },
    });
    const a = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "privacy.data_requested" } });
    const bob = await prisma().customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: 7064055069303n } });
    const orders = await prisma().order.count({ where: { shopId, customerId: bob.id } });
    expect(orders).toBeGreaterThan(0);
    expect(a.details).toMatchObject({ dataRequestId: 9999, profiles: [bob.id], held: { orders } });
  });

  it("the data request's export holds the customer's profile, consent history and orders, and nobody else's", async () => {
    // Another customer in this shop and the same person in another shop stay out of it.
    await send(
      "customers/create",
      customerPayload({ id: 7064055069999, email: "ewa@example.com", phone: "+48 601 999 888", first_name: "Ewa" }),
    );
    const other = await prisma().shop.create({ data: { domain: "topics-other.myshopify.com", name: "Other" } });
    await prisma().customer.create({ data: { shopId: other.id, email: "bob.norman@example.com", firstName: "Bob elsewhere" } });
    const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    const request = await prisma().auditLog.findFirstOrThrow({ where: { shopId, action: "privacy.data_requested" } });

    const found = await dataRequestExport(shop, request.id.toString());
    expect(found?.filename).toBe("customer-data-9999.json");
    const data = JSON.parse(JSON.stringify(found!.body)) as Record<string, unknown[]> & { request: unknown; shop: unknown };
    expect(data.request).toMatchObject({ id: 9999 });
    expect(data.shop).toEqual({ domain: SHOP, name: "Topics" });
    expect(data.profiles).toEqual([expect.objectContaining({ email: "bob.norman@example.com", phone: "+48601234567", firstName: "Bob" })]);
    expect(data.consentHistory).toEqual(expect.arrayContaining([expect.objectContaining({ channel: "email", state: "subscribed" })]));
    expect(data.orders!.length).toBeGreaterThan(0);
    const { lines } = data.orders![0] as { lines: { title?: unknown }[] };
    expect(lines.map((l) => typeof l.title)).toContain("string");
    const text = JSON.stringify(found!.body);
    expect(text).not.toContain("ewa@example.com");
    expect(text).not.toContain("Bob elsewhere");

    // Only this shop's data requests can be exported.
    expect(await dataRequestExport(other, request.id.toString())).toBeNull();
    const notARequest = await prisma().auditLog.create({ data: { shopId, actor: "test", action: "flow.on", at: new Date() } });
    expect(await dataRequestExport(shop, notARequest.id.toString())).toBeNull();
    expect(await dataRequestExport(shop, "99999999999999999999")).toBeNull();
    expect(await dataRequestExport(shop, "1 OR 1=1")).toBeNull();
  });

  it("customers/redact erases the person's data but keeps anonymous facts", async () => {
    const before = await prisma().customer.findFirstOrThrow({ where: { shopId, shopifyCustomerId: 7064055069303n } });
    await send("customers/redact", {
      shop_id: 954889,
      shop_domain: SHOP,
      customer: { id: 7064055069303, email: "bob.norman@example.com", phone: "+48601234567" },
      orders_to_redact: [5820982911946],
    });
    const c = await prisma().customer.findUniqueOrThrow({ where: { id: before.id } });
    expect(c).toMatchObject({ email: null, phone: null, firstName: null, emailConsentState: "redacted", smsConsentState: "redacted" });
    expect(c.redactedAt).not.toBeNull();
    const orders = await prisma().order.findMany({ where: { customerId: c.id } });
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.email === null)).toBe(true);
  });

  it("app/uninstalled marks the shop and removes its sessions; the pixel then refuses it", async () => {
    await prisma().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "x", accessToken: "t" } });
    await send("app/uninstalled", { id: 954889, name: "Topics", domain: SHOP, myshopify_domain: SHOP });
    const s = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
    expect(s.installState).toBe("uninstalled");
    expect(await prisma().session.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("shop/redact deletes everything of the shop", async () => {
    await send("shop/redact", { shop_id: 954889, shop_domain: SHOP });
    expect(await prisma().shop.count({ where: { domain: SHOP } })).toBe(0);
    for (const count of [
      prisma().customer.count({ where: { shopId } }),
      prisma().order.count({ where: { shopId } }),
      prisma().event.count({ where: { shopId } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await prisma().webhookDelivery.count({ where: { shopDomain: SHOP, topic: { not: "shop/redact" } } })).toBe(0);
  });
});
