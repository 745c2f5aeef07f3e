import { clockOffsetMs, now, setClock } from "~/server/clock.server";
import { db } from "~/server/db/client.server";
import { log } from "~/server/log.server";
import { withProfileIds, type ProfileKey } from "~/server/profiles/profile-ids.server";
import { loadStorefront } from "../../storefront/catalog.server";
import { demoId } from "../demo-ids";
import { expectedEffect, HISTORY_FLOW_KEYS, PLANTED_EFFECTS } from "./effects";
import { openHistorySinks } from "./sinks.server";
import { simulateHistory, type HistoryOptions, type HistoryResult } from "./simulate.server";

// The demo shop's past: months of flow history made by the real engine from simulated
// shoppers, once, when the demo database is first seeded (server.ts), so that a
// merchant opening the demo reads reports with something to say, and true: each flow
// has a planted effect (effects.ts) that the holdout results should find.

const DAY = 86_400_000;
const MINUTE = 60_000;
const STARTED = "demo.history_started";
const DONE = "demo.history";

/**
 * The default history: sized so that the main flows' holdout results are conclusive in
 * the 90-day report (each needs several hundred closed entries at the planted lifts,
 * effects.ts), which costs the real pipeline ~0.5 s of CPU per shopper: ~6 messages,
 * ~3 webhooks and their journeys. Measured figures: `npx tsx
 * scripts/demo-history-report.ts` (docs/architecture.md, "Demo").
 */
export const DEMO_HISTORY = {
  seed: 20261207,
  shoppers: 600,
  days: 90,
  meanDaysBetweenVisits: 5,
  /**
   * The shop's per-flow holdout while the history runs: three times the product's
   * default (10 %). With a few hundred entries per flow, 10 % leaves held-out groups
   * of a few dozen entries and a handful of orders, which the reports rightly call too
   * few to conclude; a small shop that wants to learn sooner holds out more, and so
   * does the demo's (the interval's width is least near 50 %; 30 % gets most of that).
   */
  holdoutPercent: 30,
} as const;

export type DemoHistorySettings = Omit<HistoryOptions, "endAt" | "onProgress"> & { holdoutPercent: number };

/**
 * DEMO_HISTORY_SHOPPERS sizes the history: more shoppers give firmer results and a
 * longer first start (about linear: README's "What the demo shows" has the timings).
 */
export function demoHistorySettings(env: Record<string, string | undefined> = process.env): DemoHistorySettings {
  const shoppers = Number(env.DEMO_HISTORY_SHOPPERS);
  return Number.isInteger(shoppers) && shoppers >= 20 && shoppers <= 20_000 ? { ...DEMO_HISTORY, shoppers } : DEMO_HISTORY;
}

/** Where the history starts, for flows that must be on by then (seedDemoShop's flowsSince). */
export function demoHistoryStart(settings: Pick<DemoHistorySettings, "days"> = demoHistorySettings(), at = now()): Date {
  return new Date(at.getTime() - (settings.days + 1) * DAY);
}

/** `npm run demo -- --no-history` or DEMO_HISTORY=off: a demo shop without its past (starts in a second). */
export function demoHistoryWanted(argv: readonly string[], env: Record<string, string | undefined>): boolean {
  if (argv.includes("--no-history")) return false;
  return !["0", "off", "false", "no"].includes((env.DEMO_HISTORY ?? "").trim().toLowerCase());
}

/**
 * Generates the history into the demo shop, unless it already has one (or one was
 * started and interrupted: then it says so and leaves the shop as it is). The clock
 * is moved back over the period and given back afterwards; messages go to sinks of
 * the history's own (sinks.server.ts). Returns null when nothing was done.
 */
export async function seedDemoHistory(
  shopId: string,
  settings: DemoHistorySettings = demoHistorySettings(),
): Promise<HistoryResult | null> {
  const marks = await db().auditLog.findMany({ where: { shopId, action: { in: [STARTED, DONE] } }, select: { action: true } });
  if (marks.some((m) => m.action === DONE)) return null;
  if (marks.length > 0) {
    log.warn("demo history: an earlier run was interrupted; delete the demo database (./data) to generate it again");
    return null;
  }
  const shop = await db().shop.findUniqueOrThrow({ where: { id: shopId } });
  const storefront = await loadStorefront();
  if (!storefront || storefront.shop.domain !== shop.domain) throw new Error("demo history: the demo shop's catalogue is missing");
  const offset = clockOffsetMs();
  // On a whole minute: the plan's times, and the draws keyed on them, are then the
  // same for a start a few seconds later (a test's fixed clock gives one history).
  const endAt = new Date(Math.floor(now().getTime() / MINUTE) * MINUTE);
  await db().auditLog.create({ data: { shopId, actor: "system", action: STARTED, details: { ...settings }, at: endAt } });
  const started = Date.now();
  log.info("demo history: generating", { shoppers: settings.shoppers, days: settings.days });
  const sinks = await openHistorySinks();
  // The product's default holdout for the period; the demo's own setting (everything
  // sent, so a visitor's own signup gets its emails) comes back afterwards.
  await db().shop.update({ where: { id: shopId }, data: { holdoutPercent: settings.holdoutPercent } });
  let result: HistoryResult;
  try {
    // A shopper's profile id is made from who they are (demo-ids.ts), so their holdout
    // and A/B draws are the same in every run of this seed.
    const profileId = (k: ProfileKey) => demoId("profile", settings.seed, k.shopId, k.shopifyCustomerId, k.email, k.phone, k.clientId);
    result = await withProfileIds(profileId, () =>
      simulateHistory(shop, storefront, {
        ...settings,
        endAt,
        onProgress: (p) => log.info("demo history", { day: p.day, of: p.days, sent: p.sent, orders: p.orders, ms: p.elapsedMs }),
      }),
    );
  } finally {
    await db().shop.update({ where: { id: shopId }, data: { holdoutPercent: shop.holdoutPercent } });
    await sinks.close();
    // The clock as it was, plus the seconds the history took.
    setClock(new Date(Date.now() + offset));
  }
  const ms = Date.now() - started;
  const flows = Object.fromEntries(
    HISTORY_FLOW_KEYS.map((k) => {
      const l = result.ledger[k];
      return [
        k,
        {
          entries: l.entries,
          heldOut: l.heldOut,
          reach: round(l.reach),
          planted: PLANTED_EFFECTS[k].lift,
          expected: round(expectedEffect(k, l.reach)),
        },
      ];
    }),
  );
  const { ledger, timings, ...counts } = result;
  void ledger;
  await db().auditLog.create({ data: { shopId, actor: "system", action: DONE, details: { ...counts, flows, ms }, at: now() } });
  log.info("demo history: done", { ...counts, mails: sinks.mails(), texts: sinks.texts(), ms, timings });
  return result;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
