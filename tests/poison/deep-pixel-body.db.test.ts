import { beforeAll, describe, expect, it } from "vitest";
import { action } from "~/routes/api.pixel.events";
import { toWireEvent } from "../../extensions/web-pixel/src/wire";
import { productViewedEvent, SHOP_DOMAIN } from "../web-pixel/fixtures";
import { expandPixelInbox } from "~/server/ingestion/pixel-inbox.server";
import { useTestDatabase } from "../support/db";

// Finding 1 of issue 14, as it was found: a ~40 KB pixel body whose event `data`
// nests arrays about 8,000 levels deep.
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

beforeAll(async () => {
  await prisma().shop.create({ data: { domain: SHOP_DOMAIN, name: "Deep" } });
});

export function deepPixelBody(levels = 8_000): string {
  const event = { ...toWireEvent(productViewedEvent), id: "deep-1", data: "__DATA__" };
  const text = JSON.stringify({ shop: SHOP_DOMAIN, v: 1, events: [event] });
  return text.replace('"__DATA__"', "[".repeat(levels) + "]".repeat(levels));
}

function post(body: string) {
  return action({
    request: new Request("http://localhost/api/pixel/events", {
      method: "POST",
      body,
      headers: { "content-type": "text/plain;charset=UTF-8", origin: `https://${SHOP_DOMAIN}` },
    }),
    params: {},
    context: {},
  });
}

describe("a pixel body nested 8,000 levels deep (finding 1)", () => {
  it("is refused at the door with a 4xx and its reason, and nothing is stored", async () => {
    const body = deepPixelBody();
    expect(body.length).toBeGreaterThan(16_000);
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/nested deeper than/);
    expect(await prisma().pixelInbox.count()).toBe(0);
    expect(await expandPixelInbox()).toMatchObject({ claimed: 0 });
  });
});
