// Checks that the product's flow report shows the figures the raw rows give: funnel,
// revenue totals, every day, every step / variant / channel, the holdout groups and the
// reasons. The report object is read loosely (by field name) so the bench does not
// depend on the report module's types beyond the fields it compares.
import { FIGURE_NAMES, type FigureName } from "./reports-sql";

export type Figures = Record<FigureName, number>;

interface RawRow {
  kind: "day" | "cell" | "cohort" | "reason";
  day: string | null;
  stepId: string | null;
  variant: string | null;
  channel: string | null;
  cohort: string | null;
  [figure: string]: unknown;
}

export interface RawReport {
  total: Figures;
  days: Map<string, Figures>;
  cells: { stepId: string; variant: string; channel: string; figures: Figures }[];
  cohorts: Map<string, { n: number; conversions: number; revenue: number }>;
  reasons: Map<string, number>;
}

const zero = (): Figures => Object.fromEntries(FIGURE_NAMES.map((f) => [f, 0])) as Figures;
const add = (a: Figures, b: Figures): Figures => Object.fromEntries(FIGURE_NAMES.map((f) => [f, a[f] + b[f]])) as Figures;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export function readRawReport(rows: readonly Record<string, unknown>[]): RawReport {
  const out: RawReport = { total: zero(), days: new Map(), cells: [], cohorts: new Map(), reasons: new Map() };
  for (const r of rows as unknown as RawRow[]) {
    const figures = Object.fromEntries(FIGURE_NAMES.map((f) => [f, num(r[f])])) as Figures;
    if (r.kind === "day") {
      out.days.set(r.day!, figures);
      out.total = add(out.total, figures);
    } else if (r.kind === "cell") {
      out.cells.push({ stepId: r.stepId ?? "", variant: r.variant ?? "", channel: r.channel ?? "", figures });
    } else if (r.kind === "cohort") {
      out.cohorts.set(r.cohort ?? "", {
        n: num(r.closed_entered),
        conversions: num(r.closed_converted),
        revenue: num(r.closed_outcomeRevenue),
      });
    } else {
      out.reasons.set(`${r.stepId}/${r.variant}`, figures.entered);
    }
  }
  return out;
}

/** Collects differences; money compares to the cent, everything else exactly. */
class Differences {
  readonly list: string[] = [];
  same(what: string, ours: unknown, raw: number, money = false): void {
    const value = num(ours);
    const ok = money ? Math.abs(value - raw) < 0.005 : value === raw;
    if (!ok) this.list.push(`${what}: report ${String(ours)}, raw rows ${raw}`);
  }
}

type Loose = Record<string, unknown>;
const rows = (v: unknown): Loose[] => (Array.isArray(v) ? (v as Loose[]) : []);

const MESSAGE_FIGURES: [string, FigureName, boolean][] = [
  ["sent", "sent", false],
  ["delivered", "delivered", false],
  ["clicked", "clicked", false],
  ["heldOut", "heldOut", false],
  ["attributedOrders", "attributedOrders", false],
  ["attributedRevenue", "attributedRevenue", true],
  ["influencedOrders", "influencedOrders", false],
  ["influencedRevenue", "influencedRevenue", true],
];

/** Message figures summed by a key; a null key leaves the row out (entry rows have no step, and no channel). */
function sumCells(cells: RawReport["cells"], key: (c: RawReport["cells"][number]) => string | null): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const c of cells) {
    const k = key(c);
    if (k === null) continue;
    out.set(k, add(out.get(k) ?? zero(), c.figures));
  }
  return out;
}

/** Every difference between the report and the raw figures (empty: equal). */
export function compareFlowReport(report: unknown, raw: RawReport): string[] {
  const d = new Differences();
  const r = report as Loose;
  const funnel = (r.funnel ?? {}) as Loose;
  for (const [name, figure] of [
    ["entered", "entered"],
    ["sent", "sent"],
    ["delivered", "delivered"],
    ["clicked", "clicked"],
    ["converted", "attributedOrders"],
    ["heldOut", "heldOut"],
  ] as const) {
    d.same(`funnel.${name}`, funnel[name], raw.total[figure]);
  }
  const totals = (r.totals ?? {}) as Loose;
  for (const f of ["attributedOrders", "attributedRevenue", "influencedOrders", "influencedRevenue"] as const) {
    d.same(`totals.${f}`, totals[f], raw.total[f], f.endsWith("Revenue"));
  }

  const daily = rows(r.daily);
  if (daily.length === 0) d.list.push("report has no daily rows");
  for (const day of daily) {
    const f = raw.days.get(String(day.day)) ?? zero();
    for (const name of [
      "entered",
      "sent",
      "clicked",
      "attributedOrders",
      "attributedRevenue",
      "influencedOrders",
      "influencedRevenue",
    ] as const) {
      d.same(`daily ${String(day.day)} ${name}`, day[name], f[name], name.endsWith("Revenue"));
    }
  }
  const reportDays = new Set(daily.map((x) => String(x.day)));
  for (const [day, f] of raw.days) {
    if (!reportDays.has(day) && (f.entered || f.sent || f.attributedOrders))
      d.list.push(`daily ${day}: in the raw rows, not in the report`);
  }

  const tables: [string, unknown, Map<string, Figures>, (x: Loose) => string][] = [
    ["steps", r.steps, sumCells(raw.cells, (c) => c.stepId || null), (x) => String(x.stepId)],
    [
      "variants",
      r.variants,
      sumCells(raw.cells, (c) => (c.stepId === "" || c.variant === "" ? null : `${c.stepId}/${c.variant}`)),
      (x) => `${String(x.stepId)}/${String(x.variant)}`,
    ],
    ["channels", r.channels, sumCells(raw.cells, (c) => c.channel || null), (x) => String(x.channel)],
  ];
  for (const [name, list, expected, keyOf] of tables) {
    const seen = new Set<string>();
    for (const row of rows(list)) {
      const key = keyOf(row);
      seen.add(key);
      const f = expected.get(key) ?? zero();
      for (const [field, figure, money] of MESSAGE_FIGURES) d.same(`${name} ${key} ${field}`, row[field], f[figure], money);
    }
    for (const key of expected.keys()) if (!seen.has(key)) d.list.push(`${name} ${key}: in the raw rows, not in the report`);
  }

  const holdout = (r.holdout ?? {}) as Loose;
  for (const cohort of ["treated", "holdout"] as const) {
    const group = (holdout[cohort] ?? {}) as Loose;
    const expected = raw.cohorts.get(cohort) ?? { n: 0, conversions: 0, revenue: 0 };
    d.same(`holdout.${cohort}.n`, group.n, expected.n);
    d.same(`holdout.${cohort}.conversions`, group.conversions, expected.conversions);
    const perEntry = expected.n > 0 ? expected.revenue / expected.n : 0;
    d.same(`holdout.${cohort}.revenuePerEntry`, group.revenuePerEntry ?? 0, perEntry, true);
  }

  const seenReasons = new Set<string>();
  for (const row of rows(r.reasons)) {
    const key = `${String(row.outcome)}/${String(row.reason)}`;
    seenReasons.add(key);
    d.same(`reasons ${key}`, row.count, raw.reasons.get(key) ?? 0);
  }
  for (const key of raw.reasons.keys()) if (!seenReasons.has(key)) d.list.push(`reasons ${key}: in the raw rows, not in the report`);
  return d.list;
}
