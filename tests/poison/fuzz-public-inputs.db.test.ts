import crypto from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as pixelAction } from "~/routes/api.pixel.events";
import * as ordersCreate from "~/routes/webhooks.orders.create";
import * as customersUpdate from "~/routes/webhooks.customers.update";
import { action as proxySubscribe } from "~/routes/proxy.subscribe";
import { action as smsInbound } from "~/routes/sms.inbound";
import { action as feedbackAction } from "~/routes/feedback.$token";
import { loader as clickLoader } from "~/routes/t.c.$token";
import { loader as unsubscribeLoader } from "~/routes/u.$token";
import { twilioSignature } from "~/server/channels/sms/twilio-signature.server";
import { feedbackHeaderToken, feedbackInboxToken } from "~/server/security/feedback-tokens.server";
import { signToken, verifyToken } from "~/server/security/signed-token.server";
import { startWorker } from "~/server/worker/worker.server";
import { signedAppProxyQuery } from "../../demo/storefront/proxy.server";
import { toWireEvent } from "../../extensions/web-pixel/src/wire";
import { productViewedEvent } from "../web-pixel/fixtures";
import * as adminApiStandin from "../../demo/routes/admin-api-graphql";
import { useTestDatabase } from "../support/db";
import { callRoute, serveRoutes } from "../support/http";
import { apiSecret, webhookRequest } from "../support/shopify";
import { runTaskUntilIdle } from "./support";

// Property-based fuzzing of every public parser (fast-check), through the real route
// modules with real signatures: no crash, no 5xx, no row from a rejected request, and
// afterwards every worker task still drains with nothing set aside unexpectedly.
// numRuns keep the file well under a minute on CI.
const SHOP = "fuzz.myshopify.com";
const SID = "AC" + "0".repeat(32);
const TOKEN = "fuzz-twilio-token";
const SHOP_NUMBER = "+48732100100";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;
let adminApi: Awaited<ReturnType<typeof serveRoutes>>;
const saved = { ...process.env };

beforeAll(async () => {
  // The shop's catalogue backfill and consent write-back talk to the Admin API stand-in.
  adminApi = await serveRoutes({ "/dev/shopify/:shop/admin/api/:version/graphql.json": adminApiStandin });
  Object.assign(process.env, {
    LOG_LEVEL: "silent",
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    SMS_API_BASE_URL: "http://127.0.0.1:9",
    SHOPIFY_ADMIN_API_ORIGIN: `${adminApi.url}/dev/shopify`,
  });
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Fuzz", settings: { sms: { fromNumber: SHOP_NUMBER } } } })).id;
  await prisma().session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "s", isOnline: false, accessToken: "shpat_fuzz" } });
});
afterAll(async () => {
  await adminApi?.close();
  for (const k of ["LOG_LEVEL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SMS_API_BASE_URL", "SHOPIFY_ADMIN_API_ORIGIN"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** Rows the public endpoints could write, counted before and after a rejected request. */
async function rowCounts() {
  const [inbox, deliveries, customers, consent, events, messageEvents, suppressions] = await Promise.all([
    prisma().pixelInbox.count(),
    prisma().webhookDelivery.count({ where: { status: { not: "rejected" } } }),
    prisma().customer.count(),
    prisma().consentRecord.count(),
    prisma().event.count(),
    prisma().messageEvent.count(),
    prisma().suppression.count(),
  ]);
  return { inbox, deliveries, customers, consent, events, messageEvents, suppressions };
}

/** Nested arrays and objects `depth` deep, built as text (a JSON value this deep cannot be stringified). */
const deepText = fc
  .record({ depth: fc.integer({ min: 1, max: 6000 }), objects: fc.boolean() })
  .map(({ depth, objects }) => (objects ? '{"a":'.repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth)));

const anyJsonText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  deepText,
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
);

function fuzzEvent() {
  const valid = toWireEvent(productViewedEvent);
  const field = <T>(ok: T) => fc.oneof({ weight: 3, arbitrary: fc.constant(ok) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });
  return fc.record({
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 200 })),
    name: field(valid.name),
    timestamp: field(valid.timestamp),
    clientId: fc.oneof(fc.uuid(), fc.string({ maxLength: 200 })),
    context: field(valid.context),
    data: fc.oneof(field(valid.data), fc.constant("__DEEP__")),
  });
}

