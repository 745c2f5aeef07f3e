import { describe, expect, it } from "vitest";
import { byteLength, chunkEvents, toWireEvent, type WireEvent } from "../../extensions/web-pixel/src/wire";
import { checkoutCompletedEvent, CLIENT_ID, productViewedEvent, SHOP_DOMAIN, wireEvent } from "./fixtures";

const LIMITS = { maxBodyBytes: 60 * 1024, maxEventsPerBody: 100 };

describe("toWireEvent", () => {
  it("maps a product_viewed standard event to the v1 wire shape", () => {
    expect(toWireEvent(productViewedEvent)).toEqual({
      id: "sh-7f1c2a3b-4D5E-4F60-A718-293A4B5C6D7E",
      name: "product_viewed",
      timestamp: "2024-05-14T17:45:02.341Z",
      clientId: CLIENT_ID,
      seq: 3,
      context: {
        url: "https://flowmate-demo.myshopify.com/products/linen-camp-shirt?variant=44012345678901",
        referrer: "https://flowmate-demo.myshopify.com/collections/summer",
        title: "Linen Camp Shirt – FlowMate Demo",
        language: "en-US",
      },
      data: productViewedEvent.data,
    });
  });

  it("keeps checkout_completed data exactly as Shopify delivered it", () => {
    const wire = toWireEvent(checkoutCompletedEvent);
    expect(Object.keys(wire)).toEqual(["id", "name", "timestamp", "clientId", "seq", "context", "data"]);
    expect(wire.id).toBe(checkoutCompletedEvent.id);
    expect(wire.name).toBe("checkout_completed");
    expect(wire.seq).toBe(11);
    expect(wire.context.url).toBe(checkoutCompletedEvent.context.document.location.href);
    // Round-trip through JSON: the server sees the full checkout, untouched.
    const parsed = JSON.parse(JSON.stringify(wire)) as WireEvent;
    expect(parsed.data).toEqual(JSON.parse(JSON.stringify(checkoutCompletedEvent.data)));
    expect(parsed.data).toMatchObject({
      checkout: { order: { id: "5601234567890" }, totalPrice: { amount: 144, currencyCode: "USD" } },
    });
  });

  it("drops sandbox-only fields (type, window, navigator details) from the wire", () => {
    const json = JSON.stringify(toWireEvent(productViewedEvent));
    expect(json).not.toContain('"type":"standard"');
    expect(json).not.toContain("userAgent");
    expect(json).not.toContain("innerWidth");
  });

  it("fills missing context and data with empty values instead of omitting keys", () => {
    const wire = toWireEvent({ id: "a", name: "page_viewed", timestamp: "t", clientId: "c", seq: 0 });
    expect(wire.context).toEqual({ url: "", referrer: "", title: "", language: "" });
    expect(JSON.parse(JSON.stringify(wire))).toHaveProperty("data", null);
  });
});

describe("chunkEvents", () => {
  it("produces bodies byte-identical to JSON.stringify of the envelope", () => {
    const events = [toWireEvent(productViewedEvent), toWireEvent(checkoutCompletedEvent)];
    const { chunks } = chunkEvents(SHOP_DOMAIN, events, LIMITS);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.body).toBe(JSON.stringify({ shop: SHOP_DOMAIN, v: 1, events }));
    expect(chunks[0]!.ids).toEqual(events.map((e) => e.id));
  });

  it("splits at 100 events per body", () => {
    const events = Array.from({ length: 250 }, (_, i) => wireEvent(i));
    const { chunks } = chunkEvents(SHOP_DOMAIN, events, LIMITS);
    expect(chunks.map((c) => c.ids.length)).toEqual([100, 100, 50]);
    expect(chunks.flatMap((c) => c.ids)).toEqual(events.map((e) => e.id));
  });

  it("splits so no body exceeds 60 KB, counting UTF-8 bytes", () => {
    // Multi-byte characters: string length would undercount the wire size.
    const events = Array.from({ length: 30 }, (_, i) => ({ ...wireEvent(i), data: { q: "ü€".repeat(1500) } }));
    const { chunks, oversized } = chunkEvents(SHOP_DOMAIN, events, LIMITS);
    expect(oversized).toEqual([]);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(byteLength(chunk.body)).toBeLessThanOrEqual(60 * 1024);
      expect((JSON.parse(chunk.body) as { events: unknown[] }).events).toHaveLength(chunk.ids.length);
    }
    expect(chunks.flatMap((c) => c.ids)).toEqual(events.map((e) => e.id));
  });

  it("fills bodies up to the exact byte limit", () => {
    const events = [wireEvent(1), wireEvent(2)];
    const exact = byteLength(JSON.stringify({ shop: SHOP_DOMAIN, v: 1, events }));
    expect(chunkEvents(SHOP_DOMAIN, events, { ...LIMITS, maxBodyBytes: exact }).chunks).toHaveLength(1);
    expect(chunkEvents(SHOP_DOMAIN, events, { ...LIMITS, maxBodyBytes: exact - 1 }).chunks).toHaveLength(2);
  });

  it("reports an event too large for any body instead of sending it", () => {
    const events = [wireEvent(1), wireEvent(2, 70 * 1024), wireEvent(3)];
    const { chunks, oversized } = chunkEvents(SHOP_DOMAIN, events, LIMITS);
    expect(oversized.map((e) => e.id)).toEqual(["sh-test-2"]);
    expect(chunks.flatMap((c) => c.ids)).toEqual(["sh-test-1", "sh-test-3"]);
  });
});
