// Issue 14, finding 6: the public link endpoints had no rate limits and every click
// on one link wrote a row. Each public endpoint now has a per-address and a per-token
// bucket answered with 429 + Retry-After, and clicks on one link within 30 s are one
// row (the shopper is still redirected every time). Time is the app's fake clock.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as confirm from "~/routes/confirm.$token";
import * as preferences from "~/routes/preferences.$token";
import * as shortLink from "~/routes/s.$code";
import * as smsInbound from "~/routes/sms.inbound";
import * as click from "~/routes/t.c.$token";
import * as open from "~/routes/t.o.$token";
import * as unsubscribe from "~/routes/u.$token";
import { advanceClock, resetClock, setClock } from "~/server/clock.server";
import { clientIp, proxiedVisitorIp, limitPublicRequest, resetPublicLimits } from "~/server/http/public-limits.server";
import { signToken } from "~/server/security/signed-token.server";
import type { RouteModule } from "../support/http";
import { useTestDatabase } from "../support/db";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
const T0 = new Date("2026-11-24T10:00:00Z");

type Call = { route: RouteModule; method: "GET" | "POST"; path: (token: string) => string; param: string };
const ENDPOINTS: Record<string, Call> = {
  "/u": { route: unsubscribe, method: "GET", path: (t) => `/u/${t}`, param: "token" },
  "/u (POST)": { route: unsubscribe, method: "POST", path: (t) => `/u/${t}`, param: "token" },
  "/preferences": { route: preferences, method: "GET", path: (t) => `/preferences/${t}`, param: "token" },
  "/t/c": { route: click, method: "GET", path: (t) => `/t/c/${t}`, param: "token" },
  "/t/o": { route: open, method: "GET", path: (t) => `/t/o/${t}`, param: "token" },
  "/s": { route: shortLink, method: "GET", path: (t) => `/s/${t}`, param: "code" },
  "/confirm": { route: confirm, method: "GET", path: (t) => `/confirm/${t}`, param: "token" },
  "/sms/inbound": { route: smsInbound, method: "POST", path: () => `/sms/inbound`, param: "token" },
};

async function call(c: Call, token: string, ip: string, headers: Record<string, string> = {}): Promise<Response> {
  const handler = c.method === "GET" ? c.route.loader! : c.route.action!;
  const request = new Request(`http://localhost${c.path(token)}`, {
    method: c.method,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: c.method === "POST" ? "List-Unsubscribe=One-Click" : undefined,
  });
  try {
    return (await handler({ request, params: { [c.param]: token }, context: { remoteAddress: ip } })) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Calls until the first 429 (or `max` calls); returns how many got through and the 429. */
async function hammer(next: (i: number) => Promise<Response>, max = 2000) {
  for (let i = 0; i < max; i++) {
    const res = await next(i);
    if (res.status === 429) return { passed: i, refused: res };
  }
  return { passed: max, refused: null };
}

let shopId: string;
let customerId: string;
let messageId: string;

beforeAll(async () => {
  setClock(T0);
  shopId = (await prisma().shop.create({ data: { domain: "limits.myshopify.com", name: "Limits", primaryDomain: "kawa.example.com" } })).id;
  customerId = (await prisma().customer.create({ data: { shopId, email: "lim@example.com", emailConsentState: "subscribed" } })).id;
  messageId = (
    await prisma().message.create({
      data: {
        shopId,
        customerId,
        channel: "email",
        idempotencyKey: "m-limits",
        status: "sent",
        toAddress: "lim@example.com",
        templateKey: "abandoned_checkout_1",
        sentAt: new Date(T0.getTime() - 3_600_000),
      },
    })
  ).id;
});
afterEach(() => {
  resetPublicLimits();
  vi.unstubAllEnvs();
  setClock(T0);
});

describe("per-address limits on every public endpoint", () => {
  it.each(Object.keys(ENDPOINTS))(
    "%s: one address with ever new tokens gets 429 with Retry-After, another address does not",
    async (name) => {
      const c = ENDPOINTS[name]!;
      const { passed, refused } = await hammer((i) => call(c, `tok${i}`, "203.0.113.7"));
      expect(refused, `${name} never refused`).not.toBeNull();
      expect(passed).toBeGreaterThanOrEqual(20); // a person never gets near it
      expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await call(c, "fresh-token", "198.51.100.9")).status).not.toBe(429);
    },
  );
});

