import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Customer, Message, Shop } from "@prisma/client";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as shortLinkRoute from "~/routes/s.$code";
import * as inboundRoute from "~/routes/sms.inbound";
import { withOptOutFooter } from "~/domain/sms/opt-out";
import { countSmsSegments } from "~/domain/sms/segments";
import { decodeSmsLinkCode } from "~/domain/sms/short-links";
import { appBaseUrl } from "~/server/config.server";
import * as standinRoute from "../../demo/routes/admin-api-graphql";
import { readSmsConfig } from "~/server/channels/sms/config.server";
import { PermanentSmsError, SmsSendError, TemporarySmsError } from "~/server/channels/sms/errors";
import { sendSmsMessage } from "~/server/channels/sms/send-sms.server";
import { createTwilioProvider } from "~/server/channels/sms/twilio.server";
import { twilioSignature } from "~/server/channels/sms/twilio-signature.server";
import { canSendMarketing } from "~/server/compliance/eligibility.server";
import { resetStandin, standinCustomer } from "../../demo/standins/admin-api.server";
import { useTestDatabase } from "../support/db";
import { callRoute, serveRoutes } from "../support/http";
import { twilioDouble, TWILIO_SID, TWILIO_TOKEN, type TwilioFailure } from "../support/twilio-double";

// Twilio's REST API as it speaks on the wire: tests/support/twilio-double.ts.
const SID = TWILIO_SID;
const TOKEN = TWILIO_TOKEN;
const twilio = twilioDouble();
const received = twilio.received;

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const SHOP_NUMBER = "+48732100200";
let shop: Shop;
let standin: Awaited<ReturnType<typeof serveRoutes>>;
const savedEnv = { ...process.env };
// 12:00 in Warsaw: inside the SMS window.
const NOON = new Date("2026-06-15T10:00:00Z");

