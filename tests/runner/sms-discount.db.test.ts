// An abandoned-checkout SMS that carries a unique discount code, end to end: the offer
// (email 3 with the discount) is switched to SMS on the flow page and its text edited
// in the message editor; the runner queues it with its text still to render, and the
// dispatcher creates the code at Shopify (its Admin API's stand-in) just before sending,
// renders the text with it, stores it, and sends it through Twilio (its double). Shopify
// down: nothing is sent, and the retry finishes the same code. Twilio down after the
// code exists: the retry sends the same text, no second code.
import type { Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { resetStandin, standinCalls } from "../../demo/standins/admin-api.server";
import { saveFlowEdits } from "~/server/admin/flow-detail.server";
import { DraftRefused, loadMessageStep, saveMessageContent } from "~/server/admin/message-editor.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { setClock } from "~/server/clock.server";
import { installCatalogue, setFlowStatus } from "~/server/journeys/flows.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { createShop } from "../messages/email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "../messages/email/support/smtp-test-server";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";
import { twilioDouble } from "../support/twilio-double";
import { deliver, drainWebhooks } from "../support/webhooks";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const twilio = twilioDouble();
const savedEnv = { ...process.env };
let smtp: SmtpTestServer;
let standin: Awaited<ReturnType<typeof serveRoutes>>;
let shop: Shop;

const PHONE = "+48601000201";
const T0 = new Date("2026-11-24T09:00:00Z"); // 10:00 in Warsaw: every message falls inside the SMS window
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const creations = () => standinCalls().filter((c) => c.operation === "FlowmateDiscountCreate");
const texts = () => twilio.received.map((r) => r.form.get("Body") ?? "");

async function run(when: Date) {
  setClock(when);
  await drainWebhooks();
  while ((await routeEvents()).claimed > 0);
  while ((await runDueEnrollments()).claimed > 0);
}
async function dispatch(when: Date) {
  setClock(when);
  return dispatchDueMessages(`w-${when.toISOString()}`, 50);
}
const offerSms = () => prisma().message.findFirstOrThrow({ where: { shopId: shop.id, stepId: "send_3_offer" } });

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  await twilio.start();
  Object.assign(process.env, twilio.env());
  standin = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${standin.url}/dev/shopify`;
  resetStandin();
  setClock(T0);
  shop = await createShop(prisma(), {
    domain: "sms-code.myshopify.com",
    name: "Kawa",
    timezone: "Europe/Warsaw",
    holdoutPercent: 0,
    settings: { sms: { fromNumber: "+48732100200" } },
  });
  await prisma().session.create({
    data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "x", isOnline: false, accessToken: "shpat_test" },
  });
  await installCatalogue(shop.id);
  await setFlowStatus(shop.id, "abandoned_checkout", "on", "test");
  await prisma().customer.create({
    data: {
      shopId: shop.id,
      email: "ola@example.com",
      phone: PHONE,
      firstName: "Ola",
      emailConsentState: "subscribed",
      emailConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      smsConsentState: "subscribed",
      smsOptInLevel: "single_opt_in",
      smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
});
afterAll(async () => {
  for (const k of [...Object.keys(twilio.env()), "SHOPIFY_ADMIN_API_ORIGIN"]) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await twilio.close();
  await standin?.close();
  await smtp?.close();
});

describe("an SMS with a discount code", () => {
  it("is switched to on the flow page and written in the message editor, which accepts the code only where the step carries one", async () => {
    const flow = await prisma().flow.findFirstOrThrow({ where: { shopId: shop.id, key: "abandoned_checkout" } });
    const switched = await saveFlowEdits(shop, flow.id, { "send/send_3_offer/channel": "sms" }, "merchant", "Offer by text", "en", {
      confirmSmsCost: "send_3_offer",
    });
    expect(switched).toEqual({ ok: true, version: 2 });

    const offer = (await loadMessageStep(shop.id, flow.id, "send_3_offer"))!;
    expect(offer.step).toMatchObject({ channel: "sms", discountStepId: "discount_3" });
    // The switch's text already prints the code.
    expect(offer.step.content?.en?.text).toContain("{{ discount.code }}");
    const content = {
      en: { text: "{{ shop.name }}: {{ discount.valueLabel }} off with {{ discount.code }}. Your order: {{ links.recoveryUrl }}" },
      pl: { text: "{{ shop.name }}: {{ discount.valueLabel }} taniej z kodem {{ discount.code }}. Zamówienie: {{ links.recoveryUrl }}" },
    };
    expect(await saveMessageContent(shop, offer, { content, baseVersion: offer.version, note: null }, "merchant")).toBe(3);

    // The SMS of the same flow without a discount still refuses it, with the editor's words.
    const plain = (await loadMessageStep(shop.id, flow.id, "send_2"))!;
    const refused = await saveMessageContent(
      shop,
      { ...plain, step: { ...plain.step, channel: "sms", subject: undefined, content: undefined } },
      { content: { en: { text: "Code {{ discount.code }}" } }, baseVersion: plain.version, note: null },
      "merchant",
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DraftRefused);
    expect((refused as DraftRefused).errors).toEqual([
      { path: "en.text", message: "unknown variable {{ discount.code }}: pick one from the variables list" },
    ]);
  });

  it("is rendered when sent, with the code created at Shopify then; Shopify down sends nothing, Twilio down reuses the code", async () => {
    setClock(T0);
    await deliver(
      shop.domain,
      "checkouts/create",
      checkoutPayload({ token: "chk-code", email: "ola@example.com", created_at: T0.toISOString(), updated_at: T0.toISOString() }),
    );
    await run(at(5000));
    await run(at(1 * HOUR + 60_000)); // email 1
    await run(at(24 * HOUR + 60_000)); // email 2
    await dispatch(at(24 * HOUR + 120_000));
    expect(texts()).toEqual([]);

    // 72 h: the checkout is worth 254.00, so the offer goes out, as an SMS.
    await run(at(72 * HOUR + 60_000));
    const queued = await offerSms();
    expect(queued).toMatchObject({ channel: "sms", toAddress: PHONE, status: "pending" });
    const payload = queued.payload as { body?: unknown; bodyTemplate: { text: string }; discount: { idempotencyKey: string } };
    expect(payload.body).toBeUndefined(); // no code exists yet: the text waits for it
    expect(payload.bodyTemplate.text).toContain("{{ discount.code }}");
    expect(creations()).toHaveLength(0);

    // Shopify cannot be reached: no code, no text; the message waits for a retry.
    process.env.SHOPIFY_ADMIN_API_ORIGIN = "http://127.0.0.1:9/unreachable";
    const down = await dispatch(at(72 * HOUR + 120_000));
    expect(down).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect(texts()).toEqual([]);
    const waiting = await offerSms();
    expect(waiting.status).toBe("pending");
    expect(waiting.error).toContain("could not be created");
    expect((waiting.payload as { body?: unknown }).body).toBeUndefined();

    // Shopify is back, Twilio is not: the code is created once, the text stored with it, then the send fails.
    process.env.SHOPIFY_ADMIN_API_ORIGIN = `${standin.url}/dev/shopify`;
    twilio.failNext({ status: 503, code: 20503, message: "Service unavailable" });
    const flaky = await dispatch(at(72 * HOUR + 10 * 60_000));
    expect(flaky).toMatchObject({ claimed: 1, sent: 0, retried: 1 });
    expect(creations()).toHaveLength(1);
    const codes = await prisma().discountCode.findMany({ where: { shopId: shop.id } });
    expect(codes).toHaveLength(1);
    const code = codes[0]!;
    expect(code).toMatchObject({ idempotencyKey: payload.discount.idempotencyKey, kind: "percentage" });
    expect(code.code).toMatch(/^COMEBACK-[2-9A-HJKMNP-Z]{8}$/);
    expect(code.shopifyId).toMatch(/^gid:\/\/shopify\/DiscountCodeNode\/\d+$/);
    expect(creations()[0]!.variables.input).toMatchObject({ code: code.code, usageLimit: 1 });
    const afterFailure = await offerSms();
    const stored = (afterFailure.payload as { body: string }).body;
    expect(stored).toMatch(new RegExp(`^Kawa: 10% off with ${code.code}\\. Your order: https://`));
    expect(texts()).toHaveLength(1); // the failed attempt reached Twilio

    // The retry sends the stored text: the same code, none created.
    const sent = await dispatch(at(72 * HOUR + 20 * 60_000));
    expect(sent).toMatchObject({ claimed: 1, sent: 1 });
    expect(creations()).toHaveLength(1);
    expect(await prisma().discountCode.count({ where: { shopId: shop.id } })).toBe(1);
    const [failed, delivered] = texts();
    expect(delivered).toBe(failed);
    expect(delivered).toContain(`Kawa: 10% off with ${code.code}. Your order: `);
    expect(twilio.received[1]!.form.get("To")).toBe(PHONE);
    const done = await offerSms();
    expect(done.status).toBe("sent");
    expect((done.payload as { body: string }).body).toBe(stored);

    // Dispatching again finds nothing to send.
    expect(await dispatch(at(72 * HOUR + 30 * 60_000))).toMatchObject({ claimed: 0 });
    expect(texts()).toHaveLength(2);
    expect(creations()).toHaveLength(1);
  });

  it("a text that does not render is never sent and creates no code", async () => {
    const customer = await prisma().customer.findFirstOrThrow({ where: { shopId: shop.id, phone: PHONE } });
    const before = { codes: await prisma().discountCode.count({ where: { shopId: shop.id } }), creations: creations().length };
    const m = await prisma().message.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        channel: "sms",
        purpose: "marketing",
        idempotencyKey: "broken-sms-code",
        toAddress: PHONE,
        templateKey: "abandoned_checkout_sms_1",
        locale: "en",
        nextAttemptAt: at(73 * HOUR),
        payload: {
          flowKey: "abandoned_checkout",
          // Saved past the editor (as another writer could): a filter liquidjs does not know.
          bodyTemplate: {
            text: "Code {{ discount.code | nosuchfilter }}",
            scope: { shop: { name: "Kawa", url: "" }, customer: { firstName: "", lastName: "", fullName: "" }, links: { recoveryUrl: "" } },
          },
          discount: { idempotencyKey: "broken-sms-code:discount", kind: "percentage", value: 10, prefix: "BROKEN" },
        },
      },
    });
    expect(await dispatch(at(73 * HOUR))).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
    const failed = await prisma().message.findUniqueOrThrow({ where: { id: m.id } });
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain('unknown filter "nosuchfilter"');
    expect((await prisma().decision.findMany({ where: { messageId: m.id } })).map((d) => d.reason)).toEqual(["template_error"]);
    expect(texts()).toHaveLength(2);
    expect(await prisma().discountCode.count({ where: { shopId: shop.id } })).toBe(before.codes);
    expect(creations()).toHaveLength(before.creations);
  });
});
