// Shared set-up of the experiment tests: a shop whose welcome flow tests the subject
// line of its first email, customers entering it, and FlowDaily figures planted per
// variant (the real counters are the outbox's and attribution's; here the test decides).
import type { PrismaClient } from "@prisma/client";
import { parseFlowDefinition, type FlowDefinition } from "~/domain/journey";
import { shopDay } from "~/domain/measurement/shop-day";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { installCatalogue, saveFlowDefinition, setFlowStatus } from "~/server/journeys/flows.server";
import { bumpFlowDaily } from "~/server/measurement/rollup.server";

export const TIME_ZONE = "Europe/Warsaw";
export const DAY = 86_400_000;
export const SUBJECT_B = "A gift inside, {{ customer.firstName }}";

/** The welcome flow's active definition with send_1 testing a subject line (a: the template's; b: SUBJECT_B). */
export function withSubjectTest(def: FlowDefinition): FlowDefinition {
  return parseFlowDefinition({
    ...def,
    steps: def.steps.map((s) =>
      s.id === "send_1" && s.type === "send"
        ? {
            ...s,
            variants: [
              { key: "a", weight: 1 },
              { key: "b", weight: 1, subject: SUBJECT_B },
            ],
          }
        : s,
    ),
  });
}

export async function activeDefinition(prisma: PrismaClient, flowId: string): Promise<FlowDefinition> {
  const flow = await prisma.flow.findUniqueOrThrow({ where: { id: flowId } });
  const version = await prisma.flowVersion.findUniqueOrThrow({ where: { id: flow.activeVersionId! } });
  return parseFlowDefinition(version.definition);
}

/** A shop (Warsaw, no holdout) whose welcome flow is on and tests send_1's subject; returns its ids. */
export async function shopWithWelcomeTest(prisma: PrismaClient, domain: string) {
  const shop = await prisma.shop.create({ data: { domain, name: "Kawa & Co.", timezone: TIME_ZONE, holdoutPercent: 0, locale: "en" } });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "welcome", "on", "test");
  const flow = await prisma.flow.findUniqueOrThrow({ where: { shopId_key: { shopId: shop.id, key: "welcome" } } });
  await saveFlowDefinition(shop.id, "welcome", withSubjectTest(await activeDefinition(prisma, flow.id)), "merchant", "Subject test");
  const versionId = (await prisma.flow.findUniqueOrThrow({ where: { id: flow.id } })).activeVersionId!;
  const experiment = await prisma.experiment.findFirstOrThrow({ where: { shopId: shop.id, flowId: flow.id, flowVersionId: versionId } });
  return { shopId: shop.id, flowId: flow.id, versionId, experimentId: experiment.id };
}

/** A subscribed customer who has just subscribed: the welcome flow enrolls them and runs its first step. */
export async function subscribe(prisma: PrismaClient, shopId: string, name: string, at: Date): Promise<string> {
  const customer = await prisma.customer.create({
    data: { shopId, email: `${name}@example.com`, firstName: name, emailConsentState: "subscribed", emailConsentUpdatedAt: at },
  });
  await prisma.event.create({
    data: { shopId, customerId: customer.id, name: "email_subscribed", source: "system", sourceId: `subscribe:${name}`, occurredAt: at },
  });
  await settle();
  return customer.id;
}

export async function settle(): Promise<void> {
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}

export interface Planted {
  sent: number;
  clicked?: number;
  orders?: number;
  revenue?: number;
}

/** Adds figures to a variant's FlowDaily row of send_1 on the shop-local day of `at`. */
export async function plant(prisma: PrismaClient, shopId: string, flowId: string, at: Date, variant: string, p: Planted): Promise<void> {
  const revenue = p.revenue ?? 0;
  const orders = p.orders ?? 0;
  await bumpFlowDaily(
    prisma,
    { shopId, flowId, day: shopDay(at, TIME_ZONE), stepId: "send_1", variant, channel: "email" },
    {
      sent: p.sent,
      clicked: p.clicked ?? 0,
      attributedOrders: orders,
      attributedRevenue: revenue,
      // Each order the same amount: sum of squares = orders × (revenue / orders)².
      attributedRevenueSq: orders > 0 ? (revenue * revenue) / orders : 0,
    },
  );
}
