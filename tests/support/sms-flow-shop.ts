import type { Prisma, PrismaClient } from "@prisma/client";
import { setClock } from "~/server/clock.server";
import { installCatalogue, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { deliver, drainWebhooks } from "./webhooks";

// A Warsaw shop whose abandoned-checkout flow sends an SMS, and Ewa, subscribed to email
// and SMS, who leaves a checkout: the fixtures of the runner's SMS tests.

export const HOUR = 3_600_000;
/** Checkout at 17:30 Warsaw (16:30 UTC, winter): the SMS step is due 4 h later, at 21:30. */
export const T0 = new Date("2026-11-24T16:30:00Z");
export const EWA = { email: "ewa@example.com", phone: "+48601111222" } as const;

/** Sets the clock, then receives the webhooks, routes the events and runs every enrollment due. */
export async function settleAt(at: Date): Promise<void> {
  setClock(at);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}

/**
 * Creates the shop ("SMS shop", Europe/Warsaw, no holdout) with the catalogue, the SMS
 * step on and the flow switched on, and Ewa. `beforeOn` changes the flow before it is
 * switched on (its own texts, say). The clock is set to T0. Returns the shop's id.
 */
export async function createSmsFlowShop(
  prisma: PrismaClient,
  domain: string,
  opts: {
    shop?: Partial<Prisma.ShopCreateInput>;
    customer?: Partial<Prisma.CustomerUncheckedCreateInput>;
    beforeOn?: (shopId: string) => Promise<void>;
  } = {},
): Promise<string> {
  setClock(T0);
  const shopId = (
    await prisma.shop.create({ data: { domain, name: "SMS shop", timezone: "Europe/Warsaw", holdoutPercent: 0, ...opts.shop } })
  ).id;
  await installCatalogue(shopId);
  await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true } }, "test", "SMS on");
  await opts.beforeOn?.(shopId);
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  await prisma.customer.create({
    data: {
      shopId,
      ...EWA,
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      smsConsentState: "subscribed",
      smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      ...opts.customer,
    },
  });
  return shopId;
}

/** Ewa leaves checkout `token` at T0. Shopify's recovery link is on the shop's own domain (a foreign one would be replaced by the shop's home page). */
export async function abandonCheckout(domain: string, token: string): Promise<void> {
  setClock(T0);
  await deliver(
    domain,
    "checkouts/create",
    checkoutPayload({
      token,
      abandoned_checkout_url: `https://${domain}/123/checkouts/${token}/recover?key=secret`,
      email: EWA.email,
      phone: EWA.phone,
      created_at: T0.toISOString(),
      updated_at: T0.toISOString(),
    }),
  );
}
