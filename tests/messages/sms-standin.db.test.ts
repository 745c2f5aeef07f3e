import { outsideDemo } from "../support/demo-mode";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as adminStandinRoute from "../../demo/routes/admin-api-graphql";
import * as smsOutboxRoute from "../../demo/routes/sms";
import * as twilioRoute from "../../demo/routes/twilio-messages";
import * as inboundRoute from "~/routes/sms.inbound";
import { dispatchDueMessages } from "~/server/channels/dispatch.server";
import { closeMailTransport } from "~/server/channels/email/transport.server";
import { readSmsConfig } from "~/server/channels/sms/config.server";
import { PermanentSmsError, TemporarySmsError, type SmsSendError } from "~/server/channels/sms/errors";
import { shopBySmsNumber } from "~/server/channels/sms/shop-settings.server";
import { createTwilioProvider } from "~/server/channels/sms/twilio.server";
import { setClock } from "~/server/clock.server";
import { resetStandin } from "../../demo/standins/admin-api.server";
import { DEMO_SMS_FROM_NUMBER, DEMO_TWILIO_ACCOUNT_SID, DEMO_TWILIO_AUTH_TOKEN, pointSmsAtDemoStandin } from "../../demo/sms-account";
import { DEMO_SHOP, demoCustomers } from "../../demo/seed/demo-shop";
import { seedDemoShop } from "../../demo/seed/seed-demo-shop.server";
import { startSmtpSink, sunkMails } from "../../demo/standins/smtp-sink.server";
import { resetSmsStandin, standinSmsMessages } from "../../demo/standins/twilio.server";
import { routeEvents } from "~/server/journeys/router.server";
import { runDueEnrollments } from "~/server/journeys/runner.server";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { useTestDatabase } from "../support/db";
import { serveRoutes } from "../support/http";
import { deliver, drainWebhooks } from "../support/webhooks";
import { shortenSmsLinks } from "~/server/channels/sms/short-links.server";
import * as shortLinkRoute from "~/routes/s.$code";

// The demo's Twilio stand-in (/dev/twilio/2010-04-01/Accounts/{sid}/Messages.json),
// served over real HTTP and spoken to by the app's real Twilio provider, as in
// `npm run demo`; and the demo's SMS outbox page, which shows what it received.
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const SMS_ENV = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMS_API_BASE_URL", "SHOPIFY_ADMIN_API_ORIGIN", "SMTP_SINK_PORT"] as const;
const savedEnv = Object.fromEntries(SMS_ENV.map((k) => [k, process.env[k]]));
let app: Awaited<ReturnType<typeof serveRoutes>>;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let messagesUrl: string;
const AUTH = `Basic ${Buffer.from(`${DEMO_TWILIO_ACCOUNT_SID}:${DEMO_TWILIO_AUTH_TOKEN}`).toString("base64")}`;

