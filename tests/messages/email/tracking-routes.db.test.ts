// Click and open tracking routes: signed redirects only to the signed destination,
// and opens from machines (Apple Mail Privacy Protection, scanners) marked unreliable.
process.env.SHOPIFY_APP_URL = "https://app.flowmate.test";

import { beforeAll, describe, expect, it } from "vitest";
import type { Customer, Message, Shop } from "@prisma/client";
import * as clickRoute from "~/routes/t.c.$token";
import * as openRoute from "~/routes/t.o.$token";
import { composeEmail } from "~/server/channels/email/compose-email.server";
import { signToken } from "~/server/security/signed-token.server";
import { useTestDatabase } from "../../support/db";
import { callRoute } from "../../support/http";
import { createCustomer, createShop, enqueueEmail } from "./support/fixtures";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

const CHROME = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const APPLE_MAIL_PROXY = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
const THUNDERBIRD = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.0";
const DESTINATION =
  "https://kawa.example.com/products/kenya?utm_source=flowmate&utm_medium=email&utm_campaign=winback&utm_content=winback_1";

let shop: Shop;
let customer: Customer;
let message: Message;

beforeAll(async () => {
  shop = await createShop(prisma());
  customer = await createCustomer(prisma(), shop.id);
  message = await enqueueEmail(prisma(), shop.id, customer, { status: "sent", sentAt: new Date(Date.now() - 10 * 60_000) });
});

const claims = () => ({ shopId: shop.id, customerId: customer.id, messageId: message.id });
const click = (token: string, ua = CHROME, query = "") =>
  callRoute(clickRoute.loader, new Request(`https://app.flowmate.test/t/c/${token}${query}`, { headers: { "user-agent": ua } }), { token });
const open = (token: string, ua: string) =>
  callRoute(openRoute.loader, new Request(`https://app.flowmate.test/t/o/${token}`, { headers: { "user-agent": ua } }), { token });
const events = (type: string) => prisma().messageEvent.findMany({ where: { messageId: message.id, type }, orderBy: { id: "asc" } });
const lastEngaged = async () => (await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).lastEngagedAt;

describe("click tracking /t/c/:token", () => {
  it("redirects to the signed destination with its UTM tags and records a reliable click", async () => {
    const res = await click(signToken("click", { ...claims(), url: DESTINATION }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(DESTINATION);
    expect(await events("clicked")).toMatchObject([{ reliable: true, url: DESTINATION, shopId: shop.id }]);
    expect(await lastEngaged()).toBeInstanceOf(Date);
  });

  it("follows a link exactly as the dispatcher wrote it into an email", async () => {
    const { mail } = await composeEmail(message, shop, customer, { flowKey: "abandoned_checkout" });
    const tracked = /href="(https:\/\/app\.flowmate\.test\/t\/c\/([^"]+))"[^>]*>\s*Complete my order/.exec(mail.html)!;
    const res = await click(tracked[2]!);
    const location = new URL(res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe("https://kawa.example.com/checkouts/c1/recover");
    expect(location.searchParams.get("utm_campaign")).toBe("abandoned_checkout");
    expect(location.searchParams.get("utm_content")).toBe("abandoned_checkout_1");
  });

  it("answers 400 without a redirect for a tampered token, a rewritten destination or another purpose's token", async () => {
    const before = (await events("clicked")).length;
    const token = signToken("click", { ...claims(), url: DESTINATION });
    const [body, mac] = token.split(".") as [string, string];
    const flipped = `${body}.${mac.slice(0, -2)}${mac.endsWith("AA") ? "BB" : "AA"}`;
    const evilBody = Buffer.from(JSON.stringify({ ...claims(), url: "https://evil.example.com/" })).toString("base64url");
    const cases = [
      flipped,
      `${evilBody}.${mac}`,
      signToken("open", { ...claims(), url: DESTINATION }),
      "garbage",
      signToken("click", { ...claims(), url: "javascript:alert(1)" }),
    ];
    for (const bad of cases) {
      const res = await click(bad);
      expect(res.status, bad).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
    expect(await events("clicked")).toHaveLength(before);
  });

  it("never takes the destination from the query string", async () => {
    const res = await click(
      signToken("click", { ...claims(), url: DESTINATION }),
      CHROME,
      "?url=https://evil.example.com&redirect=https://evil.example.com",
    );
    expect(res.headers.get("location")).toBe(DESTINATION);
  });

  it("still redirects a link scanner, but records its click as unreliable and not as engagement", async () => {
    await prisma().customer.update({ where: { id: customer.id }, data: { lastEngagedAt: null } });
    const res = await click(signToken("click", { ...claims(), url: DESTINATION }), "Mimecast");
    expect(res.status).toBe(302);
    expect((await events("clicked")).at(-1)).toMatchObject({ reliable: false, data: { machine: "bot_user_agent" } });
    expect(await lastEngaged()).toBeNull();
  });
});

describe("open pixel /t/o/:token", () => {
  it("records an Apple Mail Privacy Protection fetch as an unreliable open and answers a GIF", async () => {
    await prisma().customer.update({ where: { id: customer.id }, data: { lastEngagedAt: null } });
    const res = await open(signToken("open", claims()), APPLE_MAIL_PROXY);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/gif");
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe("GIF89a");
    expect(await events("opened")).toMatchObject([{ reliable: false, data: { machine: "apple_mail_privacy_proxy" } }]);
    expect(await lastEngaged()).toBeNull();
  });

  it("records a mail client's open as reliable engagement, but not one within two seconds of sending", async () => {
    await open(signToken("open", claims()), THUNDERBIRD);
    expect((await events("opened")).at(-1)).toMatchObject({ reliable: true });
    expect(await lastEngaged()).toBeInstanceOf(Date);

    const fresh = await enqueueEmail(prisma(), shop.id, customer, { status: "sent", sentAt: new Date() });
    await open(signToken("open", { ...claims(), messageId: fresh.id }), THUNDERBIRD);
    expect(await prisma().messageEvent.findMany({ where: { messageId: fresh.id } })).toMatchObject([
      { type: "opened", reliable: false, data: { machine: "too_soon_after_send" } },
    ]);
  });

  it("answers the GIF for a bad token or another shop's message, and records nothing", async () => {
    const before = await prisma().messageEvent.count();
    const other = await createShop(prisma());
    for (const token of ["nonsense", signToken("click", claims()), signToken("open", { ...claims(), shopId: other.id })]) {
      const res = await open(token, THUNDERBIRD);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/gif");
    }
    expect(await prisma().messageEvent.count()).toBe(before);
  });
});
