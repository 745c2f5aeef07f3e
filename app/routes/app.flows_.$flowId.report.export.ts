import type { LoaderFunctionArgs } from "@remix-run/node";
import { isFlowTable } from "~/domain/measurement/report-tables";
import { translator } from "~/i18n";
import { reportTranslator } from "~/i18n/report-labels";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { csvResponse, flowCsv } from "~/server/admin/reports/csv-export.server";
import { flowReport } from "~/server/admin/reports/flow-report.server";
import { reportPeriod } from "~/server/admin/reports/report-request.server";

// A table of a flow's report as CSV (?table=<id>&period=…); another shop's flow is not found.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const table = new URL(request.url).searchParams.get("table");
  if (!isFlowTable(table)) return Response.json({ error: "Unknown table" }, { status: 400 });
  const { period, today } = reportPeriod(request, ctx.shop);
  const report = await flowReport(ctx.shop, params.flowId ?? "", period, today, ctx.locale);
  if (!report) return Response.json({ error: "No such flow" }, { status: 404 });
  return csvResponse(flowCsv(report, table, reportTranslator(translator(ctx.locale), report.shop.attributeOpens)));
};
