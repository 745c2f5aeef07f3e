// Authentication and tenancy over every admin route module (app/routes/app.*), loaders
// and actions, enumerated from the route files (tests/support/admin-pages.ts): a route
// added later is covered without editing this file, except for the two tables below
// (the B ids its URL parameters take, and the forms its action accepts), and the first
// test fails until a new parameter or action is in them.
//
// For each loader and action:
// - outside demo mode, a request without a session token is sent to log in (302 to
//   /auth/login) or refused (401/403), never answered with data;
// - an App Bridge session token signed with another secret is refused;
// - shop A's valid token (Shopify's getJwt test helper) carrying shop B's ids never
//   returns any of B's data and leaves every row of B as it was.
// - an id of B's in the path answers 404, one in a form 404 (a row's id) or 400 (B's
//   customer's address); shop A's own ids answer 200, and A's own forms change A's rows.
// tests/security/cross-tenant.db.test.ts checks the families outside the admin (signed
// links, app proxy, pixel, SMS inbound, webhooks) and the privacy export; this file is
// the admin's: no admin route or form intent escapes it.
import fs from "node:fs";
import path from "node:path";
import type { Customer, Flow, Message, Shop } from "@prisma/client";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_API_KEY, DEMO_API_SECRET, readEnv, shopifyCredentials } from "~/server/config.server";
import { installCatalogue } from "~/server/journeys/flows.server";
import { resetShopify } from "~/shopify.server";
import { asMerchantOf, storeOfflineSession } from "../support/admin-session";
import { adminRoutes, type AdminRoute } from "../support/admin-pages";
import { outsideDemo } from "../support/demo-mode";
import { useTestDatabase } from "../support/db";
import { callRoute, type RouteModule } from "../support/http";

const A = "auth-a.myshopify.com";
const B = "auth-b.myshopify.com";

/** A shop's rows whose ids go into requests: B's, as an attacker would put them in A's requests, or A's own. */
interface ShopIds {
  flowId: string;
  stepId: string;
  customerId: string;
  messageId: string;
  email: string;
  dataRequestId: string;
  quarantineId: string;
}
let b: ShopIds;
let a: ShopIds;

/** Each URL parameter of an admin route, filled with B's id. A new parameter goes here. */
const PARAM_IDS: Record<string, (ids: ShopIds) => string> = {
  flowId: (ids) => ids.flowId,
  stepId: (ids) => ids.stepId,
  id: (ids) => ids.dataRequestId,
};

/**
 * The forms each admin action accepts, one per intent, with B's ids where the form
 * carries an id: "{flowId}" is replaced with B's flow id, and so on (ShopIds). A route with
 * an action must be listed, and every intent its source names (`intent: z.literal("x")`,
 * `z.enum([...])` for intent) must have a form here.
 */
