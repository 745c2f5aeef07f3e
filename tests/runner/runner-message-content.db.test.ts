import { beforeAll, describe, expect, it } from "vitest";
import type { FlowDefinition } from "~/domain/journey";
import { saveFlowDefinition } from "~/server/journeys/flows.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { useTestDatabase } from "../support/db";
import { abandonCheckout, createSmsFlowShop, HOUR, settleAt, T0 } from "../support/sms-flow-shop";

const SHOP = "sms-content.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

beforeAll(async () => {
  shopId = await createSmsFlowShop(prisma(), SHOP, {
    shop: { postalAddress: { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" } },
    customer: { firstName: "Ewa" },
    beforeOn: async (id) => {
      // The message editor's texts: the SMS's own (EN and PL), and the first email's with a
      // filter liquidjs does not know (saved past the editor, as another writer could).
      const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: id, key: "abandoned_checkout" } });
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
      await saveFlowDefinition(id, "abandoned_checkout", { ...def, steps }, "test", "Own texts");
    },
  });
});

describe("a flow whose steps have their own content", () => {
  it("queues the SMS with its own text rendered; the email whose text does not render is failed as template_error, never sent", async () => {
    await abandonCheckout(SHOP, "chk-own");
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
