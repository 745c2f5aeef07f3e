// The Shopify side of the demo: what the real Shopify would hold for the demo shop.
// The Admin API stand-in answers from it and the seed loads it into the app's tables.
// Deterministic (seeded PRNG), so every `npm run demo` shows the same shop.

export const DEMO_SHOP = {
  domain: "demo-shop.myshopify.com",
  name: "Kawa & Co. (demo)",
  email: "owner@demo-shop.example",
  currencyCode: "PLN",
  ianaTimezone: "Europe/Warsaw",
  locale: "pl",
  primaryDomain: "kawa-demo.example",
  /** Markets web presences, as the Admin API lists them (the primary domain's own one first). */
  webPresences: [{ host: "kawa-demo.example" }, { host: "kawa-demo.de" }, { host: null as string | null, subfolderSuffix: "cz" }] as {
    host: string | null;
    subfolderSuffix?: string;
  }[],
  billingAddress: {
    address1: "ul. Prosta 12",
    address2: null,
    city: "Warszawa",
    zip: "00-850",
    countryCodeV2: "PL",
    company: "Kawa & Co. Sp. z o.o.",
  },
} as const;

export interface DemoProduct {
  id: number;
  variantId: number;
  title: string;
  handle: string;
  productType: string;
  price: string;
  color: string;
}

const PRODUCT_ROWS: [string, string, string, string][] = [
  ["Ethiopia Yirgacheffe 250 g", "coffee", "54.00", "#b5651d"],
  ["Colombia Huila 250 g", "coffee", "49.00", "#8b4513"],
  ["Brazil Santos 1 kg", "coffee", "129.00", "#6f4e37"],
  ["Espresso Blend 500 g", "coffee", "79.00", "#3e2723"],
  ["Decaf Swiss Water 250 g", "coffee", "52.00", "#a1887f"],
  ["Hand Grinder Steel", "equipment", "289.00", "#607d8b"],
  ["Pour-over Dripper", "equipment", "99.00", "#eceff1"],
  ["Paper Filters x100", "equipment", "19.00", "#fff8e1"],
  ["Gooseneck Kettle", "equipment", "219.00", "#455a64"],
  ["Ceramic Mug", "merch", "45.00", "#4db6ac"],
  ["Travel Tumbler", "merch", "89.00", "#26a69a"],
  ["Gift Card 100 zł", "gift", "100.00", "#ffb300"],
];

export const DEMO_PRODUCTS: DemoProduct[] = PRODUCT_ROWS.map(([title, productType, price, color], i) => ({
  id: 8_000_000_000 + i + 1,
  variantId: 45_000_000_000 + i + 1,
  title,
  handle: title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/(^-|-$)/g, ""),
  productType,
  price,
  color,
}));

/** mulberry32: tiny, seedable, good enough for demo data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  "Anna",
  "Piotr",
  "Katarzyna",
  "Tomasz",
  "Magdalena",
  "Michał",
  "Agnieszka",
  "Paweł",
  "Emma",
  "Lucas",
  "Olivia",
  "Jan",
  "Zofia",
  "Marek",
  "Ewa",
  "Adam",
];
const LAST = [
  "Nowak",
  "Kowalski",
  "Wiśniewska",
  "Wójcik",
  "Kamińska",
  "Lewandowski",
  "Zielińska",
  "Smith",
  "Brown",
  "Mazur",
  "Krawczyk",
  "Dąbrowski",
];

export interface DemoCustomer {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  locale: string;
  emailConsent: "subscribed" | "not_subscribed" | "unsubscribed";
  smsConsent: "subscribed" | "not_subscribed";
  createdDaysAgo: number;
}

export interface DemoOrder {
  id: number;
  name: string;
  customerId: number;
  daysAgo: number;
  lines: { productIndex: number; quantity: number }[];
}

export function demoCustomers(count = 240): DemoCustomer[] {
  const rnd = prng(20261123);
  return Array.from({ length: count }, (_, i) => {
    const first = FIRST[Math.floor(rnd() * FIRST.length)]!;
    const last = LAST[Math.floor(rnd() * LAST.length)]!;
    const ascii = (s: string) =>
      s
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replace("ł", "l")
        .toLowerCase();
    const consentRoll = rnd();
    const hasPhone = rnd() < 0.45;
    return {
      id: 7_000_000_000 + i + 1,
      firstName: first,
      lastName: last,
      email: `${ascii(first)}.${ascii(last)}.${i + 1}@example.com`,
      phone: hasPhone ? `+4860${String(1_000_000 + i * 37).slice(0, 7)}` : null,
      locale: rnd() < 0.7 ? "pl" : "en",
      emailConsent: consentRoll < 0.62 ? "subscribed" : consentRoll < 0.9 ? "not_subscribed" : "unsubscribed",
      smsConsent: hasPhone && rnd() < 0.5 ? "subscribed" : "not_subscribed",
      createdDaysAgo: Math.floor(rnd() * 200) + 1,
    };
  });
}

/** About six months of orders; repeat buyers come back on a 3-6 week cycle. */
export function demoOrders(customers: DemoCustomer[]): DemoOrder[] {
  const rnd = prng(424242);
  const orders: DemoOrder[] = [];
  for (const c of customers) {
    if (rnd() < 0.25) continue; // never bought
    let day = Math.min(c.createdDaysAgo, 180) - Math.floor(rnd() * 10);
    const cycle = 21 + Math.floor(rnd() * 24);
    while (day > 0) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
        productIndex: Math.floor(rnd() * DEMO_PRODUCTS.length),
        quantity: 1 + Math.floor(rnd() * 2),
      }));
      orders.push({ id: 0, name: "", customerId: c.id, daysAgo: day, lines });
      if (rnd() < 0.45) break; // churned
      day -= cycle + Math.floor(rnd() * 10);
    }
  }
  orders.sort((a, b) => b.daysAgo - a.daysAgo);
  return orders.map((o, i) => ({ ...o, id: 6_000_000_000 + i + 1, name: `#${1001 + i}` }));
}

export function orderTotal(order: DemoOrder): number {
  return order.lines.reduce((sum, l) => sum + Number(DEMO_PRODUCTS[l.productIndex]!.price) * l.quantity, 0);
}
