// Cross-tenant isolation over every route the app serves. Two installed shops with
// data; for each route family, requests authenticated as shop A (App Bridge session
// tokens, Shopify-signed proxy and webhook requests, our own signed links) carry shop
// B's ids, tokens and identifiers. Each must be refused or answered from A's data
// only: no byte of B's data in any answer, and B's rows exactly as they were.
//
// The route list is read from app/routes and demo/routes/manifest.ts: a route file
// that is not classified in ROUTES below fails the first test, so a route added later
// cannot skip this check. The admin family (app.*) is swept by
// tests/security/admin-auth.db.test.ts (every loader and form intent, B's ids in paths,
// queries and forms, A's own pages and forms, no or a forged session token); here, of
// the admin, only the privacy export's data request.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Customer, Message, Shop } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ROUTES } from "../../demo/routes/manifest";
import { encodeSmsLinkCode } from "~/domain/sms/short-links";
import { messageRef } from "~/server/channels/sms/short-links.server";
import { twilioSignature } from "~/server/channels/sms/twilio-signature.server";
import { readEnv, shopifyCredentials } from "~/server/config.server";
import { installCatalogue } from "~/server/journeys/flows.server";
import { feedbackHeaderToken, feedbackInboxToken } from "~/server/security/feedback-tokens.server";
import { signToken } from "~/server/security/signed-token.server";
import { resetShopify } from "~/shopify.server";
import { asMerchantOf, storeOfflineSession } from "../support/admin-session";
import { adminRoutes } from "../support/admin-pages";
import { useTestDatabase } from "../support/db";
import { callRoute, type RouteModule } from "../support/http";
import { webhookRequest } from "../support/shopify";
import { arfReport, dsnReport } from "../messages/email/support/reports";
import { drainWebhooks } from "../support/webhooks";

type Family =
  | "admin"
  | "signed-link"
  | "app-proxy"
  | "pixel"
  | "sms-inbound"
  | "feedback"
  | "webhook"
  | { none: string } // serves no tenant's data: why
  | "demo-only"; // 404 in production (tests/foundation/demo-routes.db.test.ts); the demo has one shop

// Every route module, by file name. Add a new route here, in the family whose check below exercises it.
const ROUTES: Record<string, Family> = {
  "_index.tsx": { none: "redirects to /app, keeping the query" },
  "auth.$.tsx": { none: "Shopify's OAuth / token exchange, handled by the library" },
  "healthz.ts": { none: "database liveness only" },
  "app.tsx": "admin",
  "app._index.tsx": "admin",
  "app.customers.tsx": "admin",
  "app.flows.tsx": "admin",
  "app.preview.tsx": "admin",
  "app.privacy.tsx": "admin",
  "app.privacy.$id.export.ts": "admin",
  "app.reports.tsx": "admin",
  "app.reports.export.ts": "admin",
  "app.flows_.$flowId.report.tsx": "admin",
  "app.flows_.$flowId.report.export.ts": "admin",
  "app.flows_.$flowId._index.tsx": "admin",
  "app.flows_.$flowId.messages.$stepId.tsx": "admin",
  "app.flows_.$flowId.rollout.tsx": "admin",
  "app.health.tsx": "admin",
  "app.settings_.sending.tsx": "admin",
  "app.settings.tsx": "admin",
  "app.settings_.audit.tsx": "admin",
  "u.$token.ts": "signed-link",
  "preferences.$token.tsx": "signed-link",
  "confirm.$token.ts": "signed-link",
  "t.c.$token.ts": "signed-link",
  "t.o.$token.ts": "signed-link",
  "s.$code.ts": "signed-link",
  "proxy.subscribe.ts": "app-proxy",
  "api.pixel.events.ts": "pixel",
  "sms.inbound.ts": "sms-inbound",
  "feedback.$token.ts": "feedback",
};
const isWebhookRoute = (file: string) => /^webhooks\..+\.ts$/.test(file);
const familyOf = (file: string): Family | undefined => ROUTES[file] ?? (isWebhookRoute(file) ? "webhook" : undefined);

