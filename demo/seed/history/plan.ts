import { localToInstant, wallClock } from "~/domain/arbitration/local-time";
import { DEMO_PRODUCTS } from "../demo-shop";
import { PLANTED_EFFECTS } from "./effects";
import { between, exponential, pick, stream, type Random } from "./random";

// Who the simulated shoppers are and what they do of their own accord: a pure
// function of the seed. What they do because of a message (click, then order) is
// decided while the history runs (simulate.server.ts), from draws fixed here.

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface HistoryPlanOptions {
  seed: number;
  shoppers: number;
  /** The first instant of the history (its first day starts at the shop's midnight before it). */
  startMs: number;
  days: number;
  timeZone: string;
  /** Mean days between a shopper's visits, beyond the minimum gap (MIN_DAYS_BETWEEN_VISITS). */
  meanDaysBetweenVisits: number;
}

export type VisitKind = "browse" | "cart" | "checkout";

export interface PlannedLine {
  product: number;
  quantity: number;
}

export interface PlannedVisit {
  at: number;
  kind: VisitKind;
  lines: PlannedLine[];
  /** Pays at once: sent as its order only (its checkout would enter and leave the abandoned-checkout flow within minutes). */
  buysNow: boolean;
  /** The episode's draw: below the baseline the shopper comes back and buys on their own; in [baseline, baseline + lift) a message persuades them. */
  draw: number;
  /** When a baseline conversion comes back to buy. */
  returnAfterMs: number;
  /** The checkout token of a checkout visit. */
  token: string;
}

export interface PlannedShopper {
  index: number;
  shopifyCustomerId: bigint;
  clientId: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  sms: boolean;
  locale: "pl" | "en";
  /** signup: the newsletter popup; checkout: contact details given at a first checkout (the first visit). */
  arrival: "signup" | "checkout";
  arrivesAt: number;
  /** The welcome episode's draw and return delay (see PlannedVisit). */
  welcomeDraw: number;
  welcomeReturnAfterMs: number;
  visits: PlannedVisit[];
}

const FIRST = [
  "Anna",
  "Piotr",
  "Kasia",
  "Tomek",
  "Ola",
  "Michał",
  "Ewa",
  "Paweł",
  "Emma",
  "Lucas",
  "Olivia",
  "Jan",
  "Zofia",
  "Marek",
  "Iga",
  "Adam",
];
const LAST = [
  "Nowak",
  "Kowalczyk",
  "Wójcik",
  "Kamińska",
  "Lewandowski",
  "Zielińska",
  "Szymański",
  "Smith",
  "Brown",
  "Mazur",
  "Krawczyk",
  "Król",
];
// Local hours of visits: evenings are busiest, and some come at night (their reminders wait for quiet hours to end).
const HOUR_WEIGHTS = [1, 0.5, 0.2, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3, 3, 3.5, 3, 3, 3, 3.5, 4, 5, 6, 6.5, 5.5, 3.5, 2];
const HOUR_TOTAL = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
/** Shares of the kinds of visit; checkouts are the situation the demo's reports have most to say about. */
const VISIT_MIX = { browse: 0.33, cart: 0.2, checkout: 0.47 } as const;
/**
 * A shopper's visits are at least this far apart, and the first comes at least this
 * long after a newsletter signup: longer than the flows' 7-day measurement window, so
 * one episode's own conversion (its draw) is not also counted as another episode's
 * (each entry's outcome is "any order within the window"). Overlapping episodes made
 * both groups of every flow convert at ~30 % where the planted baselines say 3-10 %,
 * and that noise, not the planted lift, set the demo's intervals.
 */
const MIN_DAYS_BETWEEN_VISITS = 9;
/** The gift card is not something one browses for. */
const SHOPPABLE = DEMO_PRODUCTS.map((_, i) => i).filter((i) => DEMO_PRODUCTS[i]!.productType !== "gift");

function localHour(r: Random): number {
  let x = r() * HOUR_TOTAL;
  for (let h = 0; h < 24; h++) {
    x -= HOUR_WEIGHTS[h]!;
    if (x < 0) return h + r();
  }
  return 23.5;
}

/** An instant on the shop-local day `day` days after the history's first day, at a drawn local time. */
function atLocal(firstDay: { year: number; month: number; day: number }, day: number, r: Random, timeZone: string): number {
  const d = new Date(Date.UTC(firstDay.year, firstDay.month - 1, firstDay.day + day));
  return (
    localToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), Math.floor(localHour(r) * 60), timeZone) +
    Math.floor(r() * MINUTE)
  );
}

