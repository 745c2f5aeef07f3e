import type { z } from "zod";
import type { Locale } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { boundedMemo } from "../shared/bounded-memo";
import { EmailRenderContext } from "./email-context";

// Turns a render context into the flat, pre-formatted scope the Liquid templates read:
// prices and dates formatted for the locale, colours checked, URLs made absolute and
// restricted to http(s), so templates stay free of logic.

type ParsedContext = z.output<typeof EmailRenderContext>;

const DEFAULT_PRIMARY = "#1f2937";
const DEFAULT_ACCENT = "#d97706";
const MAX_RECOMMENDATIONS = 4;

export interface EmailView {
  locale: Locale;
  shop: { name: string; url: string; logoUrl: string | null; addressLines: string[]; address: string };
  brand: { primary: string; accent: string; accentSoft: string; onPrimary: string };
  customer: { firstName: string; lastName: string; fullName: string; email: string; properties: Record<string, unknown> };
  links: Record<string, string>;
  items: { title: string; variantTitle: string; quantity: number; priceLabel: string; imageUrl: string; url: string }[];
  itemsTotalLabel: string;
  /** The label under the lines says "Subtotal": the amount is their sum, not what Shopify charged. */
  itemsTotalIsSubtotal: boolean;
  discount: { code: string; kind: string; valueLabel: string; expiresLabel: string } | null;
  recommendations: RecommendationCard[];
  /** Pairs, so a phone shows two cards side by side rather than one huge card per row. */
  recommendationRows: RecommendationCard[][];
}

interface RecommendationCard {
  title: string;
  priceLabel: string;
  imageUrl: string;
  url: string;
}

export function parseRenderContext(input: unknown): ParsedContext {
  return EmailRenderContext.parse(input);
}

export function buildEmailView(ctx: ParsedContext, locale: Locale): EmailView {
  const base = ctx.assetBaseUrl ?? ctx.shop.url ?? undefined;
  const shopUrl = safeUrl(ctx.links.shopUrl ?? ctx.shop.url, base) || "";
  const currency = ctx.currency ?? ctx.shop.currency ?? "USD";
  const price = (value: number | string | null | undefined) => formatMoney(value, currency, locale);
  const links: Record<string, string> = { shopUrl };
  for (const [name, url] of Object.entries(ctx.links)) {
    // Per-recipient links (unsubscribe, preferences) would only churn the memo.
    const safe = url ? parseSafeUrl(url, base) : "";
    if (safe) links[name] = safe;
  }
  const recommendations = ctx.recommendations.slice(0, MAX_RECOMMENDATIONS);
  // Two columns per row: an odd count would leave a lonely card on the last row.
  if (recommendations.length > 2 && recommendations.length % 2 === 1) recommendations.pop();
  const cards = recommendations.map((r) => ({
    title: r.title,
    priceLabel: price(r.price),
    imageUrl: safeUrl(r.imageUrl, base),
    url: safeUrl(r.url, base) || shopUrl,
  }));
  const linesSum = ctx.items.reduce(
    (sum, i) => (sum === null || i.price == null ? null : sum + Number(i.price) * i.quantity),
    0 as number | null,
  );
  const addressLines = postalAddressLines(ctx.shop.postalAddress, ctx.shop.name, locale);
  const firstName = ctx.customer?.firstName?.trim() ?? "";
  const lastName = ctx.customer?.lastName?.trim() ?? "";
  const primary = cssColor(ctx.shop.branding?.primaryColor) ?? DEFAULT_PRIMARY;
  const accent = cssColor(ctx.shop.branding?.accentColor) ?? DEFAULT_ACCENT;
  return {
    locale,
    shop: {
      name: ctx.shop.name,
      url: shopUrl,
      logoUrl: safeUrl(ctx.shop.branding?.logoUrl, base) || null,
      addressLines,
      address: addressLines.join(", "),
    },
    brand: { primary, accent, accentSoft: tint(accent, 0.92), onPrimary: readableOn(primary) },
    customer: {
      firstName,
      lastName,
      fullName: [firstName, lastName].filter(Boolean).join(" "),
      email: ctx.customer?.email ?? "",
      properties: ctx.customer?.properties ?? {},
    },
    links,
    items: ctx.items.map((i) => ({
      title: i.title,
      variantTitle: i.variantTitle && i.variantTitle !== "Default Title" ? i.variantTitle : "",
      quantity: i.quantity,
      // The line total, as a cart shows it.
      priceLabel: price(i.price == null ? null : Number(i.price) * i.quantity),
      imageUrl: safeUrl(i.imageUrl, base),
      url: safeUrl(i.url, base) || links.recoveryUrl || shopUrl,
    })),
    ...itemsTotal(ctx, linesSum, price),
    discount: ctx.discount ? discountView(ctx.discount, currency, locale) : null,
    recommendations: cards,
    recommendationRows: cards.flatMap((_, i) => (i % 2 === 0 ? [cards.slice(i, i + 2)] : [])),
  };
}