const ACTION_FORMS: Record<string, Record<string, string>[]> = {
  "app.flows.tsx": [
    { key: "welcome", on: "false" },
    { key: "abandoned_checkout", on: "true", confirmSmsCost: "true" },
  ],
  "app.preview.tsx": [{ template: "welcome_1", language: "en", to: "{email}" }],
  "app.health.tsx": [{ intent: "retry", id: "{quarantineId}" }],
  "app.flows_.$flowId.messages.$stepId.tsx": [
    {
      intent: "preview",
      language: "en",
      customerId: "{customerId}",
      content: '{"en":{"subject":"Hi","preheader":"","blocks":[{"type":"footer"}]}}',
    },
    { intent: "save", baseVersion: "1", note: "x", content: '{"en":{"subject":"Hi","preheader":"","blocks":[{"type":"footer"}]}}' },
    { intent: "test", language: "en", to: "{email}", content: '{"en":{"subject":"Hi","preheader":"","blocks":[{"type":"footer"}]}}' },
  ],
  "app.flows_.$flowId._index.tsx": [
    { intent: "save", "wait/wait_2/amount": "99", note: "x" },
    // The flow filter and the entry rules (a filter added, re-entry, the goal's window).
    {
      intent: "save",
      "filter/new/field": "customer.ordersCount",
      "filter/new/op": "eq",
      "filter/new/value": "0",
      "entry/reentry": "never",
      "goal/withinHours": "12",
    },
    // A send step's channel switched (email -> SMS: a new text, the entry consent follows).
    { intent: "save", "send/send_2/channel": "sms", confirmSmsCost: "send_2" },
    { intent: "rollback", version: "1" },
  ],
  "app.flows_.$flowId.rollout.tsx": [
    { intent: "start" },
    { intent: "advance", from: "10" },
    { intent: "halt" },
    { intent: "resume" },
    { intent: "complete" },
    { intent: "rollBack" },
  ],
  "app.settings.tsx": [
    {
      intent: "schedule",
      timezone: "Europe/Warsaw",
      emailQuiet: "on",
      emailQuietStart: "21:00",
      emailQuietEnd: "08:00",
      smsQuiet: "on",
      smsQuietStart: "21:00",
      smsQuietEnd: "08:00",
    },
    { intent: "caps" },
    { intent: "flow", flowId: "{flowId}", priority: "99", reentryDays: "1", excludeAfterOrderHours: "24", holdoutPercent: "50" },
    {
      intent: "measurement",
      holdoutPercent: "20",
      attributionEmailDays: "2",
      attributionSmsDays: "2",
      attributeOpens: "on",
      abMetric: "click_rate",
      abMinSample: "100",
      abMinProbabilityPercent: "90",
      abMinDays: "1",
      abMaxDays: "30",
    },
    { intent: "privacy", doubleOptIn: "double", storefrontEventDays: "90" },
    { intent: "order" },
    { intent: "rollout", sendErrors: "1", bounces: "2", complaints: "0.3", unsubscribes: "1", clicks: "70" },
  ],
  "app.settings_.sending.tsx": [
    {
      intent: "sender",
      senderName: "A",
      senderEmail: "a@example.com",
      address1: "ul. A 1",
      zip: "00-001",
      city: "Warszawa",
      countryCodeV2: "PL",
    },
    { intent: "email", smtpUrl: "smtp://a:secret@smtp.example.com:587" },
    { intent: "sms", accountSid: "AC00000000000000000000000000000000", authToken: "secret", fromNumber: "+48500100200" },
    { intent: "dkim", domain: "a.example.com", selector: "fm" },
    { intent: "warmup", warmup: "start" },
    { intent: "warmup", warmup: "save", plan: "custom", firstDay: "30", growth: "1.5", target: "1000" },
    { intent: "test", to: "{email}" },
    { intent: "feedback_address", confirm: "yes" },
  ],
};

const fill = (form: Record<string, string>, ids: ShopIds): Record<string, string> =>
  Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.replace(/\{(\w+)\}/g, (_, n: string) => String(ids[n as keyof ShopIds]))]));

/**
 * What shop A's token gets for a form carrying B's ids: an id of B's in the path or a
 * row's id in the form is not found (404); B's customer's address is no recipient (400).
 */
function bStatusOf(r: AdminRoute, form: Record<string, string>): number[] | undefined {
  // Sending's test goes to A's own sender address whatever `to` says: sent, to A (the answer names no B).
  if (r.file === "app.settings_.sending.tsx" && form.intent === "test") return [200];
  if (r.params.length) return [404];
  const names = Object.values(form).flatMap((v) => [...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!));
  if (!names.length) return undefined;
  return names.every((n) => n === "email") ? [400] : [404];
}

/** Intent values a route's source accepts, from its zod schema. */
export function intentsIn(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/intent:\s*z\.literal\(\s*"([\w-]+)"/g)) found.add(m[1]!);
  for (const m of source.matchAll(/intent:\s*z\.enum\(\s*\[([^\]]*)\]/g)) {
    for (const v of m[1]!.matchAll(/"([\w-]+)"/g)) found.add(v[1]!);
  }
  return [...found];
}

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopA: Shop;
let shopB: Shop;
let bella: Customer;
let bellaMessage: Message;
let bFlow: Flow;

const routes: AdminRoute[] = adminRoutes();
const modules = new Map<string, RouteModule>();
const load = async (r: AdminRoute) => {
  if (!modules.has(r.file)) modules.set(r.file, (await import(/* @vite-ignore */ path.resolve("app/routes", r.file))) as RouteModule);
  return modules.get(r.file)!;
};

const paramsFor = (r: AdminRoute, ids = b): Record<string, string> =>
  Object.fromEntries(r.params.map((p) => [p, PARAM_IDS[p]?.(ids) ?? "missing-param"]));
const urlOf = (r: AdminRoute, query = "", ids = b) =>
  `http://localhost:3000${r.pattern.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(PARAM_IDS[p]?.(ids) ?? p))}${query}`;