/** When someone who would buy anyway comes back: mostly within two days, always inside the 7-day measurement window. */
export function returnDelay(r: Random): number {
  return Math.min(6.5 * DAY, 30 * MINUTE + exponential(r, 1.5 * DAY));
}

function lines(r: Random, favourite: number[]): PlannedLine[] {
  const n = r() < 0.7 ? 1 : r() < 0.8 ? 2 : 3;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) seen.add(r() < 0.6 ? pick(r, favourite) : pick(r, SHOPPABLE));
  return [...seen].map((product) => ({ product, quantity: r() < 0.85 ? 1 : 2 }));
}

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .toLowerCase();
}

export function planShoppers(o: HistoryPlanOptions): PlannedShopper[] {
  const w = wallClock(o.startMs, o.timeZone);
  const firstDay = { year: w.year, month: w.month, day: w.day };
  const endMs = o.startMs + o.days * DAY;
  const shoppers: PlannedShopper[] = [];
  for (let index = 0; index < o.shoppers; index++) {
    const r = stream(o.seed, index);
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const hasPhone = r() < 0.5;
    const arrival = r() < 0.6 ? "signup" : "checkout";
    // Arrivals spread evenly over the history (each then comes back every few weeks).
    const arrivalDay = Math.floor(o.days * r());
    const arrivesAt = atLocal(firstDay, arrivalDay, r, o.timeZone);
    const favourite = [pick(r, SHOPPABLE), pick(r, SHOPPABLE)];
    const pace = o.meanDaysBetweenVisits * between(r, 0.5, 1.6);
    const shopper: PlannedShopper = {
      index,
      shopifyCustomerId: 7_500_000_000n + BigInt(index),
      clientId: `hist-${o.seed.toString(36)}-${index.toString(36)}-${Math.floor(r() * 2 ** 32).toString(36)}`,
      firstName: first,
      lastName: last,
      email: `${ascii(first)}.${ascii(last)}.h${index + 1}@example.com`,
      phone: hasPhone
        ? `+4869${String(1_000_000 + index * 7)
            .padStart(7, "0")
            .slice(-7)}`
        : null,
      sms: hasPhone && r() < 0.6,
      locale: r() < 0.7 ? "pl" : "en",
      arrival,
      arrivesAt,
      welcomeDraw: r(),
      welcomeReturnAfterMs: returnDelay(r),
      visits: [],
    };
    if (arrival === "checkout") shopper.visits.push(visit(r, arrivesAt + 5 * MINUTE, "checkout", favourite, o.seed, index, 0));
    let at = arrivesAt;
    for (;;) {
      at += MIN_DAYS_BETWEEN_VISITS * DAY + exponential(r, pace * DAY);
      if (at >= endMs) break;
      const day = Math.floor((at - o.startMs) / DAY);
      const kindRoll = r();
      const kind: VisitKind = kindRoll < VISIT_MIX.browse ? "browse" : kindRoll < VISIT_MIX.browse + VISIT_MIX.cart ? "cart" : "checkout";
      shopper.visits.push(visit(r, atLocal(firstDay, day, r, o.timeZone), kind, favourite, o.seed, index, shopper.visits.length));
    }
    shopper.visits.sort((a, b) => a.at - b.at);
    shoppers.push(shopper);
  }
  return shoppers;
}

function visit(r: Random, at: number, kind: VisitKind, favourite: number[], seed: number, index: number, n: number): PlannedVisit {
  return {
    at,
    kind,
    lines: kind === "browse" ? lines(r, favourite).slice(0, 1) : lines(r, favourite),
    buysNow: kind === "checkout" && r() < 0.3,
    draw: r(),
    returnAfterMs: returnDelay(r),
    token: `h${seed.toString(36)}${index.toString(36)}x${n.toString(36)}${Math.floor(r() * 2 ** 40).toString(36)}`,
  };
}

/** The flow whose situation a visit is. */
export function visitFlow(kind: VisitKind): "browse_abandonment" | "abandoned_cart" | "abandoned_checkout" {
  return kind === "browse" ? "browse_abandonment" : kind === "cart" ? "abandoned_cart" : "abandoned_checkout";
}

export type EpisodeOutcome = "baseline" | "persuadable" | "none";

/** What a draw means for an episode of this flow. */
export function outcomeOf(flow: keyof typeof PLANTED_EFFECTS, draw: number): EpisodeOutcome {
  const e = PLANTED_EFFECTS[flow];
  return draw < e.baseline ? "baseline" : draw < e.baseline + e.lift ? "persuadable" : "none";
}