describe("per-token limits", () => {
  it.each(Object.keys(ENDPOINTS).filter((n) => n !== "/sms/inbound"))(
    "%s: one token from ever new addresses gets 429, then is served again after Retry-After",
    async (name) => {
      const c = ENDPOINTS[name]!;
      const { passed, refused } = await hammer((i) => call(c, "the-same-token", `10.0.${Math.floor(i / 250)}.${i % 250}`));
      expect(refused, `${name} never refused`).not.toBeNull();
      expect(passed).toBeGreaterThanOrEqual(10);
      const wait = Number(refused!.headers.get("retry-after"));
      advanceClock(wait * 1000 - 1000);
      expect((await call(c, "the-same-token", "192.0.2.200")).status).toBe(429);
      advanceClock(1000);
      expect((await call(c, "the-same-token", "192.0.2.201")).status).not.toBe(429);
    },
  );

  it("an inbound SMS sender is never limited by its own number (a STOP always gets through)", async () => {
    const { refused } = await hammer(() => call(ENDPOINTS["/sms/inbound"]!, "", "203.0.113.50"), 300);
    expect(refused).toBeNull();
  });
});

describe("the client's address", () => {
  const req = (xff?: string) => new Request("http://localhost/u/x", { headers: xff ? { "x-forwarded-for": xff } : {} });
  it("ignores X-Forwarded-For unless TRUST_PROXY says how many proxies stand in front", () => {
    expect(clientIp(req("1.2.3.4"), { remoteAddress: "10.0.0.1" })).toBe("10.0.0.1");
    vi.stubEnv("TRUST_PROXY", "1");
    // The load balancer appended the address it saw; what the client wrote to the left is not trusted.
    expect(clientIp(req("6.6.6.6, 1.2.3.4"), { remoteAddress: "10.0.0.1" })).toBe("1.2.3.4");
    expect(clientIp(req(), { remoteAddress: "10.0.0.1" })).toBe("10.0.0.1");
    vi.stubEnv("TRUST_PROXY", "2");
    expect(clientIp(req("6.6.6.6, 1.2.3.4, 10.0.0.2"), { remoteAddress: "10.0.0.1" })).toBe("1.2.3.4");
  });

  it("the app proxy's visitor is the address Shopify's proxy appended, one hop left of ours", () => {
    expect(proxiedVisitorIp(req("6.6.6.6, 1.2.3.4"), { remoteAddress: "23.227.38.1" })).toBe("1.2.3.4");
    expect(proxiedVisitorIp(req(), { remoteAddress: "23.227.38.1" })).toBeNull();
    vi.stubEnv("TRUST_PROXY", "1");
    expect(proxiedVisitorIp(req("6.6.6.6, 1.2.3.4, 23.227.38.1"), { remoteAddress: "10.0.0.1" })).toBe("1.2.3.4");
  });

  it("a client cannot escape its bucket by writing X-Forwarded-For when no proxy is trusted", async () => {
    const c = ENDPOINTS["/u"]!;
    const { refused } = await hammer((i) => call(c, `t${i}`, "203.0.113.9", { "x-forwarded-for": `192.0.2.${i % 250}` }));
    expect(refused).not.toBeNull();
  });

  it("limits a request in process memory without touching the database", () => {
    const r = new Request("http://localhost/t/o/x");
    expect(limitPublicRequest("open", r, { remoteAddress: "192.0.2.1" }, "x")).toBeNull();
  });
});

describe("clicks on one link", () => {
  const url = "https://kawa.example.com/products/mug";
  const token = () => signToken("click", { shopId, customerId, messageId, url });
  const clicks = () => prisma().messageEvent.count({ where: { shopId, messageId, type: "clicked" } });

  it("within 30 s are one row, and every click is still redirected", async () => {
    setClock(new Date("2026-11-24T10:00:00.000Z"));
    for (let i = 0; i < 5; i++) {
      const res = await call(ENDPOINTS["/t/c"]!, token(), `192.0.2.${i}`);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(url);
      advanceClock(5_000); // 0, 5, 10, 15, 20 s
    }
    expect(await clicks()).toBe(1);
    setClock(new Date("2026-11-24T10:00:31.000Z"));
    expect((await call(ENDPOINTS["/t/c"]!, token(), "192.0.2.99")).status).toBe(302);
    expect(await clicks()).toBe(2);
    // Another link of the same message is its own click.
    const other = signToken("click", { shopId, customerId, messageId, url: "https://kawa.example.com/cart" });
    expect((await call(ENDPOINTS["/t/c"]!, other, "192.0.2.98")).status).toBe(302);
    expect(await clicks()).toBe(3);
  });

  it("racing requests for the same link in the same slot still write one row", async () => {
    setClock(new Date("2026-11-24T11:00:00.000Z"));
    const before = await clicks();
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => call(ENDPOINTS["/t/c"]!, token(), `198.51.100.${i}`)));
    expect(all.map((r) => r.status)).toEqual(Array(12).fill(302));
    expect(await clicks()).toBe(before + 1);
  });
});

afterAll(() => resetClock());
