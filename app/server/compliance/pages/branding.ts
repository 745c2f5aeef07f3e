import type { Shop } from "@prisma/client";

// The shop's colours on a page shoppers must trust, made safe to use: only
// well-formed hex colours reach the CSS (branding is merchant input), and text on
// the brand colour is black or white, whichever reads (WCAG contrast).

export interface PageBrand {
  name: string;
  logoUrl: string | null;
  brand: string;
  onBrand: string;
  /** Brand colour when it is readable as text on white, else a dark neutral. */
  link: string;
  focus: string;
  address: string | null;
}

const FALLBACK = "#1f2937";

function hex(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const v = value.trim();
  if (/^#[0-9a-f]{6}$/i.test(v)) return v.toLowerCase();
  if (/^#[0-9a-f]{3}$/i.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join("")}`.toLowerCase();
  return null;
}

function luminance(color: string): number {
  const channel = (i: number) => {
    const c = parseInt(color.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function formatAddress(raw: unknown): string | null {
  if (!raw || typeof raw !== "object") return null;
  const a = raw as Record<string, unknown>;
  const str = (k: string) => (typeof a[k] === "string" && a[k].trim() ? a[k].trim() : null);
  const cityLine = [str("zip"), str("city")].filter(Boolean).join(" ");
  const parts = [str("company"), str("address1"), cityLine || null, str("countryCodeV2") ?? str("country")].filter(Boolean);
  return parts.length ? parts.join(", ") : null;
}

export function pageBrand(shop: Pick<Shop, "name" | "branding" | "postalAddress">): PageBrand {
  const b = (shop.branding ?? {}) as Record<string, unknown>;
  const brand = hex(b.primaryColor) ?? FALLBACK;
  const onBrand = contrast(brand, "#ffffff") >= 4.5 ? "#ffffff" : "#111111";
  const readable = contrast(brand, "#ffffff") >= 4.5;
  const logo = typeof b.logoUrl === "string" && /^https:\/\/[^\s"'<>]+$/.test(b.logoUrl) ? b.logoUrl : null;
  return {
    name: shop.name,
    logoUrl: logo,
    brand,
    onBrand,
    link: readable ? brand : FALLBACK,
    focus: contrast(brand, "#ffffff") >= 3 ? brand : "#1d4ed8",
    address: formatAddress(shop.postalAddress),
  };
}