const APP_ROUTES = path.resolve("app/routes");
const routeFiles = fs.readdirSync(APP_ROUTES).filter((f) => /\.tsx?$/.test(f));
const exercised = new Set<string>();
async function route(file: string): Promise<RouteModule> {
  exercised.add(file);
  return (await import(/* @vite-ignore */ path.join(APP_ROUTES, file))) as RouteModule;
}

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const A = "tenant-a.myshopify.com";
const B = "tenant-b.myshopify.com";
const A_NUMBER = "+48732100111";
const B_NUMBER = "+48732100222";
const SID = "AC" + "0123456789abcdef".repeat(2);
const TWILIO_TOKEN = "twilio-auth-token-cross-tenant";
const BELLA = { email: "bella.tenantb@example.com", phone: "+48601444333", firstName: "Bellatrix-Tenant-B", shopifyId: 7391002008888n };
let shopA: Shop;
let shopB: Shop;
let bella: Customer;
let bellaMessage: Message;
let bDataRequestId: string;
const savedEnv = { ...process.env };

/** Everything of B an attacker could look for in an answer. */
const bMarkers = () => [
  BELLA.email,
  BELLA.phone,
  BELLA.firstName,
  String(BELLA.shopifyId),
  bella.id,
  bellaMessage.id,
  shopB.id,
  "Shop B Secret",
];

