import crypto from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";

export const POSTAL_ADDRESS = {
  company: "Kawa & Co. Sp. z o.o.",
  address1: "ul. Prosta 12",
  city: "Warszawa",
  zip: "00-850",
  countryCodeV2: "PL",
};

export const SAMPLE_ITEMS = [
  {
    title: "Ethiopia Yirgacheffe 250 g",
    variantTitle: "Whole bean",
    quantity: 2,
    price: "49.00",
    imageUrl: "https://cdn.example.com/yirgacheffe.png",
    url: "https://kawa.example.com/products/yirgacheffe",
  },
  { title: "Hario V60 dripper", quantity: 1, price: "89.00", imageUrl: "https://cdn.example.com/v60.png" },
];

export const SAMPLE_RECOMMENDATIONS = [
  {
    title: "Kenya AA 250 g",
    price: "55.00",
    imageUrl: "https://cdn.example.com/kenya.png",
    url: "https://kawa.example.com/products/kenya-aa",
  },
  { title: "Ceramic mug", price: "39.00", imageUrl: "https://cdn.example.com/mug.png", url: "https://kawa.example.com/products/mug" },
];

export async function createShop(prisma: PrismaClient, overrides: Partial<Prisma.ShopCreateInput> = {}) {
  const slug = crypto.randomBytes(4).toString("hex");
  return prisma.shop.create({
    data: {
      domain: `kawa-${slug}.myshopify.com`,
      name: "Kawa & Co.",
      locale: "en",
      currency: "PLN",
      primaryDomain: "kawa.example.com",
      senderName: "Kawa & Co.",
      senderEmail: "hello@kawa.example.com",
      replyTo: "support@kawa.example.com",
      postalAddress: POSTAL_ADDRESS,
      branding: { primaryColor: "#6f4e37", accentColor: "#ffb300" },
      ...overrides,
    },
  });
}

export async function createCustomer(prisma: PrismaClient, shopId: string, overrides: Partial<Prisma.CustomerUncheckedCreateInput> = {}) {
  const slug = crypto.randomBytes(4).toString("hex");
  return prisma.customer.create({
    data: {
      shopId,
      email: `anna.${slug}@example.com`,
      firstName: "Anna",
      lastName: "Nowak",
      emailConsentState: "subscribed",
      emailOptInLevel: "single_opt_in",
      ...overrides,
    },
  });
}

export async function enqueueEmail(
  prisma: PrismaClient,
  shopId: string,
  customer: { id: string; email: string | null } | null,
  overrides: Partial<Prisma.MessageUncheckedCreateInput> = {},
) {
  return prisma.message.create({
    data: {
      shopId,
      customerId: customer?.id ?? null,
      channel: "email",
      purpose: "marketing",
      idempotencyKey: crypto.randomUUID(),
      toAddress: customer?.email ?? "owner@kawa.example.com",
      templateKey: "abandoned_checkout_1",
      payload: { items: SAMPLE_ITEMS, recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=abc" },
      nextAttemptAt: new Date(Date.now() - 1000),
      ...overrides,
    },
  });
}
