import type { Shop } from "@prisma/client";
import { parsePeriod, type ReportPeriod } from "~/domain/measurement/report-period";
import { shopDay } from "~/domain/measurement/shop-day";
import { now } from "../../clock.server";

/** Today in the shop's time zone and the period the request's query asks for. */
export function reportPeriod(request: Request, shop: Shop): { period: ReportPeriod; today: Date } {
  const today = shopDay(now(), shop.timezone);
  return { period: parsePeriod(new URL(request.url).searchParams, today), today };
}
