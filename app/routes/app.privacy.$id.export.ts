import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { dataRequestExport } from "~/server/admin/privacy-requests.server";

// The download behind the privacy page's button: fetched by the page (App Bridge adds
// the session token to fetches, not to plain link navigations), saved by the browser.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const found = await dataRequestExport(ctx.shop, params.id ?? "");
  if (!found) return Response.json({ error: "No such data request" }, { status: 404 });
  return new Response(JSON.stringify(found.body, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${found.filename.replace(/[^\w.-]/g, "_")}"`,
      // Personal data: never kept by a cache on the way.
      "cache-control": "no-store",
    },
  });
};
