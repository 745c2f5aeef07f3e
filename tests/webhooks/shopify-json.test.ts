import { describe, expect, it } from "vitest";
import { MAX_SHOPIFY_JSON_DEPTH, parseShopifyJson, scanShopifyJson, ShopifyJsonError } from "~/domain/capture/shopify-json";
import { OrderPayload } from "~/domain/capture/shopify-payloads";

function reason(text: string): string {
  try {
    parseShopifyJson(text);
    return "ok";
  } catch (err) {
    return err instanceof ShopifyJsonError ? err.reason : `unexpected ${String(err)}`;
  }
}

describe("parseShopifyJson", () => {
  it("keeps every digit of ids above 2^53 (JSON.parse rounds Shopify's sample order id)", () => {
    const text = '{"id":820982911946154508,"line_items":[{"product_id":788032119674292922,"quantity":1,"price":"199.00"}],"weight":1.5}';
    expect(String((JSON.parse(text) as { id: number }).id)).toBe("820982911946154500");
    const v = parseShopifyJson(text) as { id: unknown; line_items: { product_id: unknown; quantity: unknown }[]; weight: unknown };
    expect(v.id).toBe(820982911946154508n);
    expect(v.line_items[0]).toMatchObject({ product_id: 788032119674292922n, quantity: 1 });
    expect(v.weight).toBe(1.5);
  });

  it("an order payload's ids reach the schema's bigint without passing through a number", () => {
    const o = OrderPayload.parse(
      parseShopifyJson(
        '{"id":820982911946154508,"name":"#9999","currency":"USD","total_price":"398.00","created_at":"2026-01-01T00:00:00Z",' +
          '"customer":{"id":115310627314723954},"line_items":[{"product_id":788032119674292922,"variant_id":null,"quantity":1,"price":"199.00","title":null}],' +
          '"discount_codes":null}',
      ),
    );
    expect(o.id).toBe(820982911946154508n);
    expect(o.customer?.id).toBe(115310627314723954n);
    expect(o.line_items[0]).toMatchObject({ product_id: 788032119674292922n, variant_id: null, title: "" });
    expect(o.discount_codes).toEqual([]);
  });

  it("refuses nesting beyond the bound without recursing, also 100,000 levels deep", () => {
    const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(reason(`{"a":${deep(MAX_SHOPIFY_JSON_DEPTH - 1)}}`)).toBe("ok");
    expect(reason(`{"a":${deep(MAX_SHOPIFY_JSON_DEPTH)}}`)).toBe("json_too_deep");
    expect(reason(`{"data":${deep(100_000)}}`)).toBe("json_too_deep");
    // Brackets inside strings, escaped quotes included, are text, not nesting.
    expect(reason(JSON.stringify({ note: "[".repeat(500) + '\\"' + "{".repeat(500) }))).toBe("ok");
  });

  it("refuses the escapes PostgreSQL's jsonb cannot store, and keeps the ones it can", () => {
    expect(scanShopifyJson('{"a":"\\u0000"}')).toBe("unsupported_unicode_escape");
    expect(scanShopifyJson('{"a":"\\ud800x"}')).toBe("unsupported_unicode_escape");
    expect(scanShopifyJson('{"a":"\\udc00"}')).toBe("unsupported_unicode_escape");
    expect(scanShopifyJson('{"a":"\\ud83d\\ude00 \\u00e9 \\\\u0000 \\n"}')).toBeNull();
  });

  it("names malformed JSON and bodies that are not an object", () => {
    expect(reason('{"id": 1')).toBe("malformed_json");
    expect(reason("[1,2]")).toBe("payload_not_an_object");
    expect(reason("42")).toBe("payload_not_an_object");
    expect(parseShopifyJson('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(Object.getPrototypeOf(parseShopifyJson('{"__proto__":{"x":1}}'))).toBe(Object.prototype);
  });
});