beforeAll(async () => {
  for (const k of SMS_ENV) delete process.env[k];
  resetStandin();
  app = await serveRoutes({
    "/dev/twilio/2010-04-01/Accounts/:AccountSid/Messages.json": twilioRoute,
    "/dev/sms": smsOutboxRoute,
    "/sms/inbound": inboundRoute,
    "/dev/shopify/:shop/admin/api/:version/graphql.json": adminStandinRoute,
  });
  // What server.ts does in demo mode.
  expect(pointSmsAtDemoStandin(process.env, new URL(app.url).port)).toBe(true);
  process.env.SHOPIFY_ADMIN_API_ORIGIN = `${app.url}/dev/shopify`;
  sink = await startSmtpSink(0);
  process.env.SMTP_SINK_PORT = String(sink.port);
  messagesUrl = `${app.url}/dev/twilio/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages.json`;
});
beforeEach(() => resetSmsStandin());
afterAll(async () => {
  closeMailTransport();
  await app?.close();
  await sink?.close();
  for (const k of SMS_ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});

function post(form: Record<string, string>, opts: { auth?: string; url?: string } = {}) {
  return fetch(opts.url ?? messagesUrl, {
    method: "POST",
    headers: { authorization: opts.auth ?? AUTH, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

async function outbox(query = "") {
  return smsOutboxRoute.loader({ request: new Request(`${app.url}/dev/sms${query}`), params: {}, context: {} });
}

describe("demo mode SMS settings", () => {
  it("points the provider at the stand-in, and leaves real credentials alone", () => {
    expect(readSmsConfig()).toEqual({
      provider: "twilio",
      accountSid: DEMO_TWILIO_ACCOUNT_SID,
      authToken: DEMO_TWILIO_AUTH_TOKEN,
      apiBaseUrl: `${app.url}/dev/twilio`,
    });
    expect(DEMO_TWILIO_ACCOUNT_SID).toMatch(/^AC[0-9a-f]{32}$/);
    const real: Record<string, string> = { TWILIO_ACCOUNT_SID: "AC" + "1".repeat(32), TWILIO_AUTH_TOKEN: "real" };
    expect(pointSmsAtDemoStandin(real, 3000)).toBe(false);
    expect(real).toEqual({ TWILIO_ACCOUNT_SID: "AC" + "1".repeat(32), TWILIO_AUTH_TOKEN: "real" });
  });

  it("gives the demo shop a Polish sender number, also to a shop seeded before it existed", async () => {
    const { shopId } = await seedDemoShop();
    expect(DEMO_SMS_FROM_NUMBER).toMatch(/^\+48[4-8]\d{8}$/);
    expect((await shopBySmsNumber(DEMO_SMS_FROM_NUMBER))?.id).toBe(shopId);
    await prisma().shop.update({ where: { id: shopId }, data: { settings: { other: 1 } } });
    expect(await seedDemoShop()).toEqual({ seeded: false, shopId });
    expect((await prisma().shop.findUniqueOrThrow({ where: { id: shopId } })).settings).toEqual({
      other: 1,
      sms: { fromNumber: DEMO_SMS_FROM_NUMBER },
    });
  });
});

describe("the Twilio stand-in, on the wire", () => {
  it("answers a form-encoded, basic-auth POST with 201 and Twilio's message resource", async () => {
    const res = await post({
      To: "+48601000001",
      From: DEMO_SMS_FROM_NUMBER,
      Body: "Kawa czeka! Wróć do koszyka.",
      StatusCallback: "https://app.example/sms/status",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const m = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(m).sort()).toEqual(
      [
        "account_sid",
        "api_version",
        "body",
        "date_created",
        "date_sent",
        "date_updated",
        "direction",
        "error_code",
        "error_message",
        "from",
        "messaging_service_sid",
        "num_media",
        "num_segments",
        "price",
        "price_unit",
        "sid",
        "status",
        "subresource_uris",
        "to",
        "uri",
      ].sort(),
    );
    expect(m.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(m.sid as string).toHaveLength(34);
    expect(m).toMatchObject({
      account_sid: DEMO_TWILIO_ACCOUNT_SID,
      api_version: "2010-04-01",
      body: "Kawa czeka! Wróć do koszyka.",
      date_sent: null,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: DEMO_SMS_FROM_NUMBER,
      messaging_service_sid: null,
      num_media: "0",
      num_segments: "1",
      price: null,
      price_unit: "USD",
      status: "queued",
      to: "+48601000001",
      uri: `/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages/${m.sid as string}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages/${m.sid as string}/Media.json` },
    });
    expect(m.date_created).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    // Polish letters switch the text to UCS-2 (70 characters a segment, 67 when concatenated).
    const long = (await (await post({ To: "+48601000001", From: DEMO_SMS_FROM_NUMBER, Body: "ż".repeat(71) })).json()) as {
      num_segments: string;
    };
    expect(long.num_segments).toBe("2");
    // Through a messaging service Twilio picks the sender later.
    const viaService = (await (await post({ To: "+48601000001", MessagingServiceSid: "MG" + "a".repeat(32), Body: "x" })).json()) as Record<
      string,
      unknown
    >;
    expect(viaService).toMatchObject({ status: "accepted", from: null, messaging_service_sid: "MG" + "a".repeat(32) });

    const list = await fetch(`${messagesUrl}?PageSize=2`, { headers: { authorization: AUTH } });
    const page = (await list.json()) as { messages: { sid: string }[]; page_size: number };
    expect(page.page_size).toBe(2);
    expect(page.messages.map((x) => x.sid)).toEqual(
      standinSmsMessages()
        .slice(0, 2)
        .map((x) => x.sid),
    );
  });

  const otherAccount = () => messagesUrl.replace(DEMO_TWILIO_ACCOUNT_SID, "AC" + "9".repeat(32));
  it.each<[string, Record<string, string>, { auth?: string; url?: () => string }, number, number]>([
    ["no credentials", {}, { auth: "" }, 401, 20003],
    ["a wrong auth token", {}, { auth: `Basic ${Buffer.from(`${DEMO_TWILIO_ACCOUNT_SID}:wrong`).toString("base64")}` }, 401, 20003],
    ["another account's path", {}, { url: otherAccount }, 404, 20404],
    ["no To", { To: "" }, {}, 400, 21604],
    ["an invalid To", { To: "601 000 001" }, {}, 400, 21211],
    ["no From or MessagingServiceSid", { From: "" }, {}, 400, 21603],
    ["an invalid From", { From: "not a sender!" }, {}, 400, 21212],
    ["no Body", { Body: "" }, {}, 400, 21602],
    ["a Body over 1600 characters", { Body: "x".repeat(1601) }, {}, 400, 21617],
  ])("refuses %s with Twilio's error JSON", async (_name, override, opts, status, code) => {
    const res = await post(
      { To: "+48601000001", From: DEMO_SMS_FROM_NUMBER, Body: "x", ...override },
      { auth: opts.auth, url: opts.url?.() },
    );
    expect(res.status).toBe(status);
    const { message, ...body } = (await res.json()) as Record<string, unknown>;
    expect(typeof message).toBe("string");
    expect(body).toEqual({ code, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
    if (status === 401) expect(res.headers.get("www-authenticate")).toBe('Basic realm="Twilio API"');
    expect(standinSmsMessages()).toHaveLength(0);
  });

  it("is what the app's real Twilio provider sends to, with Twilio's errors mapped as for Twilio", async () => {
    const provider = createTwilioProvider(readSmsConfig()!);
    const result = await provider.send({ to: "+48601000002", from: DEMO_SMS_FROM_NUMBER, body: "Hello from Kawa & Co." });
    expect(result).toEqual({ providerId: standinSmsMessages()[0]!.sid, status: "queued", segments: 1 });
    const invalid = await provider.send({ to: "0601", from: DEMO_SMS_FROM_NUMBER, body: "x" }).catch((e: unknown) => e as SmsSendError);
    expect(invalid).toBeInstanceOf(PermanentSmsError);
    expect(invalid).toMatchObject({ code: "21211" });
    const badAuth = await createTwilioProvider({ ...readSmsConfig()!, authToken: "wrong" })
      .send({ to: "+48601000002", from: DEMO_SMS_FROM_NUMBER, body: "x" })
      .catch((e: unknown) => e as SmsSendError);
    expect(badAuth).toBeInstanceOf(TemporarySmsError);
    expect(badAuth).toMatchObject({ code: "20003" });
  });

  it("refuses a route outside the demo (404), like every demo route", async () => {
    expect(await outsideDemo(async () => (await post({ To: "+48601000001", From: DEMO_SMS_FROM_NUMBER, Body: "x" })).status)).toBe(404);
  });
});

describe("the demo's abandoned checkout SMS", () => {
  const HOUR = 3_600_000;
  // 10:00 in Warsaw (winter): the SMS step, 4 hours later, is inside the 08:00-21:00 window.
  const T0 = new Date("2026-11-24T09:00:00Z");
  const customer = demoCustomers().find(
    (c) => c.smsConsent === "subscribed" && c.phone && c.emailConsent === "subscribed" && c.locale === "pl",
  )!;

  async function settleAt(at: Date) {
    setClock(at);
    await drainWebhooks();
    while ((await routeEvents()).claimed > 0);
    while ((await runDueEnrollments()).claimed > 0);
    while ((await dispatchDueMessages("test-worker")).claimed > 0);
  }

  it(
    "goes from the dispatcher through the real provider to the stand-in and into the SMS outbox; STOP there opts the customer out",
    { timeout: 60_000 },
    async () => {
      const { shopId } = await seedDemoShop();
      setClock(T0);
      await deliver(
        DEMO_SHOP.domain,
        "checkouts/create",
        checkoutPayload({
          token: "chk-demo-sms",
          email: customer.email,
          phone: customer.phone,
          created_at: T0.toISOString(),
          updated_at: T0.toISOString(),
          abandoned_checkout_url: `https://${DEMO_SHOP.domain}/1/checkouts/chk-demo-sms/recover?key=k`,
        }),
      );
      await settleAt(new Date(T0.getTime() + 5_000));
      await settleAt(new Date(T0.getTime() + HOUR + 60_000)); // email 1
      expect(sunkMails().some((m) => m.to.includes(customer.email))).toBe(true);
      expect(standinSmsMessages()).toHaveLength(0);
      await settleAt(new Date(T0.getTime() + 4 * HOUR + 60_000)); // 14:01 in Warsaw: the SMS

      const row = await prisma().message.findFirstOrThrow({ where: { shopId, channel: "sms" } });
      expect(row).toMatchObject({ status: "sent", toAddress: customer.phone, templateKey: "abandoned_checkout_sms_1" });
      const [sent] = standinSmsMessages();
      expect(sent).toMatchObject({
        sid: row.providerId,
        direction: "outbound-api",
        from: DEMO_SMS_FROM_NUMBER,
        to: customer.phone,
        status: "queued",
      });
      // The stored text links to Shopify's recovery URL; the sent one carries the short link to it.
      const stored = (row.payload as { body: string }).body;
      expect(stored).toContain("/recover");
      expect(sent!.body).toBe(shortenSmsLinks(stored, row.id) + "\nRezygnacja: odpisz STOP");
      const code = /\/s\/([0-9a-z][A-Za-z0-9_-]{8}~[A-Za-z0-9_-]{22})\n/.exec(sent!.body)?.[1];
      expect(code, sent!.body).toBeDefined();
      const click = await shortLinkRoute.loader({ request: new Request(`http://localhost/s/${code}`), params: { code }, context: {} });
      expect(click.status).toBe(302);
      expect(click.headers.get("location")).toMatch(/\/1\/checkouts\/chk-demo-sms\/recover\?key=k&utm_source=flowmate&utm_medium=sms&/);

      const page = await outbox("?lang=pl");
      expect(page.notConfigured).toBe(false);
      expect(page.external).toBeNull();
      expect(page.messages).toHaveLength(1);
      const { time, ...listed } = page.messages[0]!;
      expect(time).toContain("14:01");
      expect(listed).toEqual({
        sid: row.providerId,
        direction: "outbound-api",
        from: DEMO_SMS_FROM_NUMBER,
        to: `${customer.phone!.slice(0, 6)}•••${customer.phone!.slice(-3)}`,
        body: sent!.body,
        segments: sent!.segments,
        encoding: "UCS-2",
        status: "queued",
        webhookStatus: null,
        canReply: true,
      });
      expect(JSON.stringify(page)).not.toContain(customer.phone!);

      // "Reply STOP as this customer": Twilio's signed webhook reaches /sms/inbound.
      const res = await fetch(`${app.url}/dev/sms?lang=pl`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ sid: row.providerId!, reply: "STOP" }).toString(),
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/dev/sms?lang=pl");
      const [reply, inbound] = standinSmsMessages();
      expect(inbound).toMatchObject({
        direction: "inbound",
        from: customer.phone,
        to: DEMO_SMS_FROM_NUMBER,
        body: "STOP",
        webhookStatus: 200,
      });
      expect(reply).toMatchObject({ direction: "outbound-reply", from: DEMO_SMS_FROM_NUMBER, to: customer.phone });
      expect(reply!.body).toContain("Kawa & Co. (demo): wypisano Cie z SMS-ow marketingowych");
      const after = await prisma().customer.findFirstOrThrow({ where: { shopId, phone: customer.phone } });
      expect(after).toMatchObject({ smsConsentState: "unsubscribed", smsConsentSource: "sms_keyword" });
      // Twilio itself now refuses this sender's texts to that number (21610)...
      const blocked = await createTwilioProvider(readSmsConfig()!)
        .send({ to: customer.phone!, from: DEMO_SMS_FROM_NUMBER, body: "x" })
        .catch((e: unknown) => e as SmsSendError);
      expect(blocked).toMatchObject({ permanent: true, code: "21610" });
      // ...until START.
      await fetch(`${app.url}/dev/sms`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ sid: row.providerId!, reply: "START" }).toString(),
      });
      expect((await prisma().customer.findFirstOrThrow({ where: { shopId, phone: customer.phone } })).smsConsentState).toBe("subscribed");
      expect((await outbox()).messages.map((m) => m.direction)).toEqual([
        "outbound-reply",
        "inbound",
        "outbound-reply",
        "inbound",
        "outbound-api",
      ]);
    },
  );
});
