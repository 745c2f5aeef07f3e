import type { Customer } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { subscribeFromForm } from "~/server/compliance/signup.server";
import { unsubscribe } from "~/server/compliance/unsubscribe.server";
import { processWebhookBatch } from "~/server/ingestion/webhook-processor.server";
import { mergeProfiles } from "~/server/profiles/identity.server";
import { useTestDatabase } from "../support/db";
import { untilLockWaiters, whileHolding } from "../support/lock-waits";
import { deliver } from "../support/webhooks";

// Two writers of one customer's consent at the same moment: the newer must win
// whichever commits last. A third session holds the customer's row so both writers
// read it first and then queue for it, the newer one ahead: it commits first and the
// older one, deciding from what it read before, would overwrite it.
// Concurrency needs a server; PGlite has one connection.

const SHOP = "consent-race.myshopify.com";
const getDb = useTestDatabase();
const prisma = () => getDb().prisma;
let shopId: string;

const T0 = new Date("2026-11-01T08:00:00Z");
const OLDER = "2026-11-10T08:00:00Z";
const NEWER = new Date("2026-11-15T08:00:00Z");

beforeAll(async () => {
  shopId = (await prisma().shop.create({ data: { domain: SHOP, name: "Consent race" } })).id;
});

async function subscribedCustomer(n: number): Promise<Customer> {
  return prisma().customer.create({
    data: {
      shopId,
      shopifyCustomerId: BigInt(8_100_000 + n),
      email: `race${n}@example.com`,
      emailConsentState: "subscribed",
      emailOptInLevel: "single_opt_in",
      emailConsentSource: "shopify",
      emailConsentUpdatedAt: T0,
    },
  });
}

async function deliverEmailConsent(c: Customer, state: string, consentUpdatedAt: string, webhookId: string): Promise<void> {
  const res = await deliver(
    SHOP,
    "customers_email_marketing_consent/update",
    {
      customer_id: Number(c.shopifyCustomerId),
      email_address: c.email,
      email_marketing_consent: { state, opt_in_level: "single_opt_in", consent_updated_at: consentUpdatedAt },
    },
    { webhookId },
  );
  expect(res.status).toBe(200);
}

/**
 * Runs `newer` until it waits on the held customer row, then `older` until it waits
 * too (or, when it takes no lock, until it has finished), then lets them go.
 */
function newerQueuedFirst<A, B>(
  customerId: string,
  newer: () => Promise<A>,
  older: () => Promise<B>,
  mode: "FOR UPDATE" | "FOR NO KEY UPDATE" = "FOR UPDATE",
): Promise<[A, B]> {
  let second: Promise<B> | undefined;
  let started!: () => void;
  const olderStarted = new Promise<void>((r) => (started = r));
  return whileHolding(
    getDb(),
    (tx) => tx.$queryRawUnsafe(`SELECT id FROM "Customer" WHERE id = $1 ${mode}`, customerId),
    async () => {
      const first = newer();
      first.catch(() => undefined);
      await untilLockWaiters(getDb(), 1);
      second = older();
      second.catch(() => undefined);
      started();
      return Promise.all([first, second]);
    },
    async () => {
      await olderStarted;
      await Promise.race([
        untilLockWaiters(getDb(), 2),
        second!.then(
          () => undefined,
          () => undefined,
        ),
      ]);
    },
  );
}