/** Everything of B an attacker could look for in an answer. */
const bMarkers = () => [
  b.email,
  bella.phone!,
  bella.firstName!,
  String(bella.shopifyCustomerId),
  bella.id,
  bellaMessage.id,
  bFlow.id,
  shopB.id,
  shopB.name,
];

/** Every row of B: each table with a shopId column, B's shop row, sessions and webhook deliveries. */
async function snapshotB(): Promise<string> {
  const tables = await prisma().$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name::text AS table_name FROM information_schema.columns WHERE column_name = 'shopId' AND table_schema = current_schema() ORDER BY table_name`,
  );
  const out: Record<string, unknown> = {
    shop: await prisma().shop.findUnique({ where: { id: shopB.id } }),
    sessions: await prisma().session.findMany({ where: { shop: B }, orderBy: { id: "asc" } }),
    deliveries: await prisma().webhookDelivery.findMany({ where: { shopDomain: B }, orderBy: { id: "asc" } }),
  };
  for (const { table_name } of tables) {
    out[table_name] = await prisma().$queryRawUnsafe(`SELECT * FROM "${table_name}" WHERE "shopId" = $1 ORDER BY 1`, shopB.id);
  }
  return JSON.stringify(out, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

/** Status and text of whatever a loader or action gave back or threw. */
async function answer(result: unknown): Promise<{ status: number; text: string }> {
  if (result instanceof Response) return { status: result.status, text: await result.clone().text() };
  if (result instanceof Error) return { status: 500, text: result.message };
  const r = result as { type?: string; data?: unknown; init?: { status?: number } | null };
  if (r && r.type === "DataWithResponseInit") return { status: r.init?.status ?? 200, text: JSON.stringify(r.data) };
  return { status: 200, text: JSON.stringify(result ?? null, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) };
}

/** `echoed`: what the request itself sent (a search box shows its query), which is not B's data. */
async function expectNothingOfB(label: string, result: unknown, echoed?: string): Promise<number> {
  const { status, text: raw } = await answer(result);
  const text = echoed ? raw.split(JSON.stringify(echoed)).join('""') : raw;
  for (const marker of bMarkers()) expect(text, `${label} leaked ${marker}`).not.toContain(marker);
  return status;
}

/** Refused by authentication: sent to log in, or 401/403 (or only the `statuses` given); never data. */
async function expectRefused(label: string, result: unknown, statuses = [302, 401, 403]): Promise<void> {
  expect(result, `${label}: answered with data instead of a refusal`).toBeInstanceOf(Response);
  const res = result as Response;
  expect(statuses, `${label} answered ${res.status}`).toContain(res.status);
  if (res.status === 302) expect(res.headers.get("location"), label).toMatch(/^\/auth\/login\b/);
  expect(await res.clone().text(), `${label} answered with a body`).not.toMatch(/Shop [AB]|@example\.com/);
}

/**
 * Runs `fn` as a production process would: not the demo, with Shopify credentials in
 * the environment (the demo's values, so the test helper's tokens are signed with the
 * app's secret) and the library set up again from them.
 */
async function asProductionProcess<T>(fn: () => Promise<T>): Promise<T> {
  const env = { SHOPIFY_API_KEY: DEMO_API_KEY, SHOPIFY_API_SECRET: DEMO_API_SECRET, SHOPIFY_APP_URL: "https://flowmate.example" };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  resetShopify();
  try {
    return await outsideDemo(fn);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetShopify();
  }
}

const call = (mod: RouteModule, method: "GET" | "POST", request: Request, params: Record<string, string>) =>
  callRoute(method === "GET" ? mod.loader : mod.action, request, params).catch((thrown: unknown) => thrown);

/** Each form a route's action is posted: its table entry, or one empty form, with B's ids. */
const formsOf = (r: AdminRoute): Record<string, string>[] => (ACTION_FORMS[r.file] ?? [{}]).map((f) => fill(f, b));

beforeAll(async () => {
  resetShopify(); // its session storage must use this file's database
  const address = { address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" };
  shopA = await prisma().shop.create({ data: { domain: A, name: "Shop A", postalAddress: address } });
  shopB = await prisma().shop.create({ data: { domain: B, name: "Shop B Secret", postalAddress: address } });
  for (const s of [shopA, shopB]) {
    await storeOfflineSession(prisma(), s.domain);
    await installCatalogue(s.id);
  }
  const subscribed = { emailConsentState: "subscribed", smsConsentState: "subscribed", emailConsentUpdatedAt: new Date("2026-01-01") };
  bella = await prisma().customer.create({
    data: {
      shopId: shopB.id,
      email: "bella.authb@example.com",
      phone: "+48601444999",
      firstName: "Bellatrix-Auth-B",
      shopifyCustomerId: 7391002007777n,
      ...subscribed,
    },
  });
  const alma = await prisma().customer.create({
    data: { shopId: shopA.id, email: "alma.autha@example.com", firstName: "Alma", ...subscribed },
  });
  bellaMessage = await prisma().message.create({
    data: {
      shopId: shopB.id,
      customerId: bella.id,
      channel: "email",
      idempotencyKey: "b-email-1",
      status: "sent",
      sentAt: new Date(),
      toAddress: bella.email!,
      templateKey: "welcome_1",
      payload: { subject: "Bellatrix-Auth-B, welcome" },
    },
  });
  bFlow = await prisma().flow.findFirstOrThrow({ where: { shopId: shopB.id, key: "abandoned_checkout" } });
  const dataRequestOf = (shopId: string, customerId: string, dataRequestId: number) =>
    prisma().auditLog.create({
      data: {
        shopId,
        actor: "shopify",
        action: "privacy.data_requested",
        subjectType: "customer",
        subjectId: customerId,
        details: { dataRequestId, profiles: [customerId] },
      },
    });
  const dataRequest = await dataRequestOf(shopB.id, bella.id, 44);
  const parked = await prisma().quarantine.create({
    data: {
      shopId: shopB.id,
      kind: "message",
      itemId: bellaMessage.id,
      error: "Error: test",
      firstFailedAt: new Date(),
      lastFailedAt: new Date(),
      quarantinedAt: new Date(),
    },
  });
  b = {
    flowId: bFlow.id,
    stepId: "send_1",
    customerId: bella.id,
    messageId: bellaMessage.id,
    email: bella.email!,
    dataRequestId: dataRequest.id.toString(),
    quarantineId: parked.id.toString(),
  };
  const aFlow = await prisma().flow.findFirstOrThrow({ where: { shopId: shopA.id, key: "abandoned_checkout" } });
  a = {
    flowId: aFlow.id,
    stepId: "send_1",
    customerId: alma.id,
    messageId: "none",
    email: alma.email!,
    dataRequestId: (await dataRequestOf(shopA.id, alma.id, 45)).id.toString(),
    quarantineId: "none",
  };
});
afterAll(() => resetShopify());

describe("admin routes: session token required, another shop's ids never reach its data", () => {
  it("finds the admin routes, and every parameter and action intent is in this file's tables", () => {
    expect(routes.map((r) => r.file)).toEqual(expect.arrayContaining(["app.tsx", "app._index.tsx", "app.flows.tsx"]));
    const missing: string[] = [];
    for (const r of routes) {
      for (const p of r.params) if (!PARAM_IDS[p]) missing.push(`${r.file}: PARAM_IDS.${p}`);
      const source = fs.readFileSync(path.resolve("app/routes", r.file), "utf8");
      const hasAction = /export\s+(const|async function|function)\s+action\b/.test(source);
      if (hasAction && !ACTION_FORMS[r.file]) missing.push(`${r.file}: ACTION_FORMS entry`);
      const posted = new Set((ACTION_FORMS[r.file] ?? []).map((f) => f.intent));
      for (const intent of intentsIn(source)) if (!posted.has(intent)) missing.push(`${r.file}: a form with intent "${intent}"`);
    }
    for (const file of Object.keys(ACTION_FORMS)) {
      if (!routes.some((r) => r.file === file)) missing.push(`ACTION_FORMS names ${file}, which is not an admin route`);
    }
    expect(missing, "add these to tests/security/admin-auth.db.test.ts").toEqual([]);
  });

  it("finds the intents a route's zod schema names", () => {
    expect(intentsIn(`const X = z.object({ intent: z.literal("retry"), id: z.string() });`)).toEqual(["retry"]);
    expect(
      intentsIn(`z.discriminatedUnion("intent", [z.object({ intent: z.literal("save") }), z.object({ intent: z.literal("rollback") })])`),
    ).toEqual(["save", "rollback"]);
    expect(intentsIn(`z.object({ intent: z.enum(["advance", "halt"]) })`)).toEqual(["advance", "halt"]);
  });

  it("outside demo mode, no session token: every loader and action sends to log in (302 to /auth/login)", async () => {
    const before = await snapshotB();
    let checked = 0;
    await asProductionProcess(async () => {
      for (const r of routes) {
        const mod = await load(r);
        if (mod.loader) {
          // Shopify's embedded auth sends a loader and an action without a token to log in: exactly 302 to /auth/login.
          await expectRefused(`GET ${r.file}`, await call(mod, "GET", new Request(urlOf(r)), paramsFor(r)), [302]);
          checked++;
        }
        if (mod.action) {
          for (const form of formsOf(r)) {
            const req = new Request(urlOf(r), { method: "POST", body: new URLSearchParams(form) });
            await expectRefused(`POST ${r.file} ${JSON.stringify(form)}`, await call(mod, "POST", req, paramsFor(r)), [302]);
            checked++;
          }
        }
      }
    });
    expect(checked).toBeGreaterThanOrEqual(routes.length);
    expect(await snapshotB()).toBe(before);
  });

  it("a session token signed with another secret, or not a token at all: every loader and action answers 401", async () => {
    const { apiKey } = shopifyCredentials(readEnv());
    const { token } = await getJwt(A.replace(/\.myshopify\.com$/, ""), apiKey, "not-the-app-secret");
    const before = await snapshotB();
    for (const bearer of [token, "e30.e30.AAAA"]) {
      const headers = { authorization: `Bearer ${bearer}` };
      for (const demo of [true, false]) {
        const sweep = async () => {
          for (const r of routes) {
            const mod = await load(r);
            const label = `${bearer === token ? "other secret" : "malformed"}, ${demo ? "demo" : "production"}:`;
            if (mod.loader)
              await expectRefused(
                `${label} GET ${r.file}`,
                await call(mod, "GET", new Request(urlOf(r), { headers }), paramsFor(r)),
                [401],
              );
            if (mod.action) {
              for (const form of formsOf(r)) {
                const req = new Request(urlOf(r), { method: "POST", headers, body: new URLSearchParams(form) });
                await expectRefused(`${label} POST ${r.file} ${JSON.stringify(form)}`, await call(mod, "POST", req, paramsFor(r)), [401]);
              }
            }
          }
        };
        if (demo) await sweep();
        else await asProductionProcess(sweep);
      }
    }
    expect(await snapshotB()).toBe(before);
  });

  it("shop A's valid token with B's ids in the path, the query and the forms: nothing of B read or changed", async () => {
    const before = await snapshotB();
    // B's ids in the query too, under the names pages read them by. (Not B's email as a
    // search: the page shows the query back; cross-tenant.db.test.ts checks the search.)
    // table=steps: an export's query is read before its flow (a bad one is 400 whatever the flow).
    const query = `?${new URLSearchParams({ lang: "en", customer: b.customerId, flow: b.flowId, flowId: b.flowId, id: b.dataRequestId, table: "steps" })}`;
    for (const r of routes) {
      const mod = await load(r);
      if (mod.loader) {
        const status = await expectNothingOfB(
          `GET ${r.file}`,
          await call(mod, "GET", await asMerchantOf(A, urlOf(r, query)), paramsFor(r)),
        );
        // A page addressed by B's id is not found; a route without ids shows A's data.
        if (r.params.length) expect(status, `GET ${r.file} with B's ids`).toBe(404);
        else expect(status, `GET ${r.file}`).toBeLessThan(500);
      }
      if (mod.action) {
        for (const raw of ACTION_FORMS[r.file] ?? [{}]) {
          const form = fill(raw, b);
          const req = await asMerchantOf(A, urlOf(r, "?lang=en"), { method: "POST", body: new URLSearchParams(form) });
          const label = `POST ${r.file} ${JSON.stringify(form)}`;
          const status = await expectNothingOfB(label, await call(mod, "POST", req, paramsFor(r)));
          const expected = bStatusOf(r, raw);
          if (expected) expect(expected, `${label} answered ${status}`).toContain(status);
          else expect(status, label).toBeLessThan(500);
        }
      }
    }
    expect(await snapshotB()).toBe(before);
  });

  it("shop A's own ids: every page answers 200 in English and Polish, and shows nothing of B", async () => {
    const before = await snapshotB();
    for (const lang of ["en", "pl"]) {
      for (const r of routes) {
        const mod = await load(r);
        if (!mod.loader) continue;
        // The exports name their table: the shop's report has a flows table, a flow's report a steps one.
        const table = r.file === "app.reports.export.ts" ? "flows" : "steps";
        const query = `?${new URLSearchParams({ lang, period: "90", table })}`;
        const status = await expectNothingOfB(
          `GET ${r.file} (${lang})`,
          await call(mod, "GET", await asMerchantOf(A, urlOf(r, query, a)), paramsFor(r, a)),
        );
        expect(status, `GET ${r.file} (${lang}) with A's ids`).toBe(200);
      }
    }
    expect(await snapshotB()).toBe(before);
  });

  it("the customers page: B's customer by id is not found; by B's email, phone, Shopify id or name, no match", async () => {
    const before = await snapshotB();
    const mod = await load(routes.find((r) => r.file === "app.customers.tsx")!);
    const get = async (query: string) => call(mod, "GET", await asMerchantOf(A, `http://localhost:3000/app/customers${query}`), {});
    expect(await expectNothingOfB("customers?customer=<B's>", await get(`?customer=${bella.id}`))).toBe(404);
    for (const q of [bella.email!, bella.phone!, String(bella.shopifyCustomerId), bella.firstName!]) {
      const found = await get(`?q=${encodeURIComponent(q)}`);
      expect(await expectNothingOfB(`customers?q=${q}`, found, q)).toBe(200); // the page shows the query back
      expect(found).toMatchObject({ view: "matches", matches: [] });
    }
    expect(await snapshotB()).toBe(before);
  });

  it("shop A's own forms change A's rows, never B's; B's customer is no preview subject or test recipient on A's step", async () => {
    const before = await snapshotB();
    const post = async (file: string, form: Record<string, string>, params: Record<string, string> = {}) =>
      call(
        await load(routes.find((r) => r.file === file)!),
        "POST",
        await asMerchantOf(A, "http://localhost:3000/app/x?lang=en", { method: "POST", body: new URLSearchParams(form) }),
        params,
      );
    const aShop = () => prisma().shop.findUniqueOrThrow({ where: { id: shopA.id } });
    const aFlowOf = (key: string) => prisma().flow.findFirstOrThrow({ where: { shopId: shopA.id, key } });

    // The message editor on A's own step.
    const editor = "app.flows_.$flowId.messages.$stepId.tsx";
    const content = JSON.stringify({ en: { subject: "Hijacked", preheader: "", blocks: [{ type: "footer" }] } });
    const aStep = { flowId: a.flowId, stepId: a.stepId };
    const preview = await post(editor, { intent: "preview", content, language: "en", customerId: b.customerId }, aStep);
    expect(await expectNothingOfB("preview as B's customer", preview)).toBe(200);
    const testSend = await post(editor, { intent: "test", content, language: "en", to: b.email }, aStep);
    expect(await expectNothingOfB("test to B's customer", testSend, b.email)).toBe(400);
    // A save built on a version that is not the active one is refused as a conflict, in the merchant's language.
    const stale = await post(editor, { intent: "save", content, baseVersion: "0" }, aStep);
    expect(await expectNothingOfB("stale save of A's step", stale)).toBe(409);
    expect(
      await expectNothingOfB(
        "test send of a template to B's customer",
        await post("app.preview.tsx", { template: "welcome_1", language: "en", to: b.email }),
      ),
    ).toBe(400);

    // Flows: a switch, an edit of A's flow, a staged rollout A's single-version flow cannot start (409).
    expect(await expectNothingOfB("flows toggle", await post("app.flows.tsx", { key: "welcome", on: "true" }))).toBe(200);
    const welcome = await aFlowOf("welcome");
    expect(welcome.status).toBe("on");
    const edit = await post("app.flows_.$flowId._index.tsx", { intent: "save", "wait/wait_2/amount": "72" }, { flowId: welcome.id });
    expect(await expectNothingOfB("flow edit of A's flow", edit)).toBe(200);
    // A's flow is on: the switch to SMS waits for its cost to be confirmed (409), then saves.
    const toSms = { intent: "save", "send/send_2/channel": "sms" };
    const unconfirmed = await post("app.flows_.$flowId._index.tsx", toSms, { flowId: welcome.id });
    expect(await expectNothingOfB("unconfirmed channel switch of A's flow", unconfirmed)).toBe(409);
    const channel = await post("app.flows_.$flowId._index.tsx", { ...toSms, confirmSmsCost: "send_2" }, { flowId: welcome.id });
    expect(await expectNothingOfB("channel switch of A's flow", channel)).toBe(200);
    const switched = await prisma().flowVersion.findFirstOrThrow({ where: { flowId: welcome.id }, orderBy: { version: "desc" } });
    expect((switched.definition as { steps: { id: string; channel?: string }[] }).steps.find((st) => st.id === "send_2")?.channel).toBe(
      "sms",
    );
    const browse = await aFlowOf("browse_abandonment");
    const rollout = await post("app.flows_.$flowId.rollout.tsx", { intent: "start" }, { flowId: browse.id });
    expect(await expectNothingOfB("rollout start of A's flow", rollout)).toBe(409);

    // Settings: A's flow row, quiet hours, the order by increment.
    const flowRow = {
      intent: "flow",
      flowId: welcome.id,
      priority: "77",
      reentryDays: "",
      excludeAfterOrderHours: "24",
      holdoutPercent: "",
    };
    expect(await expectNothingOfB("settings flow row of A", await post("app.settings.tsx", flowRow))).toBe(200);
    expect((await prisma().flow.findUniqueOrThrow({ where: { id: welcome.id } })).priority).toBe(77);
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
    expect((await aShop()).quietHoursStart).toBe(22 * 60);
    expect(await expectNothingOfB("settings order by increment", await post("app.settings.tsx", { intent: "order" }))).toBe(200);

    // Settings -> Sending: A's sender, provider, DKIM and warm-up.
    const sending = "app.settings_.sending.tsx";
    for (const form of <Record<string, string>[]>[
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
      { intent: "warmup", warmup: "save", plan: "custom", firstDay: "30", growth: "1,5", target: "1 000" },
    ]) {
      expect(await expectNothingOfB(`sending ${form.intent}`, await post(sending, form))).toBe(200);
    }
    expect((await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shopA.id } })).warmupPlan).toMatchObject({
      ramp: { firstDay: 30, growth: 1.5, target: 1000 },
    });
    // A's rollout thresholds, from the settings page: A's settings only.
    const thresholds = { intent: "rollout", sendErrors: "0,5", bounces: "2", complaints: "0.3", unsubscribes: "1", clicks: "80" };
    expect(await expectNothingOfB("settings rollout thresholds", await post("app.settings.tsx", thresholds))).toBe(200);
    expect((await aShop()).settings).toMatchObject({ rolloutThresholds: { sendErrors: 0.005, clicks: 0.8 } });
    expect(await aShop()).toMatchObject({ senderName: "A's sender" });
    expect(await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shopA.id } })).toMatchObject({ dkimDomain: "a.example.com" });
    // A new feedback address for A, only with the card's confirmation.
    const generation = async () => (await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shopA.id } })).feedbackGeneration;
    const g = await generation();
    expect(await expectNothingOfB("sending feedback_address unconfirmed", await post(sending, { intent: "feedback_address" }))).toBe(400);
    expect(await generation()).toBe(g);
    const rotate = { intent: "feedback_address", confirm: "yes" };
    expect(await expectNothingOfB("sending feedback_address", await post(sending, rotate))).toBe(200);
    expect(await generation()).toBe(g + 1);
    // Outside the demo, the same button without a session token stops nothing.
    const bare = await outsideDemo(async () =>
      call(
        await load(routes.find((r) => r.file === sending)!),
        "POST",
        new Request("http://localhost:3000/app/settings/sending", {
          method: "POST",
          body: new URLSearchParams({ intent: "warmup", warmup: "stop" }),
        }),
        {},
      ),
    );
    expect([302, 401]).toContain((bare as Response).status);
    expect((await prisma().shopSending.findUniqueOrThrow({ where: { shopId: shopA.id } })).warmupStartDay).not.toBeNull();
    const unsigned = await outsideDemo(async () =>
      call(
        await load(routes.find((r) => r.file === sending)!),
        "POST",
        new Request("http://localhost:3000/app/settings/sending", { method: "POST", body: new URLSearchParams(rotate) }),
        {},
      ),
    );
    expect([302, 401]).toContain((unsigned as Response).status);
    expect(await generation()).toBe(g + 1);

    expect(await prisma().shopSending.count({ where: { shopId: shopB.id } })).toBe(0);
    expect(await snapshotB()).toBe(before);
  });
});
