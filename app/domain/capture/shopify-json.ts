import { isInteger, isSafeNumber, parse } from "lossless-json";
import { checkJsonBounds } from "../shared/json-bounds";

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

const BACKSLASH = 0x5c;

/**
 * What PostgreSQL's jsonb (where deliveries are stored) or a recursive parser would
 * choke on, found without recursion: nesting deeper than `maxDepth` (the shared
 * bounds scan, domain/shared/json-bounds.ts), and the escapes jsonb refuses (\u0000, a
 * lone UTF-16 surrogate). Null when the text has none. It does not check the syntax.
 */
export function scanShopifyJson(
  text: string,
  maxDepth = MAX_SHOPIFY_JSON_DEPTH,
): Exclude<ShopifyJsonReject, "malformed_json" | "payload_not_an_object"> | null {
  if (!checkJsonBounds(text, { maxDepth, maxNodes: Number.POSITIVE_INFINITY }).ok) return "json_too_deep";
  return jsonbUnsafeEscape(text) ? "unsupported_unicode_escape" : null;
}

/** A \uXXXX escape jsonb refuses: NUL, or a surrogate not in a high-low pair. (\u appears only inside strings.) */
function jsonbUnsafeEscape(text: string): boolean {
  const unitAt = (at: number) =>
    text.charCodeAt(at) === BACKSLASH && text[at + 1] === "u" ? parseInt(text.slice(at + 2, at + 6), 16) : NaN;
  for (let at = text.indexOf("\\u"); at >= 0; at = text.indexOf("\\u", at + 2)) {
    // An escape only when the backslash is not itself escaped (odd run of backslashes).
    let slashes = 1;
    while (text.charCodeAt(at - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) continue;
    const unit = unitAt(at);
    if (unit === 0 || (unit >= 0xdc00 && unit <= 0xdfff)) return true;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = unitAt(at + 6);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return true;
      at += 6; // the pair's low half is checked here, not read again as a lone one
    }
  }
  return false;
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
