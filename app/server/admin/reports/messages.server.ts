// What the messages of a flow (or of the whole shop) did: per step, per variant and per
// channel, from FlowDaily's message rows (those with a step; entry rows have none). A
// held-out send whose decision did not name its channel has channel '': it counts for
// its step, and in no channel's row.
import type { ReportPeriod } from "~/domain/measurement/report-period";
import { db } from "../../db/client.server";
import { addFigures, cents, figuresOf, rate, SUM_ALL, zeroFigures, type Figures } from "./figures.server";

export interface MessageFigures {
  sent: number;
  delivered: number;
  clicked: number;
  /** Clicked / delivered when deliveries are confirmed, else clicked / sent. */
  clickRate: number | null;
  heldOut: number;
  attributedOrders: number;
  attributedRevenue: number;
  influencedOrders: number;
  influencedRevenue: number;
}

export function messageFigures(f: Figures): MessageFigures {
  return {
    sent: f.sent,
    delivered: f.delivered,
    clicked: f.clicked,
    clickRate: rate(f.clicked, f.delivered > 0 ? f.delivered : f.sent),
    heldOut: f.heldOut,
    attributedOrders: f.attributedOrders,
    attributedRevenue: cents(f.attributedRevenue),
    influencedOrders: f.influencedOrders,
    influencedRevenue: cents(f.influencedRevenue),
  };
}

export interface MessageCell {
  flowId: string;
  stepId: string;
  variant: string;
  channel: string;
  figures: Figures;
}

/** The message rows of one flow (or every flow when flowId is null), summed over the period's days. */
export async function loadMessageCells(shopId: string, flowId: string | null, period: ReportPeriod): Promise<MessageCell[]> {
  const rows = await db().flowDaily.groupBy({
    by: ["flowId", "stepId", "variant", "channel"],
    where: { shopId, ...(flowId ? { flowId } : {}), stepId: { not: "" }, day: { gte: period.from, lte: period.to } },
    _sum: SUM_ALL,
  });
  return rows.map((r) => ({ flowId: r.flowId, stepId: r.stepId, variant: r.variant, channel: r.channel, figures: figuresOf(r._sum) }));
}

/** Sums cells by a key, keeping the first cell's fields for the group (its step, variant, channel). */
export function groupCells<K extends string>(cells: readonly MessageCell[], key: (c: MessageCell) => K): Map<K, MessageCell> {
  const out = new Map<K, MessageCell>();
  for (const c of cells) {
    const k = key(c);
    const g = out.get(k);
    if (g) {
      g.figures = addFigures(g.figures, c.figures);
      if (c.channel !== "" && !g.channel.split("+").includes(c.channel))
        g.channel = [...g.channel.split("+").filter(Boolean), c.channel].sort().join("+");
    } else out.set(k, { ...c, figures: addFigures(zeroFigures(), c.figures) });
  }
  return out;
}

export const CHANNEL_ORDER = ["email", "sms"];

export interface ChannelRow extends MessageFigures {
  channel: string;
}

export function channelRows(cells: readonly MessageCell[]): ChannelRow[] {
  return [
    ...groupCells(
      cells.filter((c) => c.channel !== ""),
      (c) => c.channel,
    ).values(),
  ]
    .sort((a, b) => rank(CHANNEL_ORDER, a.channel) - rank(CHANNEL_ORDER, b.channel) || a.channel.localeCompare(b.channel))
    .map((c) => ({ channel: c.channel, ...messageFigures(c.figures) }));
}

export function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i === -1 ? order.length : i;
}
