import { beforeAll, describe, expect, it } from "vitest";
import { setClock } from "~/server/clock.server";
import type { FlowDefinition } from "~/domain/journey";
import { installCatalogue, saveFlowDefinition, saveFlowSettings, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { useTestDatabase } from "../support/db";
import { deliver, drainWebhooks } from "../support/webhooks";
import { checkoutPayload } from "../capture/shopify-fixtures";

const SHOP = "sms-content.myshopify.com";
const HOUR = 3_600_000;
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

async function settleAt(at: Date) {
  setClock(at);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}

// Checkout at 17:30 Warsaw (16:30 UTC, winter): the SMS step is due 4 h later, at 21:30.
const T0 = new Date("2026-11-24T16:30:00Z");

beforeAll(async () => {
  setClock(T0);
  shopId = (
    await prisma().shop.create({
      data: {
        domain: SHOP,
        name: "SMS shop",
        timezone: "Europe/Warsaw",
        holdoutPercent: 0,
        postalAddress: { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" },
      },
    })
  ).id;
  await installCatalogue(shopId);
  await saveFlowSettings(shopId, "abandoned_checkout", { sms: { enabled: true } }, "test", "SMS on");
  // The message editor's texts: the SMS's own (EN and PL), and the first email's with a
  // filter liquidjs does not know (saved past the editor, as another writer could).
  const flow = await prisma().flow.findFirstOrThrow({ where: { shopId, key: "abandoned_checkout" } });
  const latest = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: flow.id }, orderBy: { version: "desc" } });
  const def = latest.definition as unknown as FlowDefinition;
  const steps = def.steps.map((st) => {
    if (st.id === "send_sms")
      return { ...st, content: { en: { text: "{{ shop.name }}: {{ customer.firstName }}, your order: {{ links.recoveryUrl }}" } } };
    if (st.id === "send_1")
      return {
        ...st,
        content: { en: { subject: "Hi {{ customer.firstName | nosuchfilter }}", preheader: "", blocks: [{ type: "footer" }] } },
      };
    return st;
  });
  await saveFlowDefinition(shopId, "abandoned_checkout", { ...def, steps }, "test", "Own texts");
  await setFlowStatus(shopId, "abandoned_checkout", "on", "test");
  await prisma().customer.create({
    data: {
      shopId,
      email: "ewa@example.com",
      phone: "+48601111222",
      firstName: "Ewa",
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      smsConsentState: "subscribed",
      smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
});

describe("a flow whose steps have their own content", () => {
  it("queues the SMS with its own text rendered; the email whose text does not render is failed as template_error, never sent", async () => {
    setClock(T0);
    await deliver(
      SHOP,
      "checkouts/create",
      checkoutPayload({
        token: "chk-own",
        abandoned_checkout_url: `https://${SHOP}/123/checkouts/chk-own/recover?key=secret`,
        email: "ewa@example.com",
        phone: "+48601111222",
        created_at: T0.toISOString(),
        updated_at: T0.toISOString(),
      }),
    );
    await settleAt(new Date(T0.getTime() + 5000));
    await settleAt(new Date(T0.getTime() + 1 * HOUR + 60_000)); // email 1 is queued
    const email = await prisma().message.findFirstOrThrow({ where: { shopId, channel: "email" } });
    expect((email.payload as { content?: unknown }).content).toBeTruthy();
    const dispatched = await dispatchDueMessages("w-own", 10);
    expect(dispatched.sent).toBe(0);
    const failed = await prisma().message.findUniqueOrThrow({ where: { id: email.id } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain('unknown filter "nosuchfilter"');
    expect((await prisma().decision.findMany({ where: { messageId: email.id } })).map((d) => d.reason)).toContain("template_error");

    await settleAt(new Date("2026-11-25T07:00:00Z")); // the SMS, after quiet hours
    const sms = await prisma().message.findFirstOrThrow({ where: { shopId, channel: "sms" } });
    expect((sms.payload as { body: string }).body).toBe(
      `SMS shop: Ewa, your order: https://${SHOP}/123/checkouts/chk-own/recover?key=secret`,
    );
  });
});