const pixelBody = fc.oneof(
  anyJsonText,
  fc
    .record({
      shop: fc.oneof(fc.constant(SHOP), fc.string({ maxLength: 60 })),
      v: fc.oneof(fc.constant(1), fc.jsonValue({ maxDepth: 1 })),
      events: fc.array(fuzzEvent(), { minLength: 0, maxLength: 120 }),
      depth: fc.integer({ min: 1, max: 9000 }),
    })
    .map(({ depth, ...batch }) => JSON.stringify(batch).replaceAll('"__DEEP__"', "[".repeat(depth) + "]".repeat(depth))),
);

describe("fuzzing the public parsers", () => {
  it("pixel endpoint: never a 5xx; a rejected body writes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(pixelBody, async (body) => {
        const before = await rowCounts();
        const res = await pixelAction({
          request: new Request("http://localhost/api/pixel/events", { method: "POST", body, headers: { origin: `https://${SHOP}` } }),
          params: {},
          context: {},
        });
        expect(res.status).toBeLessThan(500);
        if (res.status !== 202) expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("webhook receiver with real HMAC signatures over the fuzzed body: never a 5xx; a rejected one stores no payload", async () => {
    const orderLike = fc
      .record({ id: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 63n }), fc.jsonValue()), name: fc.jsonValue(), email: fc.jsonValue() })
      .map((o) => JSON.stringify(o, (_, v: unknown) => (typeof v === "bigint" ? `@@${v}@@` : v)).replace(/"@@(\d+)@@"/g, "$1"));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJsonText.filter((t) => !/^\[{1000}|^(\{"a":){1000}/.test(t)),
          orderLike,
        ),
        fc.boolean(),
        async (body, orders) => {
          const before = await rowCounts();
          const topic = orders ? "orders/create" : "customers/update";
          const route = orders ? ordersCreate : customersUpdate;
          const res = await callRoute(route.action, webhookRequest({ topic, shop: SHOP, body }));
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(await rowCounts()).toEqual(before);
          }
        },
      ),
      { numRuns: 120 },
    );
    // Rejected deliveries are recorded for the developer, never with their body.
    const rejected = await prisma().webhookDelivery.findMany({ where: { status: "rejected" }, select: { payload: true } });
    expect(rejected.every((r) => r.payload === null)).toBe(true);
  }, 60_000);

  it("app proxy with valid proxy signatures: never a 5xx; a rejected signup writes no customer or consent", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyJsonText,
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded"),
        async (body, type) => {
          const before = await rowCounts();
          const query = signedAppProxyQuery(new URLSearchParams(), { shop: SHOP, secret: apiSecret() });
          const res = await callRoute(
            proxySubscribe,
            new Request(`http://localhost/proxy/subscribe?${query}`, { method: "POST", body, headers: { "content-type": type } }),
          );
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(await rowCounts()).toEqual(before);
        },
      ),
      { numRuns: 120 },
    );
  }, 60_000);

  it("SMS inbound with valid Twilio signatures: never a 5xx; a rejected form changes nothing", async () => {
    const fields = fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 300 }), { maxKeys: 40 });
    const wide = fc.integer({ min: 90, max: 3000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`F${i}`, "x"])));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fields, wide),
        fc.constantFrom("STOP", "START", "HELP", "stop please", ""),
        fc.oneof(fc.constant("+48601000001"), fc.string({ maxLength: 40 })),
        fc.oneof(fc.constant(0), fc.integer({ min: 4000, max: 70_000 })),
        async (extra, keyword, from, longBody) => {
          const before = await rowCounts();
          const url = "http://localhost:3000/sms/inbound";
          const form = new URLSearchParams({
            ...extra,
            AccountSid: SID,
            To: SHOP_NUMBER,
            From: from,
            Body: keyword + "x".repeat(longBody),
          });
          const res = await callRoute(
            smsInbound,
            new Request(url, {
              method: "POST",
              body: form.toString(),
              headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(TOKEN, url, form) },
            }),
          );
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect(await rowCounts()).toEqual(before);
        },
      ),
      { numRuns: 100 },
    );
  }, 60_000);

  it("signed-token parsers: any string is refused without a throw, and the link routes answer 4xx and record nothing", async () => {
    const real = signToken("click", { shopId, customerId: "c1", messageId: "m1", url: "https://fuzz.example/p" });
    const tokenish = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ minLength: 8000, maxLength: 20_000 }),
      fc.base64String({ maxLength: 400 }).map((s) => `${s.replace(/=/g, "")}.${s.slice(0, 43)}`),
      // The real token, one character changed.
      fc
        .nat({ max: real.length - 1 })
        .chain((i) =>
          fc.string({ minLength: 1, maxLength: 1 }).map((c) => real.slice(0, i) + (real[i] === c ? "A" : c) + real.slice(i + 1)),
        ),
    );
    fc.assert(
      fc.property(
        tokenish,
        fc.constantFrom("click", "unsubscribe", "open", "preferences", "confirm_optin", "sms_link"),
        (token, purpose) => {
          const v = verifyToken(purpose, token);
          if (token !== real) expect(v.ok).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
    await fc.assert(
      fc.asyncProperty(tokenish, async (token) => {
        const before = await rowCounts();
        const request = new Request(`http://localhost/t/c/${encodeURIComponent(token)}`);
        for (const loader of [clickLoader, unsubscribeLoader]) {
          const res = await callRoute(loader, request, { token });
          expect(res.status).toBeLessThan(500);
          expect(res.status).toBeGreaterThanOrEqual(400);
        }
        expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it("feedback reports: any body, well-formed or not, nested deep or not, is never a 5xx and writes nothing without a sent message", async () => {
    const real = feedbackHeaderToken({ shopId, customerId: "c1", messageId: "m1" });
    const header = fc.oneof(
      fc.constant(real),
      fc.nat({ max: real.length - 1 }).map((i) => real.slice(0, i) + (real[i] === "A" ? "B" : "A") + real.slice(i + 1)),
      fc.string({ maxLength: 300 }),
    );
    const fields = fc.array(
      fc.tuple(
        fc.constantFrom("Feedback-Type", "Action", "Status", "User-Agent", "Final-Recipient", "X-Junk"),
        fc.oneof(fc.constantFrom("abuse", "failed", "5.1.1", "4.4.1", "delayed", "not-spam"), fc.string({ maxLength: 80 })),
      ),
      { maxLength: 8 },
    );
    const report = fc
      .record({
        reportType: fc.constantFrom("feedback-report", "delivery-status", "", "x"),
        partType: fc.constantFrom("message/feedback-report", "message/delivery-status", "text/plain", "message/rfc822"),
        originalType: fc.constantFrom("message/rfc822", "text/rfc822-headers", "message/global", "application/x"),
        fields,
        header,
        depth: fc.integer({ min: 0, max: 300 }),
        tail: fc.string({ maxLength: 200 }),
      })
      .map(({ reportType, partType, originalType, fields, header, depth, tail }) => {
        const b = "b0";
        const body = [
          `Content-Type: multipart/report; report-type=${reportType}; boundary="${b}"`,
          "",
          `--${b}`,
          `Content-Type: ${partType}`,
          "",
          ...fields.map(([k, v]) => `${k}: ${v}`),
          "",
          `--${b}`,
          `Content-Type: ${originalType}`,
          "",
          `X-Flowmate-Message: ${header}`,
          "Subject: hi",
          "",
          tail,
          `--${b}--`,
        ].join("\r\n");
        // Multiparts nested `depth` deep around the report.
        let out = body;
        for (let i = 0; i < depth; i++) out = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${out}\r\n--n${i}--`;
        return out;
      });
    const bodies = fc.oneof(
      report,
      fc.string({ maxLength: 500 }),
      fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
    );
    const inbox = feedbackInboxToken(shopId);
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = await rowCounts();
        const res = await callRoute(
          feedbackAction,
          new Request(`http://localhost/feedback/${inbox}`, {
            method: "POST",
            body: typeof body === "string" ? body : new Uint8Array(body),
            headers: { "content-type": "message/rfc822" },
          }),
          { token: inbox },
        );
        expect(res.status).toBeLessThan(500);
        expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it("afterwards every worker task drains, and nothing is set aside", async () => {
    const worker = startWorker({ idleMs: 60_000, id: `fuzz-${crypto.randomBytes(2).toString("hex")}` });
    try {
      // The worker's own loops run beside the drain, and its sweeps fall due as time
      // passes: drained again until one whole drain finds nothing (bounded), and no drain throws.
      let found = -1;
      for (let i = 0; i < 10 && found !== 0; i++) found = await worker.drain({ throwOnError: true });
      expect(found).toBe(0);
      for (const s of worker.stats()) expect(s, s.name).toMatchObject({ consecutiveFailures: 0 });
    } finally {
      await worker.stop();
    }
    // The worker's loops ran beside its drain, so work one of them finished after the
    // drain's last look may have queued more: every task again, one by one, bounded.
    for (const name of ["webhooks", "pixel-inbox", "event-router", "journey-steps", "outbox", "consent-write-back"])
      await runTaskUntilIdle(name);
    expect(await prisma().pixelInbox.count()).toBe(0);
    expect(await prisma().event.count({ where: { routedAt: null } })).toBe(0);
    expect(await prisma().quarantine.count({ where: { quarantinedAt: { not: null } } })).toBe(0);
  }, 60_000);
});
