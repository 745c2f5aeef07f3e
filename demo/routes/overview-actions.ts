import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "../guard.server";
import { runDemoAction } from "../overview-actions.server";
import { requireAdmin } from "~/server/admin/admin-context.server";

// The Overview page's demo buttons post here, so the product's own routes carry no demo code.
export const loader = () => {
  requireDemo();
  return Response.json({ error: "Use POST with an intent" }, { status: 405 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const ctx = await requireAdmin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  return runDemoAction(ctx.shop, typeof intent === "string" ? intent : "");
};
