// The message editor (issue 16, item 3): a send step's own content goes through the
// real pipeline (blocks -> MJML -> liquidjs, tracked and checked links, the footer),
// a content that does not render is refused when saved and when sent, and every
// lookup is by the shop.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import type { Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowDefinition, SendStep } from "~/domain/journey";
import { validateFlowDefinition } from "~/domain/journey";
import { variablesFor, type MessageContent } from "~/domain/messages/message-content";
import {
  DraftRefused,
  loadMessageStep,
  previewDraft,
  saveMessageContent,
  sendDraftTest,
  startingContent,
} from "~/server/admin/message-editor.server";
import { TestSendRefused } from "~/server/admin/message-preview.server";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { installCatalogue } from "~/server/journeys/flows.server";
import { useTestDatabase } from "../support/db";
import { twilioDouble, TWILIO_SID, TWILIO_TOKEN } from "../support/twilio-double";
import { createCustomer, createShop, enqueueEmail } from "./email/support/fixtures";
import { startSmtpTestServer, type SmtpTestServer } from "./email/support/smtp-test-server";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let smtp: SmtpTestServer;
let shop: Shop;
let other: Shop;

const GOOD: MessageContent = {
  en: {
    subject: "Still thinking it over, {{ customer.firstName }}?",
    preheader: "Your cart at {{ shop.name }} is waiting",
    blocks: [
      { type: "text", style: "heading", text: "Your cart <misses> you" },
      { type: "text", style: "paragraph", text: "Hi {{ customer.firstName }},\nwe kept everything for you." },
      { type: "image", src: "https://cdn.example.com/banner.png", alt: "Fresh coffee" },
      { type: "products", title: "In your basket" },
      { type: "button", label: "Back to my cart", target: "recovery" },
      { type: "button", label: "See the V60", target: "product", productHandle: "hario-v60" },
      { type: "footer" },
    ],
  },
  pl: {
    subject: "Wciąż się zastanawiasz, {{ customer.firstName }}?",
    preheader: "",
    blocks: [
      { type: "text", style: "paragraph", text: "Cześć {{ customer.firstName }}, Twój koszyk czeka." },
      { type: "button", label: "Wróć do koszyka", target: "recovery" },
      { type: "footer" },
    ],
  },
};
const BROKEN: MessageContent = {
  en: {
    subject: "Hi {{ customer.first_name | nosuchfilter }}",
    preheader: "",
    blocks: [{ type: "text", style: "paragraph", text: "{% if customer.firstName %}Hi" }, { type: "footer" }],
  },
};

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  shop = await createShop(prisma());
  other = await createShop(prisma());
  await installCatalogue(shop.id);
  await installCatalogue(other.id);
});
afterAll(async () => smtp?.close());

const flowOf = (s: Shop) => prisma().flow.findFirstOrThrow({ where: { shopId: s.id, key: "abandoned_checkout" } });
async function firstEmailStep(s: Shop) {
  const flow = await flowOf(s);
  const version = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: flow.id }, orderBy: { version: "desc" } });
  const step = (version.definition as unknown as FlowDefinition).steps.find(
    (x): x is SendStep => x.type === "send" && x.channel === "email",
  )!;
  return { flow, step };
}