beforeAll(async () => {
  await twilio.start();
  resetStandin();
  standin = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": standinRoute });
  shop = await prisma().shop.create({
    data: {
      domain: "sms-shop.myshopify.com",
      name: "Kawa & Co.",
      locale: "pl",
      timezone: "Europe/Warsaw",
      settings: { sms: { fromNumber: SHOP_NUMBER } },
    },
  });
  await prisma().session.create({
    data: { id: "offline_sms-shop.myshopify.com", shop: shop.domain, state: "x", isOnline: false, accessToken: "shpat_test" },
  });
});
beforeEach(() => {
  Object.assign(process.env, {
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    SMS_API_BASE_URL: twilio.url,
    SHOPIFY_ADMIN_API_ORIGIN: `${standin.url}/dev/shopify`,
  });
  received.length = 0;
  twilio.failNext(null);
});
afterEach(() => {
  for (const k of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMS_API_BASE_URL", "SHOPIFY_ADMIN_API_ORIGIN", "SHOPIFY_APP_URL"]) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});
afterAll(async () => {
  await twilio.close();
  await standin.close();
});

let seq = 0;
async function smsSubscriber(data: Partial<Customer> = {}): Promise<Customer> {
  seq++;
  return prisma().customer.create({
    data: {
      shopId: shop.id,
      phone: `+48601${String(200000 + seq).padStart(6, "0")}`,
      smsConsentState: "subscribed",
      smsOptInLevel: "single_opt_in",
      smsConsentUpdatedAt: new Date("2026-01-01T00:00:00Z"),
      locale: "pl",
      ...data,
    } as never,
  });
}
function smsMessage(c: Customer, body: string, data: Partial<Message> = {}): Promise<Message> {
  return prisma().message.create({
    data: {
      shopId: shop.id,
      customerId: c.id,
      channel: "sms",
      idempotencyKey: `sms:${c.id}:${Math.random()}`,
      toAddress: c.phone!,
      templateKey: "sms_step",
      locale: "pl",
      payload: { body },
      ...data,
    } as never,
  });
}
function inbound(params: Record<string, string>, opts: { signature?: string; url?: string } = {}) {
  const url = opts.url ?? "http://localhost:3000/sms/inbound";
  const form = new URLSearchParams({
    AccountSid: SID,
    MessageSid: "SM" + "f".repeat(32),
    ToCountry: "PL",
    FromCountry: "PL",
    NumMedia: "0",
    ApiVersion: "2010-04-01",
    ...params,
  });
  return callRoute(
    inboundRoute.action,
    new Request(url, {
      method: "POST",
      body: form.toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
        "x-twilio-signature": opts.signature ?? twilioSignature(TOKEN, url, form),
      },
    }),
  );
}

describe("Twilio-compatible provider", () => {
  it("posts To/From/Body form-encoded with basic auth and reads the message sid", async () => {
    const provider = createTwilioProvider(readSmsConfig()!);
    const result = await provider.send({
      to: "+48601000001",
      from: SHOP_NUMBER,
      body: "Cześć! Nowa kawa już jest.",
      statusCallback: "https://app.example/sms/status",
    });
    expect(result).toEqual({ providerId: "SM" + "1".padStart(32, "0"), status: "queued", segments: 1 });
    const [r] = received;
    expect(r!.contentType).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(r!.form)).toEqual({
      To: "+48601000001",
      From: SHOP_NUMBER,
      Body: "Cześć! Nowa kawa już jest.",
      StatusCallback: "https://app.example/sms/status",
    });
  });

  it("uses a MessagingServiceSid instead of From when the shop has one", async () => {
    const provider = createTwilioProvider(readSmsConfig()!);
    await provider.send({ to: "+48601000001", messagingServiceSid: "MG" + "a".repeat(32), body: "x" });
    expect(received[0]!.form.get("MessagingServiceSid")).toBe("MG" + "a".repeat(32));
    expect(received[0]!.form.has("From")).toBe(false);
  });

  it("turns Twilio's error responses into permanent or temporary failures", async () => {
    const provider = createTwilioProvider(readSmsConfig()!);
    const fail = async (f: TwilioFailure | null, to = "+48601000001") => {
      twilio.failNext(f);
      return provider.send({ to, from: SHOP_NUMBER, body: "x" }).then(
        () => null,
        (e: unknown) => e as SmsSendError,
      );
    };
    const invalid = await fail(null, "12345");
    expect(invalid).toBeInstanceOf(PermanentSmsError);
    expect(invalid).toMatchObject({ permanent: true, code: "21211" });
    expect(invalid!.message).toContain("is not a valid phone number");

    const optedOut = await fail({ status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    expect(optedOut).toMatchObject({ permanent: true, code: "21610" });

    const limited = await fail({ status: 429, code: 20429, message: "Too Many Requests", retryAfter: "30" });
    expect(limited).toBeInstanceOf(TemporarySmsError);
    expect(limited).toMatchObject({ permanent: false, code: "20429", outcomeUnknown: false });
    expect(limited!.retryAt!.getTime()).toBeGreaterThan(Date.now() + 25_000);

    expect(await fail({ status: 503, code: 20503, message: "Service unavailable" })).toMatchObject({ permanent: false });

    process.env.TWILIO_AUTH_TOKEN = "wrong";
    const badAuth = await createTwilioProvider(readSmsConfig()!)
      .send({ to: "+48601000001", from: SHOP_NUMBER, body: "x" })
      .catch((e: unknown) => e as SmsSendError);
    expect(badAuth).toMatchObject({ permanent: false, code: "20003" });
  });

  it("reports an unreachable gateway as temporary and safe to retry", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const provider = createTwilioProvider({ ...readSmsConfig()!, apiBaseUrl: `http://127.0.0.1:${port}` });
    const err = await provider.send({ to: "+48601000001", from: SHOP_NUMBER, body: "x" }).catch((e: unknown) => e as SmsSendError);
    expect(err).toBeInstanceOf(TemporarySmsError);
    expect(err).toMatchObject({ code: "ECONNREFUSED", outcomeUnknown: false });
  });
});

describe("sendSmsMessage (what the outbox dispatcher calls for channel sms)", () => {
  it("sends a consented marketing SMS with the STOP line, inside the window", async () => {
    const c = await smsSubscriber();
    const m = await smsMessage(c, "Nowa kawa z Etiopii czeka na Ciebie!");
    const { providerId } = await sendSmsMessage(m, { now: NOON });
    expect(providerId).toMatch(/^SM/);
    expect(received).toHaveLength(1);
    expect(Object.fromEntries(received[0]!.form)).toEqual({
      To: c.phone,
      From: SHOP_NUMBER,
      Body: "Nowa kawa z Etiopii czeka na Ciebie!\nRezygnacja: odpisz STOP",
    });
  });

  it("sends links as short tracked links that redirect with UTM tags and count the click", async () => {
    process.env.SHOPIFY_APP_URL = "https://flowmate.example.com";
    const c = await smsSubscriber();
    const recover =
      "https://sms-shop.myshopify.com/70123456789/checkouts/ac/c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6/recover?key=0123456789abcdef0123456789abcdef&locale=pl-PL";
    const raw = `Kawa & Co.: Twoje zamówienie czeka. Dokończ tutaj: ${recover}`;
    const m = await smsMessage(c, raw, { payload: { body: raw, flowKey: "abandoned_checkout" } as never });
    await sendSmsMessage(m, { now: NOON });
    const sent = Object.fromEntries(received[0]!.form).Body!;
    const base = appBaseUrl();
    const link = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/s/([A-Za-z0-9_-]+)`).exec(sent);
    expect(link, sent).not.toBeNull();
    expect(sent).not.toContain("recover?key=");
    expect(sent).toBe(`Kawa & Co.: Twoje zamówienie czeka. Dokończ tutaj: ${link![0]}\nRezygnacja: odpisz STOP`);
    expect(decodeSmsLinkCode(link![1]!)).toMatchObject({ index: 0, messageRef: m.id });
    // The whole point: the Polish text (UCS-2) drops from 4 billed segments to 3.
    expect(countSmsSegments(withOptOutFooter(raw, "pl")).segments).toBe(4);
    expect(countSmsSegments(sent).segments).toBe(3);

    const click = await shortLinkRoute.loader({
      request: new Request(link![0], { headers: { "user-agent": "Mozilla/5.0 (iPhone)" } }),
      params: { code: link![1] },
      context: {},
    });
    expect(click.status).toBe(302);
    const to = new URL(click.headers.get("location")!);
    expect(`${to.origin}${to.pathname}`).toBe(
      "https://sms-shop.myshopify.com/70123456789/checkouts/ac/c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6/recover",
    );
    expect(Object.fromEntries(to.searchParams)).toEqual({
      key: "0123456789abcdef0123456789abcdef",
      locale: "pl-PL",
      utm_source: "flowmate",
      utm_medium: "sms",
      utm_campaign: "abandoned_checkout",
      utm_content: "sms_step",
    });
    const events = await prisma().messageEvent.findMany({ where: { messageId: m.id } });
    expect(events).toMatchObject([{ shopId: shop.id, type: "clicked", url: to.toString() }]);

    // A code we did not issue, or one naming another link of the text, redirects nowhere.
    const code = link![1]!;
    const flipped = code.slice(0, 3) + (code[3] === "A" ? "B" : "A") + code.slice(4);
    const otherIndex = "1" + code.slice(1);
    for (const bad of [flipped, otherIndex, "x", code + "x"]) {
      const res = await shortLinkRoute.loader({ request: new Request(`${base}/s/${bad}`), params: { code: bad }, context: {} });
      expect(res.status, bad).toBe(404);
    }
    expect(await prisma().messageEvent.count({ where: { messageId: m.id } })).toBe(1);
  });

  it("defers an SMS due at 21:30 Warsaw time to 08:00 the next morning", async () => {
    const c = await smsSubscriber();
    const m = await smsMessage(c, "Promocja!");
    const err = await sendSmsMessage(m, { now: new Date("2026-06-15T19:30:00Z") }).then(
      () => null,
      (e: unknown) => e as SmsSendError,
    );
    expect(err).toBeInstanceOf(TemporarySmsError);
    expect(err).toMatchObject({ code: "sms_window" });
    expect(err!.retryAt!.toISOString()).toBe("2026-06-16T06:00:00.000Z");
    // A customer in another zone is judged by their own clock: 21:30 Warsaw is 15:30 in New York.
    const ny = await smsSubscriber({ timezone: "America/New_York" });
    const sent = await sendSmsMessage(await smsMessage(ny, "Sale!"), { now: new Date("2026-06-15T19:30:00Z") });
    expect(sent.providerId).toMatch(/^SM/);
    expect(received).toHaveLength(1);
  });

  it("refuses (permanently) without SMS consent, whatever the purpose, and never calls Twilio", async () => {
    for (const state of ["not_subscribed", "unsubscribed", "pending"]) {
      const c = await smsSubscriber({ smsConsentState: state });
      for (const purpose of ["marketing", "transactional"]) {
        const err = await sendSmsMessage(await smsMessage(c, "x", { purpose }), { now: NOON }).catch((e: unknown) => e as SmsSendError);
        expect(err).toBeInstanceOf(PermanentSmsError);
        expect(err).toMatchObject({ code: "no_consent" });
      }
    }
    const paused = await smsSubscriber({ marketingPausedUntil: new Date("2026-07-01T00:00:00Z") });
    expect(await sendSmsMessage(await smsMessage(paused, "x"), { now: NOON }).catch((e: SmsSendError) => e.code)).toBe("paused");
    const moved = await smsSubscriber();
    expect(
      await sendSmsMessage(await smsMessage(moved, "x", { toAddress: "+48601999999" }), { now: NOON }).catch((e: SmsSendError) => e.code),
    ).toBe("address_changed");
    expect(received).toHaveLength(0);
  });

  it("fails permanently when SMS is not set up, for the app or for the shop", async () => {
    const c = await smsSubscriber();
    delete process.env.TWILIO_AUTH_TOKEN;
    expect(await sendSmsMessage(await smsMessage(c, "x"), { now: NOON }).catch((e: SmsSendError) => [e.permanent, e.code])).toEqual([
      true,
      "not_configured",
    ]);
    process.env.TWILIO_AUTH_TOKEN = TOKEN;
    const bare = await prisma().shop.create({ data: { domain: "no-sms.myshopify.com", name: "No SMS" } });
    const other = await prisma().customer.create({ data: { shopId: bare.id, phone: "+48601000077", smsConsentState: "subscribed" } });
    const m = await prisma().message.create({
      data: {
        shopId: bare.id,
        customerId: other.id,
        channel: "sms",
        idempotencyKey: "k",
        toAddress: other.phone!,
        templateKey: "t",
        payload: { body: "x" },
      },
    });
    expect(await sendSmsMessage(m, { now: NOON }).catch((e: SmsSendError) => e.code)).toBe("no_sender");
  });

  it("records the carrier's opt-out (Twilio 21610) in the profile", async () => {
    const c = await smsSubscriber();
    twilio.failNext({ status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    await expect(sendSmsMessage(await smsMessage(c, "x"), { now: NOON })).rejects.toMatchObject({ permanent: true, code: "21610" });
    expect(await prisma().customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      smsConsentState: "unsubscribed",
      smsConsentSource: "sms_provider_opt_out",
    });
  });
});

describe("inbound keywords at /sms/inbound", () => {
  it("STOP mid-journey: consent withdrawn, TwiML reply, and not one later SMS", async () => {
    const c = await smsSubscriber({ shopifyCustomerId: 7000000001n });
    const first = await smsMessage(c, "Krok 1 z 3");
    await sendSmsMessage(first, { now: NOON });
    const later = await smsMessage(c, "Krok 2 z 3"); // already queued by the journey

    const res = await inbound({ From: c.phone!, To: SHOP_NUMBER, Body: "Stop" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(await res.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Kawa &amp; Co.: wypisano Cie z SMS-ow marketingowych. Aby zapisac sie ponownie, odpisz START.</Message></Response>',
    );
    const after = await prisma().customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(after).toMatchObject({ smsConsentState: "unsubscribed", smsConsentSource: "sms_keyword" });
    const [record] = await prisma().consentRecord.findMany({ where: { customerId: c.id } });
    expect(record).toMatchObject({ channel: "sms", state: "unsubscribed", source: "sms_keyword" });
    expect(record!.evidence).toMatchObject({ keyword: "STOP", messageSid: "SM" + "f".repeat(32) });

    expect(await canSendMarketing(c, "sms", NOON)).toBe(false);
    await expect(sendSmsMessage(later, { now: NOON })).rejects.toMatchObject({ permanent: true, code: "no_consent" });
    expect(received).toHaveLength(1); // only the message sent before STOP
    // ...and Shopify hears about it.
    expect(standinCustomer("gid://shopify/Customer/7000000001")?.smsMarketingConsent?.marketingState).toBe("UNSUBSCRIBED");
  });

  it("understands Polish opt-outs and answers in the customer's language", async () => {
    const pl = await smsSubscriber();
    expect(await (await inbound({ From: pl.phone!, To: SHOP_NUMBER, Body: "nie" })).text()).toContain("wypisano Cie");
    const en = await smsSubscriber({ locale: "en" });
    expect(await (await inbound({ From: en.phone!, To: SHOP_NUMBER, Body: "STOP SMS" })).text()).toContain("you are unsubscribed");
    for (const c of [pl, en])
      expect((await prisma().customer.findUniqueOrThrow({ where: { id: c.id } })).smsConsentState).toBe("unsubscribed");
  });

  it("START resubscribes (single opt-in); HELP answers and changes nothing; other texts get no reply", async () => {
    const c = await smsSubscriber({ smsConsentState: "unsubscribed" });
    expect(await (await inbound({ From: c.phone!, To: SHOP_NUMBER, Body: "START" })).text()).toContain("zapisano Cie ponownie");
    expect(await prisma().customer.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      smsConsentState: "subscribed",
      smsOptInLevel: "single_opt_in",
    });
    const help = await (await inbound({ From: c.phone!, To: SHOP_NUMBER, Body: "help" })).text();
    expect(help).toMatch(/<Message>Kawa &amp; Co\.: SMS-y marketingowe\. Rezygnacja: odpisz STOP/);
    expect(await (await inbound({ From: c.phone!, To: SHOP_NUMBER, Body: "Nie wiem, kiedy dostawa?" })).text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    );
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: c.id } })).smsConsentState).toBe("subscribed");
  });

  it("keeps the opt-out of a number it has never seen, so nothing can text it later", async () => {
    await inbound({ From: "+48601555444", To: SHOP_NUMBER, Body: "STOP" });
    expect(await prisma().customer.findFirst({ where: { shopId: shop.id, phone: "+48601555444" } })).toMatchObject({
      smsConsentState: "unsubscribed",
    });
  });

  it("rejects a bad or missing signature, or another account, with 403 and changes nothing", async () => {
    const c = await smsSubscriber();
    expect((await inbound({ From: c.phone!, To: SHOP_NUMBER, Body: "STOP" }, { signature: "AAAA" })).status).toBe(403);
    // Signed for another URL (a replay against another endpoint).
    const form = new URLSearchParams({ From: c.phone!, To: SHOP_NUMBER, Body: "STOP" });
    expect(
      (
        await inbound(
          { From: c.phone!, To: SHOP_NUMBER, Body: "STOP" },
          { signature: twilioSignature(TOKEN, "http://localhost:3000/other", form) },
        )
      ).status,
    ).toBe(403);
    expect((await inbound({ From: c.phone!, To: SHOP_NUMBER, Body: "STOP", AccountSid: "AC" + "9".repeat(32) })).status).toBe(403);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: c.id } })).smsConsentState).toBe("subscribed");
  });

  it("accepts the URL as Twilio saw it behind a proxy (public app URL, default port)", async () => {
    const c = await smsSubscriber();
    // Twilio signed the public URL (with an explicit default port); the app sees an internal one.
    process.env.SHOPIFY_APP_URL = "https://app.example.com";
    try {
      const form = new URLSearchParams({ AccountSid: SID, From: c.phone!, To: SHOP_NUMBER, Body: "STOP" });
      const signature = twilioSignature(TOKEN, "https://app.example.com:443/sms/inbound", form);
      const res = await callRoute(
        inboundRoute.action,
        new Request("http://10.0.0.5:3000/sms/inbound", {
          method: "POST",
          body: form.toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        }),
      );
      expect(res.status).toBe(200);
    } finally {
      delete process.env.SHOPIFY_APP_URL;
    }
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: c.id } })).smsConsentState).toBe("unsubscribed");
  });

  it("computes X-Twilio-Signature exactly as Twilio documents it", () => {
    // The worked example in Twilio's request-validation documentation (auth token 12345).
    const params = new URLSearchParams({
      CallSid: "CA1234567890ABCDE",
      Caller: "+14158675310",
      Digits: "1234",
      From: "+14158675310",
      To: "+18005551212",
    });
    expect(twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe("GvWf1cFY/Q7PnoempGyD5oXAezc=");
  });
});
