// Pixel requests not yet expanded into events sit compressed in the inbox, and a
// poisonous one compressed in the quarantine: a column scan cannot see inside. A
// customers/redact arriving while they wait must drop the ones that name the customer
// and keep everyone else's.
import zlib from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { action as pixel } from "~/routes/api.pixel.events";
import { setClock } from "~/server/clock.server";
import { markQuarantined } from "~/server/db/sql/quarantine.server";
import { drainPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { customerPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";

const SHOP = "erasure-inbox.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const ERIN = { shopifyId: 7391002005511, email: "erin.inbox-4k@example.com", clientId: "cid-erin-inbox-77" };
const OTHER_CLIENT = "cid-someone-else-12";
let shopId: string;

const event = (id: string, clientId: string, name: string, data: unknown) => ({
  id,
  name,
  timestamp: "2026-11-24T09:00:00.000Z",
  clientId,
  seq: 1,
  context: { url: `https://${SHOP}/products/x`, referrer: "", title: "X", language: "en-US" },
  data,
});
const erinRequest = () => ({
  shop: SHOP,
  v: 1,
  events: [
    event("px-e1", ERIN.clientId, "checkout_contact_info_submitted", {
      checkout: { token: "tok-inbox-1", email: ERIN.email, currencyCode: "PLN", lineItems: [] },
    }),
  ],
});
const otherRequest = () => ({ shop: SHOP, v: 1, events: [event("px-o1", OTHER_CLIENT, "page_viewed", {})] });

async function postPixel(body: unknown) {
  const res = await pixel({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      headers: { origin: `https://${SHOP}` },
      body: JSON.stringify(body),
    }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(202);
}

async function waitingText(): Promise<string> {
  const inbox = await getDb().query<{ bodyZstd: Uint8Array | null; body: string | null }>(
    `SELECT "bodyZstd", body FROM "PixelInbox" WHERE "shopId" = $1`,
    [shopId],
  );
  const parked = await getDb().query<{ payload: Uint8Array }>(
    `SELECT payload FROM "Quarantine" WHERE "shopId" = $1 AND kind = 'pixel-inbox'`,
    [shopId],
  );
  return [
    ...inbox.map((r) => (r.bodyZstd ? zlib.zstdDecompressSync(r.bodyZstd).toString() : r.body!)),
    ...parked.map((r) => zlib.zstdDecompressSync(r.payload).toString()),
  ].join("\n");
}

beforeAll(async () => {
  setClock(new Date("2026-11-24T09:00:00Z"));
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Inbox erasure", timezone: "Europe/Warsaw" } })).id;
  expect((await deliver(SHOP, "customers/create", customerPayload({ id: ERIN.shopifyId, email: ERIN.email, phone: null }))).status).toBe(
    200,
  );
  await drainWebhooks();
  // Two requests wait in the inbox (no worker has run), one of them hers.
  await postPixel(erinRequest());
  await postPixel(otherRequest());
  // A set-aside inbox row holding one of her requests beside someone else's.
  const parked = `[[${Date.parse("2026-11-24T08:00:00Z")},${JSON.stringify(erinRequest())}],[${Date.parse("2026-11-24T08:00:01Z")},${JSON.stringify(otherRequest())}]]`;
  await markQuarantined(
    getDb().query,
    { kind: "pixel-inbox", itemId: "999001", shopId },
    "RangeError: test",
    2,
    new Date(),
    zlib.zstdCompressSync(Buffer.from(parked)),
  );
});

describe("customers/redact and pixel requests still waiting", () => {
  it("before: her email and client id are inside the waiting requests", async () => {
    const text = await waitingText();
    expect(text).toContain(ERIN.email);
    expect(text).toContain(ERIN.clientId);
  });

  it("after: no waiting or set-aside request names her; the other visitor's requests stay and are expanded", async () => {
    expect(
      (
        await deliver(SHOP, "customers/redact", {
          shop_id: 954889,
          shop_domain: SHOP,
          customer: { id: ERIN.shopifyId, email: ERIN.email, phone: null },
          orders_to_redact: [],
        })
      ).status,
    ).toBe(200);
    await drainWebhooks();
    const redact = await prisma().webhookDelivery.findFirst({ where: { shopId, topic: "customers/redact" } });
    expect(redact, JSON.stringify({ error: redact?.error, attempts: redact?.attempts })).toMatchObject({ status: "processed" });
    const text = await waitingText();
    expect(text).not.toContain(ERIN.email);
    expect(text).not.toContain(ERIN.clientId);
    expect(text.split(OTHER_CLIENT).length - 1).toBe(2); // the inbox's and the quarantine's
    await drainPixelInbox();
    expect(await prisma().event.count({ where: { shopId, clientId: OTHER_CLIENT } })).toBe(1);
    expect(await prisma().event.count({ where: { shopId, clientId: ERIN.clientId } })).toBe(0);
    expect(await prisma().clientIdentity.count({ where: { shopId, clientId: ERIN.clientId } })).toBe(0);
  });
});
