// Cross-tenant isolation over every route the app serves. Two installed shops with
// data; for each route family, requests authenticated as shop A (App Bridge session
// tokens, Shopify-signed proxy and webhook requests, our own signed links) carry shop
// B's ids, tokens and identifiers. Each must be refused or answered from A's data
// only: no byte of B's data in any answer, and B's rows exactly as they were.
//
// The route list is read from app/routes and demo/routes/manifest.ts: a route file
// that is not classified in ROUTES below fails the first test, so a route added later
// cannot skip this check.
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
import { outsideDemo } from "../support/demo-mode";
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
    // Demo routes are registered from their manifest, outside app/routes.
    for (const r of DEMO_ROUTES) expect(fs.existsSync(path.resolve("demo/routes", r.file)), r.file).toBe(true);
    expect(routeFiles.length).toBeGreaterThan(30);
  });

  it(
    "admin loaders and actions, authenticated as A, with B's customer, data request, email and phone: 404 or A's data only",
    { timeout: 120_000 },
    async () => {
      await leavesBUntouched(async () => {
        const get = async (file: string, query = "", params: Record<string, string> = {}) =>
          call(await route(file), "GET", await asMerchantOf(A, `http://localhost:3000/app${query}`), params);
        for (const file of [
          "app.tsx",
          "app._index.tsx",
          "app.flows.tsx",
          "app.preview.tsx",
          "app.privacy.tsx",
          "app.health.tsx",
          "app.settings.tsx",
          "app.settings_.audit.tsx",
        ]) {
          expect(await expectNothingOfB(file, await get(file, "?lang=en"))).toBe(200);
        }
        // B's ids in the admin's own parameters.
        await expectNothingOfB("customers?customer=<B's>", await get("app.customers.tsx", `/customers?customer=${bella.id}`), [404]);
        for (const q of [BELLA.email, BELLA.phone, String(BELLA.shopifyId), BELLA.firstName]) {
          const found = await get("app.customers.tsx", `/customers?q=${encodeURIComponent(q)}`);
          expect(await expectNothingOfB(`customers?q=${q}`, found, [200], q)).toBe(200);
          expect(found).toMatchObject({ view: "matches", matches: [] });
        }
        await expectNothingOfB("privacy export of B's request", await get("app.privacy.$id.export.ts", "", { id: bDataRequestId }), [404]);

        // Reports: A's own report and exports; B's flow ids are not found.
        expect(await expectNothingOfB("shop report", await get("app.reports.tsx", "/reports?period=90"))).toBe(200);
        expect(await expectNothingOfB("shop report CSV", await get("app.reports.export.ts", "/reports/export?table=flows"))).toBe(200);
        const aFlow = await prisma().flow.findFirstOrThrow({ where: { shopId: shopA.id, key: "welcome" } });
        const bFlow = await prisma().flow.findFirstOrThrow({ where: { shopId: shopB.id, key: "welcome" } });
        for (const [file, query] of [
          ["app.flows_.$flowId.report.tsx", ""],
          ["app.flows_.$flowId.report.export.ts", "?table=steps"],
          ["app.flows_.$flowId._index.tsx", ""],
        ] as const) {
          expect(await expectNothingOfB(`${file} of A's flow`, await get(file, query, { flowId: aFlow.id }))).toBe(200);
          await expectNothingOfB(`${file} of B's flow`, await get(file, query, { flowId: bFlow.id }), [404]);
        }

        // The message editor: A's own step; B's flow id (with a step id B's flow has) is not found.
        const editorStep = (def: unknown) =>
          (def as { steps: { id: string; type: string; channel?: string }[] }).steps.find(
            (x) => x.type === "send" && x.channel === "email",
          )!.id;
        const abandonedOf = (shopId: string) => prisma().flow.findFirstOrThrow({ where: { shopId, key: "abandoned_checkout" } });
        const versionOf = (flowId: string) => prisma().flowVersion.findFirstOrThrow({ where: { flowId }, orderBy: { version: "desc" } });
        const aAbandoned = await abandonedOf(shopA.id);
        const bAbandoned = await abandonedOf(shopB.id);
        const bStepId = editorStep((await versionOf(bAbandoned.id)).definition);
        const aStepId = editorStep((await versionOf(aAbandoned.id)).definition);
        const editor = "app.flows_.$flowId.messages.$stepId.tsx";
        expect(
          await expectNothingOfB("message editor of A's step", await get(editor, "", { flowId: aAbandoned.id, stepId: aStepId })),
        ).toBe(200);
        await expectNothingOfB("message editor of B's step", await get(editor, "", { flowId: bAbandoned.id, stepId: bStepId }), [404]);
        const bContent = JSON.stringify({ en: { subject: "Hijacked", preheader: "", blocks: [{ type: "footer" }] } });
        for (const form of <Record<string, string>[]>[
          { intent: "preview", content: bContent, language: "en", customerId: bella.id },
          { intent: "save", content: bContent, baseVersion: "1", note: "hijack" },
          { intent: "test", content: bContent, language: "en", to: BELLA.email },
        ]) {
          const req = await asMerchantOf(A, "http://localhost:3000/app/x", { method: "POST", body: new URLSearchParams(form) });
          await expectNothingOfB(
            `message editor ${form.intent} on B's flow`,
            await call(await route(editor), "POST", req, { flowId: bAbandoned.id, stepId: bStepId }),
            [404],
          );
        }
        // On A's own step, B's customer is no preview subject and B's address no test recipient.
        const previewAsBella = await asMerchantOf(A, "http://localhost:3000/app/x", {
          method: "POST",
          body: new URLSearchParams({ intent: "preview", content: bContent, language: "en", customerId: bella.id }),
        });
        expect(
          await expectNothingOfB(
            "preview as B's customer",
            await call(await route(editor), "POST", previewAsBella, { flowId: aAbandoned.id, stepId: aStepId }),
            [200],
          ),
        ).toBe(200);
        const testToBella = await asMerchantOf(A, "http://localhost:3000/app/x", {
          method: "POST",
          body: new URLSearchParams({ intent: "test", content: bContent, language: "en", to: BELLA.email }),
        });
        await expectNothingOfB(
          "test to B's customer",
          await call(await route(editor), "POST", testToBella, { flowId: aAbandoned.id, stepId: aStepId }),
          [400],
          BELLA.email,
        );

        // Actions: what they change is A's (B's flows and messages are in the snapshot).
        const post = async (file: string, form: Record<string, string>) =>
          call(
            await route(file),
            "POST",
            await asMerchantOf(A, "http://localhost:3000/app/x", { method: "POST", body: new URLSearchParams(form) }),
          );
        expect(await expectNothingOfB("flows toggle", await post("app.flows.tsx", { key: "welcome", on: "true" }))).toBe(200);
        // The flow page's edits and rollback with B's flow id: not found, B's versions unchanged (snapshot).
        const postFlow = async (flowId: string, form: Record<string, string>) =>
          call(
            await route("app.flows_.$flowId._index.tsx"),
            "POST",
            await asMerchantOf(A, `http://localhost:3000/app/flows/${flowId}`, { method: "POST", body: new URLSearchParams(form) }),
            { flowId },
          );
        await expectNothingOfB("flow edit of B's flow", await postFlow(bFlow.id, { intent: "save", "wait/wait_2/amount": "99" }), [404]);
        await expectNothingOfB("flow rollback of B's flow", await postFlow(bFlow.id, { intent: "rollback", version: "1" }), [404]);
        // A's own edit goes through.
        expect(
          await expectNothingOfB("flow edit of A's flow", await postFlow(aFlow.id, { intent: "save", "wait/wait_2/amount": "72" })),
        ).toBe(200);
        expect((await prisma().flow.findFirstOrThrow({ where: { shopId: shopA.id, key: "welcome" } })).status).toBe("on");
        // Settings: A's own flow row saves; B's flow id is not found and B's flow keeps its priority.
        const flowRow = (flowId: string) => ({
          intent: "flow",
          flowId,
          priority: "77",
          reentryDays: "",
          excludeAfterOrderHours: "24",
          holdoutPercent: "",
        });
        expect(await expectNothingOfB("settings flow row of A", await post("app.settings.tsx", flowRow(aFlow.id)))).toBe(200);
        expect((await prisma().flow.findUniqueOrThrow({ where: { id: aFlow.id } })).priority).toBe(77);
        await expectNothingOfB("settings flow row of B", await post("app.settings.tsx", flowRow(bFlow.id)), [404]);
        const schedule = {
          intent: "schedule",
          timezone: "Europe/Warsaw",
          emailQuiet: "true",
          emailQuietStart: "22:00",
          emailQuietEnd: "07:00",
          smsQuiet: "false",
          smsQuietStart: "21:00",
          smsQuietEnd: "08:00",
        };
        expect(await expectNothingOfB("settings schedule", await post("app.settings.tsx", schedule))).toBe(200);
        expect((await prisma().shop.findUniqueOrThrow({ where: { id: shopA.id } })).quietHoursStart).toBe(22 * 60);
        expect(await expectNothingOfB("settings order by increment", await post("app.settings.tsx", { intent: "order" }))).toBe(200);
        await expectNothingOfB(
          "test send to B's customer",
          await post("app.preview.tsx", { template: "welcome_1", language: "en", to: BELLA.email }),
          [400],
        );

        // Settings -> Sending: A's page and changes are A's; B's shop and sending row stay as they were.
        const sending = "app.settings_.sending.tsx";
        expect(await expectNothingOfB("sending settings", await get(sending, "/settings/sending"))).toBe(200);
        const bShopBefore = await prisma().shop.findUniqueOrThrow({ where: { id: shopB.id } });
        const sendingForms: Record<string, string>[] = [
          {
            intent: "sender",
            senderName: "A's sender",
            senderEmail: "a-sender@example.com",
            address1: "ul. A 1",
            zip: "00-001",
            city: "Warszawa",
            countryCodeV2: "PL",
          },
          { intent: "email", smtpUrl: "smtp://a:secret@smtp.example.com:587" },
          { intent: "dkim", domain: "a.example.com", selector: "fm" },
          { intent: "warmup", warmup: "start" },
        ];
        for (const form of sendingForms) {
          expect(await expectNothingOfB(`sending ${form.intent}`, await post(sending, form))).toBe(200);
        }
        expect(await prisma().shop.findUniqueOrThrow({ where: { id: shopA.id } })).toMatchObject({ senderName: "A's sender" });
        expect(await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shopA.id } })).toMatchObject({
          dkimDomain: "a.example.com",
        });
        expect(await prisma().shop.findUniqueOrThrow({ where: { id: shopB.id } })).toEqual(bShopBefore);
        expect(await prisma().shopSending.count({ where: { shopId: shopB.id } })).toBe(0);
        const forgedPost = new Request("http://localhost:3000/app/settings/sending", {
          method: "POST",
          headers: { authorization: "Bearer e30.e30.AAAA" },
          body: new URLSearchParams({ intent: "sender", senderName: "x" }),
        });
        await expectNothingOfB("sending action, forged session token", await call(await route(sending), "POST", forgedPost), [401]);
        const barePost = await outsideDemo(async () =>
          call(
            await route(sending),
            "POST",
            new Request("http://localhost:3000/app/settings/sending", {
              method: "POST",
              body: new URLSearchParams({ intent: "warmup", warmup: "stop" }),
            }),
          ),
        );
        expect([302, 401]).toContain((barePost as Response).status);
        expect((await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shopA.id } })).warmupStartDay).not.toBeNull();

        // A session token that is not A's (signed with another secret, or for B without B's admin) gets nothing.
        const forged = new Request("http://localhost:3000/app/customers", { headers: { authorization: "Bearer e30.e30.AAAA" } });
        const forgedSave = new Request("http://localhost:3000/app/settings", {
          method: "POST",
          headers: { authorization: "Bearer e30.e30.AAAA" },
          body: new URLSearchParams({ intent: "flow", flowId: bFlow.id, priority: "1" }),
        });
        await expectNothingOfB(
          "settings action, forged session token",
          await call(await route("app.settings.tsx"), "POST", forgedSave),
          [401],
        );
        await expectNothingOfB("forged session token", await call(await route("app.customers.tsx"), "GET", forged), [401]);
        for (const file of [
          "app.reports.tsx",
          "app.reports.export.ts",
          "app.flows_.$flowId.report.tsx",
          "app.flows_.$flowId.report.export.ts",
          "app.settings.tsx",
          "app.settings_.audit.tsx",
          "app.flows_.$flowId.messages.$stepId.tsx",
          "app.flows_.$flowId._index.tsx",
        ]) {
          const req = new Request("http://localhost:3000/app/reports/export?table=flows", {
            headers: { authorization: "Bearer e30.e30.AAAA" },
          });
          await expectNothingOfB(`${file}, forged session token`, await call(await route(file), "GET", req, { flowId: bFlow.id }), [401]);
          // Outside the demo, a request with no session token at all is sent to log in.
          const bare = await outsideDemo(async () =>
            call(await route(file), "GET", new Request("http://localhost:3000/app/reports?table=flows"), { flowId: bFlow.id }),
          );
          expect(bare, file).toBeInstanceOf(Response);
          expect((bare as Response).status, file).toBe(302);
          expect((bare as Response).headers.get("location"), file).toMatch(/^\/auth\/login\b/);
        }
        // The flow page's action with a forged token, or none: refused before anything is read or changed.
        const flowPage = await route("app.flows_.$flowId._index.tsx");
        const forgedFlowPost = new Request(`http://localhost:3000/app/flows/${bFlow.id}`, {
          method: "POST",
          headers: { authorization: "Bearer e30.e30.AAAA" },
          body: new URLSearchParams({ intent: "rollback", version: "1" }),
        });
        await expectNothingOfB(
          "flow page action, forged session token",
          await call(flowPage, "POST", forgedFlowPost, { flowId: bFlow.id }),
          [401],
        );
        const bareFlowPost = await outsideDemo(async () =>
          call(
            flowPage,
            "POST",
            new Request(`http://localhost:3000/app/flows/${bFlow.id}`, {
              method: "POST",
              body: new URLSearchParams({ intent: "rollback", version: "1" }),
            }),
            { flowId: bFlow.id },
          ),
        );
        expect([302, 401]).toContain((bareFlowPost as Response).status);
        // The message editor's actions (preview, save, test send) with a forged token: refused, nothing changed.
        const forgedEditorSave = new Request("http://localhost:3000/app/x", {
          method: "POST",
          headers: { authorization: "Bearer e30.e30.AAAA" },
          body: new URLSearchParams({ intent: "save", content: "{}", baseVersion: "1" }),
        });
        await expectNothingOfB(
          "message editor save, forged session token",
          await call(await route("app.flows_.$flowId.messages.$stepId.tsx"), "POST", forgedEditorSave, { flowId: bFlow.id, stepId: "x" }),
          [401],
        );
      });
    },
  );

  it("staged rollout page: A's flow answers, B's flow id is 404 for the page and every button, B unchanged; no token is refused", async () => {
    const file = "app.flows_.$flowId.rollout.tsx";
    const aFlow = await prisma().flow.findFirstOrThrow({ where: { shopId: shopA.id, key: "browse_abandonment" } });
    const bFlow = await prisma().flow.findFirstOrThrow({ where: { shopId: shopB.id, key: "browse_abandonment" } });
    await leavesBUntouched(async () => {
      const get = async (flowId: string) =>
        call(await route(file), "GET", await asMerchantOf(A, "http://localhost:3000/app/flows/x/rollout?lang=pl"), { flowId });
      expect(await expectNothingOfB("rollout page of A's flow", await get(aFlow.id))).toBe(200);
      await expectNothingOfB("rollout page of B's flow", await get(bFlow.id), [404]);
      const post = async (flowId: string, form: Record<string, string>) =>
        call(
          await route(file),
          "POST",
          await asMerchantOf(A, "http://localhost:3000/app/flows/x/rollout", { method: "POST", body: new URLSearchParams(form) }),
          { flowId },
        );
      for (const form of <Record<string, string>[]>[
        { intent: "start" },
        { intent: "advance", from: "10" },
        { intent: "halt" },
        { intent: "resume" },
        { intent: "rollBack" },
      ]) {
        await expectNothingOfB(`rollout ${form.intent} of B's flow`, await post(bFlow.id, form), [404]);
      }
      // A's own flow with a single version: nothing to stage, refused as a conflict, nothing changed.
      expect(await expectNothingOfB("rollout start of A's flow", await post(aFlow.id, { intent: "start" }), [409])).toBe(409);
      const forged = new Request("http://localhost:3000/app/flows/x/rollout", {
        method: "POST",
        headers: { authorization: "Bearer e30.e30.AAAA" },
      });
      await expectNothingOfB("rollout with a forged token", await call(await route(file), "POST", forged, { flowId: bFlow.id }), [401]);
      const bare = await outsideDemo(async () =>
        call(await route(file), "POST", new Request("http://localhost:3000/app/flows/x/rollout", { method: "POST" }), { flowId: bFlow.id }),
      );
      expect((bare as Response).status).toBe(302);
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

  it("every classified route was exercised by its family's check", () => {
    const tenantRoutes = routeFiles.filter((f) => {
      const family = familyOf(f);
      return typeof family === "string" && family !== "demo-only";
    });
    expect(tenantRoutes.filter((f) => !exercised.has(f))).toEqual([]);
  });
});