describe.skipIf(!process.env.DATABASE_URL)("concurrent consent writers", () => {
  it("a stale 'subscribed' webhook processed during the shopper's unsubscribe click does not undo it", { timeout: 60_000 }, async () => {
    const c = await subscribedCustomer(1);
    await deliverEmailConsent(c, "subscribed", OLDER, "wh-race-stale-1");
    const [unsub, worker] = await newerQueuedFirst(
      c.id,
      () => unsubscribe({ shopId, customerId: c.id, channels: ["email"], source: "unsubscribe_link", at: NEWER }),
      () => processWebhookBatch("w-stale", 1),
    );
    expect(unsub.changed).toEqual(["email"]);
    expect(worker.processed).toBe(1);
    const after = await prisma().customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.emailConsentState).toBe("unsubscribed");
    expect(after.emailConsentUpdatedAt).toEqual(NEWER);
  });

  it(
    "two consent webhooks in two workers: the newer withdrawal wins over the older subscription committed after it",
    { timeout: 60_000 },
    async () => {
      const c = await subscribedCustomer(2);
      await deliverEmailConsent(c, "unsubscribed", NEWER.toISOString(), "wh-race-newer-2");
      await deliverEmailConsent(c, "subscribed", OLDER, "wh-race-older-2");
      // Each worker claims one delivery, oldest received first: w1 the withdrawal.
      const [w1, w2] = await newerQueuedFirst(
        c.id,
        () => processWebhookBatch("w1", 1),
        () => processWebhookBatch("w2", 1),
      );
      expect([w1.processed, w2.processed]).toEqual([1, 1]);
      const after = await prisma().customer.findUniqueOrThrow({ where: { id: c.id } });
      expect(after.emailConsentState).toBe("unsubscribed");
      expect(after.emailConsentUpdatedAt).toEqual(NEWER);
      const history = await prisma().consentRecord.findMany({ where: { customerId: c.id, channel: "email" }, orderBy: { id: "asc" } });
      // Both are in the history; only the withdrawal was applied.
      expect(history.map((r) => [r.state, (r.evidence as { applied?: boolean } | null)?.applied])).toEqual([
        ["unsubscribed", true],
        ["subscribed", false],
      ]);
    },
  );

  it(
    "a profile merge does not put the other profile's older subscription back over an unsubscribe committed while it ran",
    { timeout: 60_000 },
    async () => {
      const survivor = await subscribedCustomer(3);
      // The form subscriber's profile, subscribed after the survivor was: its consent would win the merge.
      const loser = await prisma().customer.create({
        data: {
          shopId,
          email: "race3-form@example.com",
          emailConsentState: "subscribed",
          emailOptInLevel: "confirmed_opt_in",
          emailConsentSource: "signup_form",
          emailConsentUpdatedAt: new Date(OLDER),
        },
      });
      const [unsub] = await newerQueuedFirst(
        survivor.id,
        () => unsubscribe({ shopId, customerId: survivor.id, channels: ["email"], source: "unsubscribe_link", at: NEWER }),
        // The copies a merge gets were read before the unsubscribe committed.
        () => prisma().$transaction((tx) => mergeProfiles(tx, survivor, loser, NEWER)),
      );
      expect(unsub.changed).toEqual(["email"]);
      const after = await prisma().customer.findUniqueOrThrow({ where: { id: survivor.id } });
      expect(after.emailConsentState).toBe("unsubscribed");
      expect(after.emailConsentUpdatedAt).toEqual(NEWER);
      expect((await prisma().customer.findUniqueOrThrow({ where: { id: loser.id } })).mergedIntoId).toBe(survivor.id);
    },
  );

  it(
    "a signup form submitted while an unsubscribe commits subscribes the shopper again: it decides on the consent as it now stands",
    { timeout: 60_000 },
    async () => {
      // With a locale already, the signup writes nothing to the row before it decides.
      const c = await prisma().customer.update({ where: { id: (await subscribedCustomer(4)).id }, data: { locale: "en" } });
      const shop = await prisma().shop.findUniqueOrThrow({ where: { id: shopId } });
      const [, signup] = await newerQueuedFirst(
        c.id,
        () => unsubscribe({ shopId, customerId: c.id, channels: ["email"], source: "unsubscribe_link", at: NEWER }),
        // The form is the shopper's later word; read before the unsubscribe committed, the
        // profile still looked subscribed and the signup changed nothing.
        () =>
          subscribeFromForm(
            shop,
            { email: c.email!, emailConsent: true, smsConsent: false, source: "signup_popup", locale: "en" },
            new Date(NEWER.getTime() + 60_000),
          ),
        // The lock an unsubscribe's UPDATE holds: the signup's reads and its event's
        // foreign-key check pass it, so only a lock taken to decide makes the signup wait.
        "FOR NO KEY UPDATE",
      );
      expect(signup).toMatchObject({ ok: true, customerId: c.id });
      const after = await prisma().customer.findUniqueOrThrow({ where: { id: c.id } });
      expect(after.emailConsentState).toBe("subscribed");
      expect(after.emailConsentUpdatedAt!.getTime()).toBeGreaterThan(NEWER.getTime());
    },
  );
});
