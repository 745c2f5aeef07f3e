// Shop.settings is one JSON column with several owners: the SMS sender (Settings ->
// Sending), the staged-rollout thresholds and the A/B defaults (Settings). Each save
// reads it, changes its own section and writes it back; two saves at the same moment
// must both land. On PostgreSQL they meet queued on the shop row's lock, held by a
// third session (tests/support/lock-waits.ts); PGlite has one connection.
import { describe, expect, it } from "vitest";
import { saveSmsProvider } from "~/server/admin/sending-settings.server";
import { parseRolloutThresholds } from "~/server/admin/settings/rollout-thresholds.server";
import { saveRolloutThresholds } from "~/server/admin/settings/shop-settings.server";
import { useTestDatabase } from "../support/db";
import { whileHolding } from "../support/lock-waits";

const getDb = useTestDatabase();
const prisma = () => getDb().prisma;

function thresholds() {
  const form = new FormData();
  for (const [k, v] of Object.entries({ sendErrors: "1", bounces: "2", complaints: "0.3", unsubscribes: "1", clicks: "70" }))
    form.set(k, v);
  const parsed = parseRolloutThresholds(form);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.data;
}

describe.skipIf(!process.env.DATABASE_URL)("two sections of Shop.settings saved at the same moment (PostgreSQL)", () => {
  it("the SMS sender and the rollout thresholds both land, whichever goes first", async () => {
    for (let round = 0; round < 4; round++) {
      const domain = `settings-race-${round}.myshopify.com`;
      const shop = await prisma().shop.create({ data: { domain, name: domain, settings: { testPhones: ["+48500100900"] } } });
      await whileHolding(
        getDb(),
        (tx) => tx.$queryRaw`SELECT id FROM "Shop" WHERE id = ${shop.id} FOR UPDATE`,
        () =>
          Promise.all([
            saveSmsProvider(shop, { accountSid: null, authToken: null, fromNumber: "+48500100300", messagingServiceSid: null }, "merchant"),
            saveRolloutThresholds(shop.id, thresholds(), "merchant"),
          ]),
        2,
      );
      const settings = (await prisma().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings as Record<string, unknown>;
      expect(settings, `round ${round}`).toMatchObject({
        testPhones: ["+48500100900"],
        sms: { fromNumber: "+48500100300" },
        rolloutThresholds: { sendErrors: 0.01 },
      });
    }
  }, 60_000);
});