/** B's rows, all of them that a request could change. */
async function snapshotB() {
  const where = { shopId: shopB.id };
  return JSON.stringify(
    {
      shop: await prisma().shop.findUnique({ where: { id: shopB.id } }),
      customers: await prisma().customer.findMany({ where, orderBy: { id: "asc" } }),
      consent: await prisma().consentRecord.findMany({ where, orderBy: { id: "asc" } }),
      orders: await prisma().order.findMany({ where, orderBy: { id: "asc" } }),
      messages: await prisma().message.findMany({ where, orderBy: { id: "asc" } }),
      messageEvents: await prisma().messageEvent.findMany({ where, orderBy: { id: "asc" } }),
      events: await prisma().event.findMany({ where, orderBy: { id: "asc" } }),
      flows: await prisma().flow.findMany({ where, orderBy: { id: "asc" } }),
      flowVersions: await prisma().flowVersion.findMany({ where, orderBy: { id: "asc" } }),
      enrollments: await prisma().enrollment.findMany({ where, orderBy: { id: "asc" } }),
      decisions: await prisma().decision.findMany({ where, orderBy: { id: "asc" } }),
      audit: await prisma().auditLog.findMany({ where, orderBy: { id: "asc" } }),
      inbox: await prisma().pixelInbox.count({ where }),
      deliveries: await prisma().webhookDelivery.count({ where: { shopDomain: B } }),
      sessions: await prisma().session.findMany({ where: { shop: B } }),
    },
    (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
  );
}

/** Status and text of whatever a loader or action gave back: a Response, data() with a status, or plain data (200). */
async function answer(result: unknown): Promise<{ status: number; text: string }> {
  if (result instanceof Response) return { status: result.status, text: await result.text() };
  const r = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (r && r.type === "DataWithResponseInit") return { status: r.init?.status ?? 200, text: JSON.stringify(r.data) };
  return { status: 200, text: JSON.stringify(result ?? null) };
}

async function expectNothingOfB(label: string, result: unknown, statuses?: number[], echoed?: string): Promise<number> {
  const { status, text: raw } = await answer(result);
  // What the request itself sent (a search box shows its query) is not B's data.
  const text = echoed ? raw.split(JSON.stringify(echoed)).join('""') : raw;
  if (statuses) expect(statuses, `${label} answered ${status}`).toContain(status);
  for (const marker of bMarkers()) expect(text, `${label} leaked ${marker}`).not.toContain(marker);
  return status;
}

/** Runs the requests of one family and checks that B's rows are exactly as before. */
async function leavesBUntouched(fn: () => Promise<void>) {
  const before = await snapshotB();
  await fn();
  expect(await snapshotB()).toBe(before);
}

const call = (mod: RouteModule, method: "GET" | "POST", request: Request, params: Record<string, string> = {}) =>
  callRoute(method === "GET" ? mod.loader : mod.action, request, params).catch((thrown: unknown) => thrown);

beforeAll(async () => {
  Object.assign(process.env, { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TWILIO_TOKEN });
  resetShopify(); // its session storage must use this file's database
  const address = { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" };
  shopA = await prisma().shop.create({
    data: {
      domain: A,
      name: "Shop A",
      postalAddress: address,
      settings: { sms: { fromNumber: A_NUMBER } },
      primaryDomain: "a.example.com",
    },
  });
  shopB = await prisma().shop.create({
    data: {
      domain: B,
      name: "Shop B Secret",
      postalAddress: address,
      settings: { sms: { fromNumber: B_NUMBER } },
      primaryDomain: "b.example.com",
    },
  });
  for (const s of [shopA, shopB]) {
    await storeOfflineSession(prisma(), s.domain);
    await installCatalogue(s.id);
  }
  const subscribed = { emailConsentState: "subscribed", smsConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01") };
  await prisma().customer.create({ data: { shopId: shopA.id, email: "alma.tenanta@example.com", firstName: "Alma", ...subscribed } });
  bella = await prisma().customer.create({
    data: {
      shopId: shopB.id,
      email: BELLA.email,
      phone: BELLA.phone,
      firstName: BELLA.firstName,
      shopifyCustomerId: BELLA.shopifyId,
      ...subscribed,
    },
  });
  bellaMessage = await prisma().message.create({
    data: {
      shopId: shopB.id,
      customerId: bella.id,
      channel: "sms",
      idempotencyKey: "b-sms-1",
      status: "sent",
      sentAt: new Date(),
      toAddress: BELLA.phone,
      templateKey: "abandoned_checkout_sms",
      payload: { text: "Bellatrix-Tenant-B, your cart: https://b.example.com/cart" },
    },
  });
  await prisma().decision.create({ data: { shopId: shopB.id, customerId: bella.id, outcome: "send", reason: "allowed", at: new Date() } });
  await prisma().order.create({
    data: {
      shopId: shopB.id,
      shopifyOrderId: 1n,
      name: "#B1",
      customerId: bella.id,
      email: BELLA.email,
      currency: "PLN",
      totalPrice: "99.00",
      processedAt: new Date(),
    },
  });
  const dr = await prisma().auditLog.create({
    data: {
      shopId: shopB.id,
      actor: "shopify",
      action: "privacy.data_requested",
      subjectType: "customer",
      subjectId: bella.id,
      details: { dataRequestId: 42, profiles: [bella.id] },
    },
  });
  bDataRequestId = dr.id.toString();
});
afterAll(() => {
  for (const k of ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"]) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  resetShopify();
});

describe("cross-tenant isolation, every route", () => {
  it("every route module is classified here (a new route must be added to ROUTES with its family)", () => {
    const unclassified = routeFiles.filter((f) => familyOf(f) === undefined);
    expect(unclassified, `Add these routes to ROUTES in tests/security/cross-tenant.db.test.ts: ${unclassified.join(", ")}`).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((f) => !routeFiles.includes(f)),
      "classified routes that no longer exist",
    ).toEqual([]);
    // The admin family is the admin-auth sweep's: every route classified so is one it enumerates.
    const swept = new Set(adminRoutes().map((r) => r.file));
    expect(routeFiles.filter((f) => familyOf(f) === "admin" && !swept.has(f))).toEqual([]);
    // Demo routes are registered from their manifest, outside app/routes.
    for (const r of DEMO_ROUTES) expect(fs.existsSync(path.resolve("demo/routes", r.file)), r.file).toBe(true);
    expect(routeFiles.length).toBeGreaterThan(30);
  });

  it("privacy export, authenticated as A, of B's data request: 404, B unchanged", async () => {
    await leavesBUntouched(async () => {
      const req = await asMerchantOf(A, "http://localhost:3000/app/privacy/x/export");
      const res = await call(await route("app.privacy.$id.export.ts"), "GET", req, { id: bDataRequestId });
      await expectNothingOfB("privacy export of B's request", res, [404]);
    });
  });

  it("signed links carrying B's customer or message under A's shop: refused or recorded nowhere, B unchanged", async () => {
    await leavesBUntouched(async () => {
      const link = async (file: string, method: "GET" | "POST", token: string, body?: BodyInit) =>
        call(await route(file), method, new Request(`http://localhost:3000/x/${token}`, { method, body }), { token, code: token });
      const mixed = { shopId: shopA.id, customerId: bella.id, messageId: bellaMessage.id, channel: "email" as const };
      const oneClick = () => new URLSearchParams({ "List-Unsubscribe": "One-Click" });
      // A link that names someone not in the shop is refused like any broken link (400, the same page).
      for (const [file, purpose] of [
        ["u.$token.ts", "unsubscribe"],
        ["preferences.$token.tsx", "preferences"],
        ["confirm.$token.ts", "confirm_optin"],
      ] as const) {
        const token = signToken(purpose, mixed);
        await expectNothingOfB(`GET ${file}`, await link(file, "GET", token), [400, 401, 404]);
        await expectNothingOfB(`POST ${file}`, await link(file, "POST", token, oneClick()), [400, 401, 403, 404]);
      }
      // Tracking links still take the shopper where the token says, but record nothing on B's message.
      const click = signToken("click", { ...mixed, url: "https://a.example.com/" });
      await expectNothingOfB("click", await link("t.c.$token.ts", "GET", click));
      await expectNothingOfB("open", await link("t.o.$token.ts", "GET", signToken("open", mixed)));
      // An SMS short link for B's message without our MAC.
      const code = encodeSmsLinkCode(messageRef(bellaMessage.id), 0, "AAAAAAAA");
      await expectNothingOfB("sms short link", await link("s.$code.ts", "GET", code), [404]);
    });
  });

  it("app proxy: a request signed for A with B's customer is A's signup; one naming B without B's signature is 401", async () => {
    const { apiSecretKey } = shopifyCredentials(readEnv());
    const signed = (shop: string) => {
      const q = new URLSearchParams({
        shop,
        logged_in_customer_id: "",
        path_prefix: "/apps/flowmate",
        timestamp: String(Math.floor(Date.now() / 1000)),
      });
      const base = [...q.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join("");
      q.set("signature", crypto.createHmac("sha256", apiSecretKey).update(base).digest("hex"));
      return q;
    };
    const subscribe = async (query: URLSearchParams) =>
      call(
        await route("proxy.subscribe.ts"),
        "POST",
        new Request(`http://localhost:3000/proxy/subscribe?${query}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: BELLA.email, emailConsent: true, smsConsent: false, source: "signup_popup", locale: "en" }),
        }),
      );
    await leavesBUntouched(async () => {
      await expectNothingOfB("proxy as A with B's email", await subscribe(signed(A)));
      const asB = signed(A);
      asB.set("shop", B); // the signature was A's
      await expectNothingOfB("proxy naming B, signed as A", await subscribe(asB), [401]);
    });
    // A's own profile for that address: B's customer was neither read nor changed.
    expect(await prisma().customer.count({ where: { shopId: shopA.id, email: BELLA.email } })).toBe(1);
  });

  it("pixel: a batch for B from A's storefront is refused; nothing lands in B's inbox", async () => {
    await leavesBUntouched(async () => {
      const mod = await route("api.pixel.events.ts");
      const batch = (shop: string) =>
        JSON.stringify({
          shop,
          v: 1,
          events: [
            {
              id: "x1",
              name: "page_viewed",
              timestamp: new Date().toISOString(),
              clientId: "cid-x",
              seq: 1,
              context: { url: "https://a.example.com/" },
              data: {},
            },
          ],
        });
      const res = await call(
        mod,
        "POST",
        new Request("http://localhost:3000/api/pixel/events", {
          method: "POST",
          headers: { origin: "https://a.example.com" },
          body: batch(B),
        }),
      );
      await expectNothingOfB("pixel for B from A's origin", res, [403]);
    });
  });

  it("SMS inbound: STOP from B's customer's phone to A's number changes A only", async () => {
    await leavesBUntouched(async () => {
      const url = "http://localhost:3000/sms/inbound";
      const form = new URLSearchParams({
        AccountSid: SID,
        MessageSid: "SM" + "e".repeat(32),
        From: BELLA.phone,
        To: A_NUMBER,
        Body: "STOP",
      });
      const req = new Request(url, {
        method: "POST",
        body: form.toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(TWILIO_TOKEN, url, form) },
      });
      expect(await expectNothingOfB("sms STOP to A", await call(await route("sms.inbound.ts"), "POST", req))).toBe(200);
    });
    expect((await prisma().customer.findFirstOrThrow({ where: { shopId: shopA.id, phone: BELLA.phone } })).smsConsentState).toBe(
      "unsubscribed",
    );
  });

  it("feedback reports: A's address refuses B's messages; a header naming B's message under A's shop finds nothing; B unchanged", async () => {
    const original = (token: string) =>
      `From: <hello@a.example.com>\r\nTo: <${BELLA.email}>\r\nSubject: Hi\r\nX-Flowmate-Message: ${token}\r\n\r\nHi\r\n`;
    const post = async (inbox: string, body: Buffer) =>
      call(
        await route("feedback.$token.ts"),
        "POST",
        new Request(`http://localhost:3000/feedback/${inbox}`, {
          method: "POST",
          body: new Uint8Array(body),
          headers: { "content-type": "message/rfc822" },
        }),
        { token: inbox },
      );
    const bHeader = feedbackHeaderToken({ shopId: shopB.id, customerId: bella.id, messageId: bellaMessage.id });
    const mixedHeader = feedbackHeaderToken({ shopId: shopA.id, customerId: bella.id, messageId: bellaMessage.id });
    await leavesBUntouched(async () => {
      const inboxA = feedbackInboxToken(shopA.id);
      for (const build of [arfReport, dsnReport]) {
        await expectNothingOfB("B's message on A's address", await post(inboxA, await build(original(bHeader))), [403]);
        await expectNothingOfB("B's message id signed for A", await post(inboxA, await build(original(mixedHeader))), [200]);
        await expectNothingOfB("no address", await post("", await build(original(bHeader))), [403]);
      }
    });
  });

  it("webhooks: every topic signed for A, carrying B's customer, orders and domain, changes nothing of B", async () => {
    const webhookFiles = routeFiles.filter(isWebhookRoute);
    expect(webhookFiles.length).toBeGreaterThan(15);
    const bPayload = {
      id: Number(BELLA.shopifyId),
      shop_domain: B,
      domain: B,
      myshopify_domain: B,
      email: BELLA.email,
      phone: BELLA.phone,
      customer: { id: Number(BELLA.shopifyId), email: BELLA.email, phone: BELLA.phone },
      customer_id: Number(BELLA.shopifyId),
      email_address: BELLA.email,
      orders_to_redact: [1],
      orders_requested: [1],
      data_request: { id: 43 },
    };
    await leavesBUntouched(async () => {
      // shop/redact and app/uninstalled last: they end A itself.
      const last = ["webhooks.app.uninstalled.ts", "webhooks.shop.redact.ts"];
      for (const file of [...webhookFiles.filter((f) => !last.includes(f)), ...last]) {
        const topic = file
          .replace(/^webhooks\./, "")
          .replace(/\.ts$/, "")
          .replace(".", "/");
        const res = await call(await route(file), "POST", webhookRequest({ topic, shop: A, body: JSON.stringify(bPayload) }));
        await expectNothingOfB(file, res, [200, 400]);
        await drainWebhooks();
      }
    });
    expect(await prisma().shop.count({ where: { id: shopA.id } })).toBe(0); // shop/redact for A erased A, not B
  });

  it("every classified route outside the admin was exercised by its family's check (the admin's: admin-auth.db.test.ts)", () => {
    const tenantRoutes = routeFiles.filter((f) => {
      const family = familyOf(f);
      return typeof family === "string" && family !== "demo-only" && family !== "admin";
    });
    expect(tenantRoutes.filter((f) => !exercised.has(f))).toEqual([]);
  });
});