describe("a send step's own content", () => {
  it("is validated with the flow: channel shape, footer of a marketing email, discount block, https images", async () => {
    const { flow } = await firstEmailStep(shop);
    const version = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: flow.id }, orderBy: { version: "desc" } });
    const def = version.definition as unknown as FlowDefinition;
    const withContent = (content: unknown) => ({
      ...def,
      steps: def.steps.map((s) => (s.type === "send" && s.channel === "email" ? { ...s, content, discountStepId: undefined } : s)),
    });
    expect(validateFlowDefinition(withContent(GOOD)).ok).toBe(true);
    const bad = validateFlowDefinition(
      withContent({
        en: {
          subject: "x",
          blocks: [
            { type: "image", src: "http://evil.example/x.png", alt: "x" },
            { type: "button", label: "Go", target: "https://evil.example" },
            { type: "discount" },
          ],
        },
      }),
    );
    expect(bad.ok).toBe(false);
    const messages = bad.ok ? [] : bad.errors.map((e) => `${e.path}: ${e.message}`).join("\n");
    expect(messages).toContain("an image is an https:// address");
    expect(messages).toMatch(/content\.en\.blocks\[1\]\.target: a button leads to the cart or checkout/);
    const shapeOk = validateFlowDefinition(withContent({ en: { subject: "x", blocks: [{ type: "discount" }] } }));
    expect(shapeOk.ok ? "" : shapeOk.errors.map((e) => e.message).join("\n")).toContain("a marketing email keeps its footer");
    expect(shapeOk.ok ? "" : shapeOk.errors.map((e) => e.message).join("\n")).toContain(
      "a discount block needs the step to carry a discount code",
    );
  });

  it("renders blocks through the real pipeline: escaped text, tracked links checked against the shop, the footer", async () => {
    const customer = await createCustomer(prisma(), shop.id, { firstName: "Ola<script>" });
    const message = await enqueueEmail(prisma(), shop.id, customer, {
      payload: {
        content: GOOD,
        items: [{ title: "Hario V60 dripper", quantity: 1, price: "89.00", url: "https://kawa.example.com/products/hario-v60" }],
        recoveryUrl: "https://evil.example.com/phish",
      },
    });
    const before = smtp.received.length;
    const r = await dispatchDueMessages("w-render", 10);
    expect(r.sent).toBe(1);
    const received = smtp.received.slice(before)[0]!;
    const mail = received.parsed;
    expect(mail.subject).toBe("Still thinking it over, Ola<script>?");
    const html = String(mail.html);
    expect(html).toContain("Your cart &lt;misses&gt; you");
    expect(html).toContain("Hi Ola&lt;script&gt;,<br />we kept everything for you.");
    expect(html).not.toContain("<script>");
    expect(html).toContain('src="https://cdn.example.com/banner.png"');
    expect(html).toContain("In your basket");
    expect(html).toContain("Hario V60 dripper");
    // Footer: unsubscribe link, preferences, postal address.
    expect(html).toContain("Unsubscribe");
    expect(html).toContain("ul. Prosta 12");
    expect(received.raw.toString()).toMatch(/^List-Unsubscribe:\s+<https:\/\/app\.flowmate\.test\/u\//m);
    // Links are tracked (signed) redirects; the recovery URL off the shop's domain was dropped for its home page.
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    const buttons = hrefs.filter((h) => h.includes("/t/c/"));
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    expect(html).not.toContain("evil.example.com");
    const row = await prisma().message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row.status).toBe("sent");
    expect(row.subject).toBe("Still thinking it over, Ola<script>?");
    // The plain-text part has the blocks too.
    expect(String(mail.text)).toContain("we kept everything for you.");
  });

  it("is refused at send time when it does not render: failed as template_error, logged, never sent", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const message = await enqueueEmail(prisma(), shop.id, customer, { payload: { content: BROKEN } });
    const before = smtp.received.length;
    const r = await dispatchDueMessages("w-broken", 10);
    expect(r.failed).toBe(1);
    expect(smtp.received.length).toBe(before);
    const row = await prisma().message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/^template_error: .*unknown filter "nosuchfilter"/);
    const decisions = await prisma().decision.findMany({ where: { messageId: message.id } });
    expect(decisions.map((d) => d.reason)).toContain("template_error");
  });

  it("an SMS whose own text did not render when enqueued is failed as template_error, never handed to the provider", async () => {
    const customer = await createCustomer(prisma(), shop.id, { phone: "+48601000222", smsConsentState: "subscribed" });
    const message = await prisma().message.create({
      data: {
        shopId: shop.id,
        customerId: customer.id,
        channel: "sms",
        purpose: "marketing",
        idempotencyKey: `sms-broken-${customer.id}`,
        toAddress: customer.phone!,
        templateKey: "abandoned_checkout_sms_1",
        payload: { bodyError: 'template_error: text: unknown filter "nosuchfilter" (line 1, column 4)' },
        nextAttemptAt: new Date(Date.now() - 1000),
      },
    });
    const r = await dispatchDueMessages("w-sms-broken", 10);
    expect(r.failed).toBeGreaterThanOrEqual(1);
    const row = await prisma().message.findUniqueOrThrow({ where: { id: message.id } });
    expect(row.status).toBe("failed");
    expect(row.sentAt).toBeNull();
    expect(row.providerId).toBeNull();
    const decisions = await prisma().decision.findMany({ where: { messageId: message.id } });
    expect(decisions.map((d) => d.reason)).toEqual(["template_error"]);
  });

  it("an unknown variable is refused too, and the catalogue template still sends without content", async () => {
    const customer = await createCustomer(prisma(), shop.id);
    const unknown = await enqueueEmail(prisma(), shop.id, customer, {
      payload: { content: { en: { subject: "Hi {{ customer.first_name }}", preheader: "", blocks: [{ type: "footer" }] } } },
    });
    const plain = await enqueueEmail(prisma(), shop.id, customer);
    await dispatchDueMessages("w-unknown", 10);
    const u = await prisma().message.findUniqueOrThrow({ where: { id: unknown.id } });
    expect(u.status).toBe("failed");
    expect(u.error).toContain("unknown variable {{ customer.first_name }}");
    expect((await prisma().message.findUniqueOrThrow({ where: { id: plain.id } })).status).toBe("sent");
  });
});

