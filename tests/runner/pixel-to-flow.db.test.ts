import { beforeAll, describe, expect, it } from "vitest";
import { action as pixel } from "~/routes/api.pixel.events";
import { setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { routeEvents } from "~/server/journeys/router.server";
import { useTestDatabase } from "../support/db";

const SHOP = "pixel-flow.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

const checkout = {
  token: "c1-pixel",
  email: "dana@example.com",
  phone: null,
  currencyCode: "PLN",
  totalPrice: { amount: 260, currencyCode: "PLN" },
  lineItems: [],
};
function event(id: string, name: string, data: unknown) {
  return {
    id,
    name,
    timestamp: "2026-11-24T09:00:00.000Z",
    clientId: "visitor-dana",
    seq: 1,
    context: { url: `https://${SHOP}/checkouts/x`, referrer: "", title: "Checkout", language: "pl-PL" },
    data,
  };
}
async function post(events: unknown[]) {
  const res = await pixel({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      headers: { origin: `https://${SHOP}` },
      body: JSON.stringify({ shop: SHOP, v: 1, events }),
    }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(202);
  await drainPixelInbox();
}

beforeAll(async () => {
  setClock(new Date("2026-11-24T09:00:05Z"));
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Pixel flow", timezone: "Europe/Warsaw", holdoutPercent: 0 } })).id;
  await installCatalogue(shopId);
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  await prisma().customer.create({
    data: { shopId, email: "dana@example.com", emailConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z") },
  });
});

describe("storefront events to flows", () => {
  it("a checkout started anonymously enrolls the shopper once they type their email", async () => {
    await post([event("e1", "checkout_started", { checkout: { ...checkout, email: null } })]);
    while ((await routeEvents()).claimed > 0);
    expect(await prisma().enrollment.count({ where: { shopId } })).toBe(0); // nobody to write to yet

    await post([event("e2", "checkout_contact_info_submitted", { checkout })]);
    while ((await routeEvents()).claimed > 0);
    const e = await prisma().enrollment.findFirstOrThrow({ where: { shopId }, include: { customer: true } });
    expect(e.customer.email).toBe("dana@example.com");
    expect(e.contextKey).toBe("c1-pixel");
    expect(e.status).toBe("active");
    // The contact-info event re-offered the earlier checkout_started: still one enrollment.
    expect(await prisma().enrollment.count({ where: { shopId } })).toBe(1);
  });
});
