import type { Shop } from "@prisma/client";
import { shopDay } from "~/domain/measurement/shop-day";
import { setClock } from "~/server/clock.server";
import { evaluateDueExperiments } from "~/server/experiments/evaluate-experiments.server";
import { database } from "~/server/db/client.server";
import { releaseWorkerLiveness } from "~/server/worker/liveness.server";
import type { Storefront } from "../../storefront/catalog.server";
import { Agenda } from "./agenda";
import { startWelcomeSubjectTest } from "./ab-test.server";
import { isHistoryFlowKey, isPlantedVariant, PLANTED_AB, type HistoryFlowKey, type PlantedVariant } from "./effects";
import { episodeOf, type Episode, type Shopper } from "./episodes";
import { outcomeOf, planShoppers, returnDelay, visitFlow, type PlannedLine, type PlannedVisit } from "./plan";
import { between, exponential, keyed, stream } from "./random";
import { reachLedger, type FlowLedger } from "./reach.server";
import { ShopifySide, type OrderLine, type PlacedOrder } from "./shopify-side.server";
import { StorefrontSide } from "./storefront-side.server";
import { drain, HISTORY_WORKER, nextDue, timer, type Timings } from "./worker-passes.server";

// The history's loop: the shoppers' timeline (agenda.ts) played through the app's entry
// points (storefront-side.server.ts, shopify-side.server.ts) with the app clock moved to each action's time, and
// the worker's tasks run in between, in the worker's order: stored webhooks, the pixel
// inbox, event routing, due journey steps, the outbox. The clock jumps from one thing
// to do to the next (a planned action, or the earliest due step or send the database
// holds) in ticks of at most TICK_MS: a due step runs at most an hour late, as on a
// busy worker, and quiet nights cost nothing. (Each tick costs the worker's passes, a
// few dozen statements; quarter-hour ticks made the history half as fast again.)
//
// The messages the outbox sends are read back after each tick; a shopper who gets one
// for their episode reacts as the episode's draw says (effects.ts): a persuadable one
// clicks and orders; others click now and then (so attribution sees clicks that a
// baseline buyer would have followed anyway, the gap the holdout exposes).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const TICK_MS = HOUR;
/** A message that arrives later than this before the entry's measurement window ends persuades no one: the order would fall outside it. */
const REACT_MARGIN_MS = DAY;
const FULFILLED = 0.92;
const CANCELLED = 0.015;
const REFUNDED = 0.06;

export interface HistoryOptions {
  seed: number;
  shoppers: number;
  days: number;
  /** The history ends here (the demo: the moment it is seeded). */
  endAt: Date;
  meanDaysBetweenVisits: number;
  onProgress?: (p: { day: number; days: number; elapsedMs: number; sent: number; orders: number }) => void;
}

export type { FlowLedger, Timings };

export interface HistoryResult {
  shoppers: number;
  orders: number;
  refunds: number;
  cancellations: number;
  clicks: number;
  sent: number;
  webhooks: number;
  pixelBatches: number;
  /** Ticks of the clock at which the worker's tasks ran. */
  ticks: number;
  ledger: Record<HistoryFlowKey, FlowLedger>;
  /** The A/B test's truth per variant (effects.ts, PLANTED_AB): its first emails sent, and their clicks expected from the planted rates. */
  ab: Record<PlantedVariant, { recipients: number; expectedClicks: number }>;
  timings: Timings;
}

interface SentMessage {
  id: string;
  customerId: string;
  enrollmentId: string;
  channel: string;
  sentAt: Date;
  flowKey: string;
  enteredAt: Date;
  measurementDays: number;
  stepId: string | null;
  variant: string | null;
}

type Action =
  | { kind: "arrive"; s: Shopper }
  | { kind: "visit"; s: Shopper; visit: PlannedVisit }
  | { kind: "order"; s: Shopper; lines: PlannedLine[]; token: string | null; landing: string | null }
  | { kind: "click"; s: Shopper; message: SentMessage; product: number }
  | { kind: "fulfil"; order: PlacedOrder }
  | { kind: "refund"; order: PlacedOrder; lines: OrderLine[] }
  | { kind: "cancel"; order: PlacedOrder };