describe("the editor's server side", () => {
  it("finds a step only in the shop's own flows", async () => {
    const { flow, step } = await firstEmailStep(other);
    expect(await loadMessageStep(shop.id, flow.id, step.id)).toBeNull();
    expect(await loadMessageStep(other.id, flow.id, step.id)).not.toBeNull();
    expect(await loadMessageStep(other.id, flow.id, "no-such-step")).toBeNull();
  });

  it("starts from the catalogue's words, previews EN and PL, and reports errors per field", async () => {
    const { flow, step } = await firstEmailStep(shop);
    const loaded = (await loadMessageStep(shop.id, flow.id, step.id))!;
    const start = startingContent(loaded.step);
    expect(start.en?.blocks?.at(-1)).toEqual({ type: "footer" });
    const en = await previewDraft(shop, loaded.step, { content: start, locale: "en" });
    const pl = await previewDraft(shop, loaded.step, { content: start, locale: "pl" });
    expect(en.errors).toEqual([]);
    expect(en.channel === "email" && en.html).toContain("Unsubscribe");
    expect(pl.channel === "email" && pl.html).toContain("Wypisz się");
    const edited = { ...start, en: { ...start.en!, subject: "A brand new subject" } };
    const p = await previewDraft(shop, loaded.step, { content: edited, locale: "en" });
    expect(p.channel === "email" && p.subject).toBe("A brand new subject");
    const broken = await previewDraft(shop, loaded.step, { content: BROKEN, locale: "en" });
    expect(broken.errors).toEqual(
      expect.arrayContaining([
        { path: "en.subject", message: 'unknown filter "nosuchfilter" (line 1, column 4)' },
        { path: "en.blocks[0].text", message: "{% if customer.firstName %} is not closed (line 1, column 1)" },
      ]),
    );
  });

  it("saves a new flow version with the content and an audit row, and refuses a broken one", async () => {
    const { flow, step } = await firstEmailStep(shop);
    const loaded = (await loadMessageStep(shop.id, flow.id, step.id))!;
    const versionsBefore = await prisma().flowVersion.count({ where: { flowId: flow.id } });
    await expect(
      saveMessageContent(shop, loaded, { content: BROKEN, baseVersion: loaded.version, note: null }, "merchant"),
    ).rejects.toBeInstanceOf(DraftRefused);
    expect(await prisma().flowVersion.count({ where: { flowId: flow.id } })).toBe(versionsBefore);
    const version = await saveMessageContent(shop, loaded, { content: GOOD, baseVersion: loaded.version, note: "New words" }, "merchant");
    const row = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: flow.id, version } });
    expect(row.changeNote).toBe("New words");
    const saved = (row.definition as unknown as FlowDefinition).steps.find((s) => s.id === step.id) as SendStep;
    expect(saved.content?.en?.subject).toBe(GOOD.en!.subject);
    const audit = await prisma().auditLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "flow.version_created" },
      orderBy: { id: "desc" },
    });
    expect(audit.details).toMatchObject({ contentEdit: { stepId: step.id, before: null, after: { en: { subject: GOOD.en!.subject } } } });
    // A stale editor (opened on the old version) cannot overwrite the new one.
    const fresh = (await loadMessageStep(shop.id, flow.id, step.id))!;
    expect(fresh.version).toBe(version);
    await expect(saveMessageContent(shop, fresh, { content: GOOD, baseVersion: loaded.version, note: null }, "merchant")).rejects.toThrow(
      /changed since this page was opened \(it is at version \d+ now\): nothing was saved/,
    );
    const inPolish = await saveMessageContent(
      shop,
      fresh,
      { content: GOOD, baseVersion: loaded.version, note: null },
      "merchant",
      "pl",
    ).then(
      () => null,
      (err: unknown) => err,
    );
    expect(inPolish).toBeInstanceOf(DraftRefused);
    expect((inPolish as DraftRefused).conflict).toBe(true);
    expect((inPolish as DraftRefused).message).toMatch(/Przepływ zmienił się od otwarcia tej strony/);
  });

  it("counts an SMS's segments and estimates its cost on the body as sent; an unknown variable is reported", async () => {
    const sms: SendStep = {
      id: "send_sms",
      type: "send",
      channel: "sms",
      purpose: "marketing",
      templateKey: "abandoned_checkout_sms_1",
      onCap: "defer",
      onConflict: "defer",
      onNoConsent: "skip",
    };
    await createCustomer(prisma(), shop.id, { phone: "+48601000111", smsConsentState: "subscribed", countryCode: "PL" });
    const gsm = await previewDraft(shop, sms, {
      content: { en: { text: "{{ shop.name }}: your cart is waiting {{ links.recoveryUrl }}" } },
      locale: "en",
    });
    if (gsm.channel !== "sms") throw new Error("not an SMS preview");
    expect(gsm.errors).toEqual([]);
    expect(gsm.body).toMatch(/^Kawa & Co\.: your cart is waiting https:\/\/app\.flowmate\.test\/s\/x{32}/);
    expect(gsm.body).toContain("STOP"); // the opt-out line of a marketing text
    expect(gsm.encoding).toBe("GSM-7");
    expect(gsm.segments).toBe(1);
    // Every SMS-subscribed customer with a number here is Polish (+48): one PL segment each.
    const subscribers = await prisma().customer.count({ where: { shopId: shop.id, smsConsentState: "subscribed", phone: { not: null } } });
    expect(subscribers).toBeGreaterThan(0);
    expect(gsm.cost.recipients).toBe(subscribers);
    expect(gsm.cost.total).toBeCloseTo(0.0418 * subscribers, 4);
    const pl = await previewDraft(shop, sms, { content: { pl: { text: "Zażółć gęślą jaźń ".repeat(4) } }, locale: "pl" });
    if (pl.channel !== "sms") throw new Error("not an SMS preview");
    expect(pl.encoding).toBe("UCS-2");
    expect(pl.nonGsmCharacters).toEqual(expect.arrayContaining(["ż", "ł", "ć", "ę", "ś", "ą", "ź", "ń"]));
    expect(pl.segments).toBe(2);
    const bad = await previewDraft(shop, sms, { content: { en: { text: "Hi {{ customer.first_name }}" } }, locale: "en" });
    expect(bad.errors).toEqual([
      { path: "en.text", message: "unknown variable {{ customer.first_name }}: pick one from the variables list" },
    ]);
    // Without a discount on the step the code is neither offered nor accepted: nothing would fill it.
    const codeText = { en: { text: "{{ shop.name }}: your code {{ discount.code }}, {{ discount.valueLabel }} off" } };
    const plain = await previewDraft(shop, sms, { content: codeText, locale: "en" });
    expect(plain.errors).toEqual([
      { path: "en.text", message: "unknown variable {{ discount.code }}: pick one from the variables list" },
      { path: "en.text", message: "unknown variable {{ discount.valueLabel }}: pick one from the variables list" },
    ]);
    expect(variablesFor("sms", false).map((v) => v.path)).not.toContain("discount.code");
    expect(variablesFor("email", true).map((v) => v.path)).toContain("discount.code");
  });

  it("offers and accepts the discount variables in an SMS whose step carries a code; the preview shows a sample code and counts it", async () => {
    const flow = await flowOf(shop);
    const loaded = (await loadMessageStep(shop.id, flow.id, "send_3_offer"))!;
    // The abandoned checkout's offer, made an SMS (as the flow page's switch does): its discount step is discount_3 (COMEBACK, 10 %, 48 h).
    const coded: SendStep = {
      ...loaded.step,
      channel: "sms",
      templateKey: "abandoned_checkout_sms_1",
      subject: undefined,
      content: undefined,
    };
    expect(coded.discountStepId).toBe("discount_3");
    expect(variablesFor("sms", true).map((v) => v.path)).toEqual(
      expect.arrayContaining(["discount.code", "discount.valueLabel", "discount.expiresLabel"]),
    );
    const text = "{{ shop.name }}: {{ discount.valueLabel }} off with {{ discount.code }} until {{ discount.expiresLabel }}";
    const withCode = await previewDraft(shop, coded, { content: { en: { text } }, locale: "en" }, loaded.definition);
    if (withCode.channel !== "sms") throw new Error("not an SMS preview");
    expect(withCode.errors).toEqual([]);
    // A code as long as a created one: the prefix, a dash, 8 characters.
    expect(withCode.body).toMatch(/^Kawa & Co\.: 10% off with COMEBACK-[2-9A-HJKMNP-Z]{8} until \w+ \d{1,2}, \d{4}/);
    const without = await previewDraft(shop, coded, { content: { en: { text: "{{ shop.name }}: 10% off with  until" } }, locale: "en" });
    if (without.channel !== "sms") throw new Error("not an SMS preview");
    expect(withCode.units - without.units).toBeGreaterThanOrEqual("COMEBACK-XXXXXXXX".length);
    // In Polish too (the text of the step's Polish content).
    const pl = await previewDraft(
      shop,
      coded,
      {
        content: { pl: { text: "Kod {{ discount.code }}: {{ discount.valueLabel }} taniej" } },
        locale: "pl",
      },
      loaded.definition,
    );
    if (pl.channel !== "sms") throw new Error("not an SMS preview");
    expect(pl.body).toMatch(/^Kod COMEBACK-\w{8}: 10% taniej/);
  });

  it("test-sends the draft only to the shop's internal addresses, audited", async () => {
    const { flow, step } = await firstEmailStep(shop);
    const loaded = (await loadMessageStep(shop.id, flow.id, step.id))!;
    await expect(
      sendDraftTest(shop, loaded.step, { content: GOOD, locale: "en", to: "someone@example.com" }, "merchant"),
    ).rejects.toBeInstanceOf(TestSendRefused);
    await expect(
      sendDraftTest(shop, loaded.step, { content: BROKEN, locale: "en", to: "hello@kawa.example.com" }, "merchant"),
    ).rejects.toBeInstanceOf(DraftRefused);
    const before = smtp.received.length;
    await sendDraftTest(shop, loaded.step, { content: GOOD, locale: "pl", to: "hello@kawa.example.com" }, "merchant");
    const sent = smtp.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.parsed.subject).toBe("[TEST] Wciąż się zastanawiasz, Anna?");
    expect(sent[0]!.envelopeTo).toEqual(["hello@kawa.example.com"]);
    const audit = await prisma().auditLog.findFirstOrThrow({
      where: { shopId: shop.id, action: "message.test_sent" },
      orderBy: { id: "desc" },
    });
    expect(audit.details).toMatchObject({ stepId: step.id, channel: "email", locale: "pl", to: "internal" });
  });

  it("test-texts the draft through the SMS provider only to the shop's internal numbers: Twilio receives the text as sent, audited", async () => {
    const twilio = twilioDouble();
    await twilio.start();
    const saved = { ...process.env };
    Object.assign(process.env, twilio.env());
    try {
      const SHOP_NUMBER = "+48732100200";
      const INTERNAL = "+48601000999";
      const texting = await prisma().shop.update({
        where: { id: shop.id },
        data: { settings: { ...(shop.settings as object), testPhones: [INTERNAL], sms: { fromNumber: SHOP_NUMBER } } },
      });
      const sms: SendStep = {
        id: "send_sms",
        type: "send",
        channel: "sms",
        purpose: "marketing",
        templateKey: "abandoned_checkout_sms_1",
        onCap: "defer",
        onConflict: "defer",
        onNoConsent: "skip",
      };
      const content = { pl: { text: "{{ shop.name }}: koszyk czeka {{ links.recoveryUrl }}" } };
      // A customer's number, the shop's own sender, a number in another format: refused before any request.
      for (const to of ["+48601000111", SHOP_NUMBER, "48601000999"])
        await expect(sendDraftTest(texting, sms, { content, locale: "pl", to }, "merchant")).rejects.toBeInstanceOf(TestSendRefused);
      await expect(
        sendDraftTest(texting, sms, { content: { pl: { text: "Hej {{ customer.first_name }}" } }, locale: "pl", to: INTERNAL }, "merchant"),
      ).rejects.toBeInstanceOf(DraftRefused);
      expect(twilio.received).toHaveLength(0);

      await sendDraftTest(texting, sms, { content, locale: "pl", to: ` ${INTERNAL} ` }, "merchant");
      expect(twilio.received).toHaveLength(1);
      const req = twilio.received[0]!;
      expect(req.path).toBe(`/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`);
      expect(req.authorization).toBe(`Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString("base64")}`);
      expect(req.contentType).toMatch(/^application\/x-www-form-urlencoded/);
      expect(Object.fromEntries(req.form)).toMatchObject({ To: INTERNAL, From: SHOP_NUMBER });
      const preview = await previewDraft(texting, sms, { content, locale: "pl" });
      if (preview.channel !== "sms") throw new Error("not an SMS preview");
      // The body the preview showed (opt-out line included), marked as a test.
      expect(req.form.get("Body")).toBe(`[TEST] ${preview.body}`);
      expect(req.form.get("Body")).toMatch(/^\[TEST\] Kawa & Co\.: koszyk czeka https:\/\/\S+\/s\/\w+/);
      expect(req.form.get("Body")).toContain("STOP");
      const audit = await prisma().auditLog.findFirstOrThrow({
        where: { shopId: shop.id, action: "message.test_sent" },
        orderBy: { id: "desc" },
      });
      expect(audit.details).toMatchObject({ stepId: "send_sms", channel: "sms", locale: "pl", to: "internal" });

      // SMS not set up (no provider credentials): refused, nothing sent.
      delete process.env.TWILIO_ACCOUNT_SID;
      await expect(sendDraftTest(texting, sms, { content, locale: "pl", to: INTERNAL }, "merchant")).rejects.toThrow(/not set up/);
      expect(twilio.received).toHaveLength(1);
    } finally {
      for (const k of Object.keys(twilio.env())) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await twilio.close();
    }
  });
});
