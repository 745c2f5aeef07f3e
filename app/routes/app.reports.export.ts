import type { LoaderFunctionArgs } from "@remix-run/node";
import { isShopTable } from "~/domain/measurement/report-tables";
import { translator } from "~/i18n";
import { reportTranslator } from "~/i18n/report-labels";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { csvResponse, shopCsv } from "~/server/admin/reports/csv-export.server";
import { reportPeriod } from "~/server/admin/reports/report-request.server";
import { shopReport } from "~/server/admin/reports/shop-report.server";

// A table of the shop's report as CSV (?table=<id>&period=…): fetched by the page's
// Export button, saved by the browser.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const table = new URL(request.url).searchParams.get("table");
  if (!isShopTable(table)) return Response.json({ error: "Unknown table" }, { status: 400 });
  const { period, today } = reportPeriod(request, ctx.shop);
  const report = await shopReport(ctx.shop, period, today, ctx.locale);
  return csvResponse(shopCsv(report, table, reportTranslator(translator(ctx.locale), report.shop.attributeOpens)));
};