export async function simulateHistory(shop: Shop, storefront: Storefront, o: HistoryOptions): Promise<HistoryResult> {
  const endMs = o.endAt.getTime();
  const startMs = endMs - o.days * DAY;
  const store = new StorefrontSide(shop, storefront);
  const shopify = new ShopifySide(shop, (i) => store.product(i));
  const counts = () => ({ webhooks: shopify.webhooks, pixelBatches: store.pixelBatches });
  const plans = planShoppers({
    seed: o.seed,
    shoppers: o.shoppers,
    startMs,
    days: o.days,
    timeZone: shop.timezone ?? "UTC",
    meanDaysBetweenVisits: o.meanDaysBetweenVisits,
  });
  const shoppers = plans.map((plan): Shopper => ({ plan, knownToShopify: false, episodes: [], orders: 0 }));
  const byEmail = new Map(shoppers.map((s) => [s.plan.email, s]));
  const byCustomer = new Map<string, Shopper>();
  const agenda = new Agenda<Action>();
  for (const s of shoppers) {
    agenda.add(s.plan.arrivesAt, { kind: "arrive", s });
    for (const visit of s.plan.visits) agenda.add(visit.at, { kind: "visit", s, visit });
  }
  const totals = { orders: 0, refunds: 0, cancellations: 0, clicks: 0, sent: 0 };
  const ab = { a: { recipients: 0, expectedClicks: 0 }, b: { recipients: 0, expectedClicks: 0 } } satisfies HistoryResult["ab"];
  let nextOrderNumber = 1;

  const openEpisode = (s: Shopper, e: Omit<Episode, "outcome" | "entryId" | "received" | "reads" | "clicked">, returnAfterMs: number) => {
    const episode: Episode = { ...e, outcome: outcomeOf(e.flow, e.draw), entryId: null, received: false, reads: 0, clicked: false };
    s.episodes.push(episode);
    if (episode.outcome === "baseline")
      agenda.add(e.at + returnAfterMs, { kind: "order", s, lines: e.lines, token: e.token, landing: null });
  };

  async function perform(at: number, a: Action): Promise<void> {
    const when = new Date(at);
    switch (a.kind) {
      case "arrive": {
        const p = a.s.plan;
        // A checkout arrival gives their details at the checkout of their first visit, minutes later.
        if (p.arrival === "signup") {
          await store.signup(p, when);
          eventsMade++;
        }
        const lines = p.visits[0]?.lines.slice(0, 1) ?? [{ product: 0, quantity: 1 }];
        openEpisode(a.s, { flow: "welcome", at, draw: p.welcomeDraw, lines, token: null }, p.welcomeReturnAfterMs);
        return;
      }
      case "visit": {
        const v = a.visit;
        if (v.buysNow) {
          agenda.add(at + 8 * MINUTE, { kind: "order", s: a.s, lines: v.lines, token: null, landing: null });
          return;
        }
        // The pixel's checkout events matter only to tie the browser to the shopper (their
        // first checkout, when they arrived through it); the flow starts on the webhook.
        if (v.kind !== "checkout" || !a.s.knownToShopify) await store.visit(a.s.plan, v.kind, v.lines, v.token, when);
        if (v.kind === "checkout") {
          a.s.knownToShopify = true;
          await shopify.checkoutCreated(a.s.plan, v.token, v.lines, when);
        }
        // A browse conversion buys the first product looked at.
        const lines = v.kind === "browse" ? v.lines.slice(0, 1) : v.lines;
        openEpisode(
          a.s,
          { flow: visitFlow(v.kind), at, draw: v.draw, lines, token: v.kind === "checkout" ? v.token : null },
          v.returnAfterMs,
        );
        return;
      }
      case "order": {
        const s = a.s;
        s.knownToShopify = true;
        const n = s.orders++;
        const id = 6_500_000_000n + BigInt(s.plan.index) * 1000n + BigInt(n);
        const lines = a.lines.map((l, i) => ({ id: id * 10n + BigInt(i), product: store.product(l.product), quantity: l.quantity }));
        const { subtotal, total } = shopify.totals(lines);
        const order: PlacedOrder = {
          id,
          name: `#H${nextOrderNumber++}`,
          shopper: s.plan,
          lines,
          subtotal,
          total,
          at: when,
          checkoutToken: a.token,
          landingSite: a.landing,
        };
        await shopify.orderCreated(order);
        totals.orders++;
        const key = [s.plan.index, n] as const;
        const r = stream(o.seed ^ 0x5eed, s.plan.index * 1000 + n);
        // Its post-purchase episode: a repeat order within the week, on the shopper's own or through the flow.
        const repeat = [{ product: a.lines[0]!.product === 7 ? 6 : 7, quantity: 1 }]; // filters or a dripper go with anything
        openEpisode(s, { flow: "post_purchase", at, draw: keyed(o.seed, "pp", ...key), lines: repeat, token: null }, returnDelay(r));
        if (keyed(o.seed, "cancel", ...key) < CANCELLED) {
          agenda.add(at + between(r, 1, 20) * HOUR, { kind: "cancel", order });
          return;
        }
        const fulfilAt = at + between(r, 12, 60) * HOUR;
        if (keyed(o.seed, "fulfil", ...key) < FULFILLED) agenda.add(fulfilAt, { kind: "fulfil", order });
        if (keyed(o.seed, "refund", ...key) < REFUNDED) {
          // A return of one line, or of everything when there is only one.
          agenda.add(fulfilAt + between(r, 3, 12) * DAY, { kind: "refund", order, lines: lines.slice(0, 1) });
        }
        return;
      }
      case "click":
        await store.click(a.s.plan, a.message, a.product, when);
        totals.clicks++;
        eventsMade++;
        return;
      case "fulfil":
        await shopify.fulfilled(a.order, a.order.id * 10n + 7n, when);
        return;
      case "refund":
        await shopify.refunded(a.order, a.order.id * 10n + 8n, a.lines, when);
        totals.refunds++;
        return;
      case "cancel":
        await shopify.cancelled(a.order, when);
        totals.cancellations++;
        return;
    }
  }

  /** The shoppers behind these customer ids (profiles the app made for them), looked up once each. */
  async function shopperOf(customerIds: string[]): Promise<Map<string, Shopper>> {
    const unknown = [...new Set(customerIds)].filter((id) => !byCustomer.has(id));
    if (unknown.length === 0) return byCustomer;
    const rows = await database().query<{ id: string; email: string | null }>(
      `SELECT id, email FROM "Customer" WHERE "shopId" = $1 AND id = ANY($2::text[])`,
      [shop.id, unknown],
    );
    for (const r of rows) {
      const s = r.email ? byEmail.get(r.email) : undefined;
      if (s) byCustomer.set(r.id, s);
    }
    return byCustomer;
  }

  /**
   * A shopper reads a message of their episode's entry: the draw decides what they do.
   * Returns the chance that they click it (the A/B test's truth is the sum over its recipients).
   */
  function received(s: Shopper, m: SentMessage): number {
    if (!isHistoryFlowKey(m.flowKey)) return 0;
    const episode = episodeOf(s, m.flowKey, m.enteredAt.getTime());
    if (!episode) return 0;
    episode.entryId ??= m.enrollmentId;
    if (episode.entryId !== m.enrollmentId) return 0;
    const windowEnd = m.enteredAt.getTime() + m.measurementDays * DAY;
    if (m.sentAt.getTime() > windowEnd - REACT_MARGIN_MS) return 0;
    const first = !episode.received;
    episode.received = true;
    episode.reads++;
    if (episode.clicked) return 0;
    const roll = keyed(o.seed, "click", s.plan.index, episode.flow, episode.at, episode.reads);
    // The tested email: someone it does not persuade clicks with their variant's planted rate.
    const tested = m.flowKey === PLANTED_AB.flow && m.stepId === PLANTED_AB.stepId && isPlantedVariant(m.variant);
    const chance =
      episode.outcome === "persuadable" && first
        ? 1
        : tested
          ? PLANTED_AB.clickRate[m.variant as PlantedVariant]
          : episode.outcome === "persuadable"
            ? 0
            : episode.outcome === "baseline"
              ? 0.35
              : 0.06;
    if (roll >= chance) return chance;
    episode.clicked = true;
    const r = stream(o.seed ^ 0xc11c, s.plan.index * 7919 + Math.floor(episode.at / MINUTE));
    const clickAt = m.sentAt.getTime() + Math.min(4 * HOUR, 3 * MINUTE + exponential(r, 40 * MINUTE));
    const product = episode.lines[0]?.product ?? 0;
    agenda.add(clickAt, { kind: "click", s, message: m, product });
    if (episode.outcome === "persuadable") {
      const landing = `/products/${store.product(product).handle}?utm_source=flowmate&utm_medium=${m.channel}`;
      agenda.add(clickAt + between(r, 3, 45) * MINUTE, { kind: "order", s, lines: episode.lines, token: episode.token, landing });
    }
    return chance;
  }

  async function observe(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await database().query<SentMessage>(
      `SELECT m.id, m."customerId", m."enrollmentId", m.channel, m."sentAt", f.key AS "flowKey", e."enteredAt", f."measurementDays",
              m."stepId", m.variant
       FROM "Message" m JOIN "Enrollment" e ON e.id = m."enrollmentId" JOIN "Flow" f ON f.id = e."flowId"
       WHERE m."shopId" = $1 AND m.id = ANY($2::text[]) AND m.status = 'sent' AND m."customerId" IS NOT NULL
       ORDER BY m."sentAt", m.id`,
      [shop.id, ids],
    );
    await shopperOf(rows.map((r) => r.customerId));
    for (const m of rows) {
      totals.sent++;
      const s = byCustomer.get(m.customerId);
      const chance = s ? received(s, { ...m, sentAt: new Date(m.sentAt), enteredAt: new Date(m.enteredAt) }) : 0;
      if (m.flowKey === PLANTED_AB.flow && m.stepId === PLANTED_AB.stepId && isPlantedVariant(m.variant)) {
        ab[m.variant].recipients++;
        ab[m.variant].expectedClicks += chance;
      }
    }
  }

  const started = Date.now();
  let lastReportedDay = -1;
  let cursor = startMs;
  let ticks = 0;
  const timings: Timings = {};
  const timed = timer(timings);
  let seen = counts();
  /** Actions that write events themselves (signups, clicks), for the router. */
  let eventsMade = 0;
  const timeZone = shop.timezone ?? "UTC";
  // The merchant starts the A/B test as the history begins; the worker's daily
  // evaluation then runs once per shop-local day, at the first tick after midnight.
  setClock(new Date(startMs));
  await startWelcomeSubjectTest(shop.id);
  let evaluatedDay = shopDay(startMs, timeZone).getTime();
  try {
    for (;;) {
      const due = await timed("nextDue", () => nextDue(shop.id));
      const slot = Math.max(cursor, Math.min(agenda.nextAt(), due.wake, due.message, due.webhook));
      if (slot >= endMs) break;
      const slotEnd = Math.min(endMs, slot + TICK_MS);
      while (agenda.nextAt() < slotEnd) {
        const { at, item } = agenda.pop()!;
        setClock(new Date(at));
        await timed(`do:${item.kind}`, () => perform(at, item));
      }
      setClock(new Date(slotEnd));
      const before = counts();
      const ids = await drain(
        { webhooks: before.webhooks - seen.webhooks, pixel: before.pixelBatches - seen.pixelBatches, events: eventsMade },
        due,
        slotEnd,
        timings,
      );
      seen = before;
      eventsMade = 0;
      const today = shopDay(slotEnd, timeZone).getTime();
      if (today !== evaluatedDay) {
        evaluatedDay = today;
        await timed("experiments", () => evaluateDueExperiments(new Date(slotEnd)));
      }
      await timed("observe", () => observe(ids));
      ticks++;
      cursor = slotEnd;
      const day = Math.floor((slotEnd - startMs) / DAY);
      if (day > lastReportedDay && day % 10 === 0) {
        lastReportedDay = day;
        o.onProgress?.({ day, days: o.days, elapsedMs: Date.now() - started, sent: totals.sent, orders: totals.orders });
      }
    }
  } finally {
    await releaseWorkerLiveness(HISTORY_WORKER);
  }
  setClock(o.endAt);

  const ledger = await reachLedger(shop.id, shopperOf);
  const ms = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]));
  return { shoppers: shoppers.length, ...totals, ...counts(), ticks, ledger, ab, timings: ms };
}
