import { isInteger, isSafeNumber, parse } from "lossless-json";

// Shopify's JSON, read so that no id loses a digit and no body can exhaust the stack.
//
// Shopify ids are 64-bit integers (sample order 820982911946154508); JSON.parse turns
// anything above 2^53 into the nearest double (…496). lossless-json hands us each
// number's text, so an integer too large for a double becomes a bigint and every other
// number stays a plain number (money is sent as strings). It is recursive, like every
// JSON parser, so nesting is bounded first by a scan that does not recurse.

/** Shopify's deepest bodies (order → line item → discount allocation → amount set → money) nest about 8 levels. */
export const MAX_SHOPIFY_JSON_DEPTH = 64;

export type ShopifyJsonReject = "malformed_json" | "json_too_deep" | "unsupported_unicode_escape" | "payload_not_an_object";

export class ShopifyJsonError extends Error {
  constructor(
    readonly reason: ShopifyJsonReject,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LOWER_U = 0x75;

/**
 * What PostgreSQL's jsonb (where deliveries are stored) or a recursive parser would
 * choke on, found in one pass without recursion: nesting deeper than `maxDepth`
 * (brackets inside strings do not count), and the escapes jsonb refuses (\u0000, a
 * lone UTF-16 surrogate). Null when the text has none. It does not check the syntax.
 */
export function scanShopifyJson(
  text: string,
  maxDepth = MAX_SHOPIFY_JSON_DEPTH,
): Exclude<ShopifyJsonReject, "malformed_json" | "payload_not_an_object"> | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === QUOTE) inString = false;
      else if (c === BACKSLASH) {
        if (text.charCodeAt(i + 1) === LOWER_U) {
          const unit = parseInt(text.slice(i + 2, i + 6), 16);
          if (unit === 0) return "unsupported_unicode_escape";
          if (unit >= 0xdc00 && unit <= 0xdfff) return "unsupported_unicode_escape";
          if (unit >= 0xd800 && unit <= 0xdbff) {
            const low =
              text.charCodeAt(i + 7) === LOWER_U && text.charCodeAt(i + 6) === BACKSLASH ? parseInt(text.slice(i + 8, i + 12), 16) : NaN;
            if (!(low >= 0xdc00 && low <= 0xdfff)) return "unsupported_unicode_escape";
            i += 6; // the pair's low half is checked here, not read again as a lone one
          }
          i += 5;
        } else i++;
      }
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return "json_too_deep";
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return null;
}

/** Integers beyond 2^53 as bigint, every other number as a number: ids keep their digits, arithmetic stays plain. */
export function parseShopifyNumber(text: string): number | bigint {
  return isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text);
}

/** The body's top-level object; a ShopifyJsonError with the reason when it is not usable JSON. */
export function parseShopifyJson(text: string, maxDepth = MAX_SHOPIFY_JSON_DEPTH): Record<string, unknown> {
  const refused = scanShopifyJson(text, maxDepth);
  if (refused) throw new ShopifyJsonError(refused);
  let value: unknown;
  try {
    // A repeated key keeps its last value, as JSON.parse and PostgreSQL's jsonb do.
    value = parse(text, null, { parseNumber: parseShopifyNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (err) {
    throw new ShopifyJsonError("malformed_json", err instanceof Error ? err.message.slice(0, 200) : undefined);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ShopifyJsonError("payload_not_an_object");
  return value as Record<string, unknown>;
}