/** A code as a message prints it (the email's view, and an SMS's at send time): its value and end date formatted for the locale. */
export function discountView(
  d: NonNullable<ParsedContext["discount"]>,
  currency: string,
  locale: Locale,
): { code: string; kind: string; valueLabel: string; expiresLabel: string } {
  return {
    code: d.code,
    kind: d.kind,
    valueLabel:
      d.kind === "percentage" ? `${Number(d.value ?? 0)}%` : d.kind === "fixed_amount" ? formatMoney(d.value, currency, locale) : "",
    expiresLabel: formatDate(d.expiresAt, locale),
  };
}

/** Shopify's own total when known; else the lines' sum, said to be a subtotal (it lacks tax and shipping). */
function itemsTotal(ctx: ParsedContext, linesSum: number | null, price: (v: number | string | null) => string) {
  if (ctx.items.length === 0) return { itemsTotalLabel: "", itemsTotalIsSubtotal: false };
  const charged = ctx.total ? price(ctx.total.amount) : "";
  if (charged) return { itemsTotalLabel: charged, itemsTotalIsSubtotal: false };
  return { itemsTotalLabel: linesSum === null ? "" : price(linesSum), itemsTotalIsSubtotal: true };
}

/** Company (or the shop's name), street, "zip city", country: how a postal footer reads. */
export function postalAddressLines(a: ParsedContext["shop"]["postalAddress"], shopName: string, locale: Locale): string[] {
  if (!a) return [];
  const street = [a.address1, a.address2]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join(", ");
  const town = [a.zip, a.city]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join(" ");
  if (!street || !a.city?.trim()) return [];
  return [a.company || shopName, street, [town, a.province].filter(Boolean).join(", "), a.country || countryName(a.countryCodeV2, locale)]
    .map((s) => s?.trim())
    .filter((s): s is string => Boolean(s));
}

// Formatting results are memoised: Intl calls cost microseconds each, and a send
// repeats the same prices, dates and country for every recipient.

const countryNames = new Map<string, Intl.DisplayNames>();

function countryName(code: string | null | undefined, locale: Locale): string {
  return code ? countryNameOf(code, locale) : "";
}

const countryNameOf = boundedMemo((code: string, locale: string) => {
  let names = countryNames.get(locale);
  if (!names) countryNames.set(locale, (names = new Intl.DisplayNames([locale], { type: "region" })));
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
});

export function formatMoney(value: number | string | null | undefined, currency: string, locale: Locale): string {
  if (value === null || value === undefined || value === "" || !Number.isFinite(Number(value))) return "";
  return formatAmount(String(Number(value)), currency, locale);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

const formatAmount = boundedMemo((amount: string, currency: string, locale: string) => {
  const key = `${locale}:${currency}`;
  let format = moneyFormats.get(key);
  if (!format) {
    const tag = localeTag(locale);
    try {
      format = new Intl.NumberFormat(tag, { style: "currency", currency });
    } catch {
      format = new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(key, format);
  }
  return format.format(Number(amount));
});

function formatDate(value: Date | string | null | undefined, locale: Locale): string {
  if (!value) return "";
  const time = (value instanceof Date ? value : new Date(value)).getTime();
  return Number.isNaN(time) ? "" : formatDay(String(time), locale);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

const formatDay = boundedMemo((time: string, locale: string) => {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(localeTag(locale), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(Number(time)));
});

/** Only absolute http(s) URLs reach a template: no javascript:, data: or mailto: from data. */
export function safeUrl(raw: string | null | undefined, base?: string): string {
  if (!raw) return "";
  return base ? safeUrlAgainst(raw, base) : safeAbsoluteUrl(raw);
}

const safeUrlAgainst = boundedMemo((raw: string, base: string) => parseSafeUrl(raw, base));
const safeAbsoluteUrl = boundedMemo((raw: string) => parseSafeUrl(raw));

function parseSafeUrl(raw: string, base?: string): string {
  try {
    const url = base ? new URL(raw, base) : new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : "";
  } catch {
    return "";
  }
}

function cssColor(raw: string | null | undefined): string | null {
  return raw && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(raw.trim()) ? raw.trim().toLowerCase() : null;
}

function rgb(hex: string): [number, number, number] {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join("")}` : hex;
  return [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** White text on dark brand colours, near-black on light ones (WCAG relative luminance). */
function readableOn(hex: string): string {
  const [r, g, b] = rgb(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? "#111827" : "#ffffff";
}

/** The colour mixed with white: a soft background that still reads as the brand. */
function tint(hex: string, whiteShare: number): string {
  return `#${rgb(hex)
    .map((v) =>
      Math.round(v + (255 - v) * whiteShare)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}
