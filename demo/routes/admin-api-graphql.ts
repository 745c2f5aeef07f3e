import type { ActionFunctionArgs } from "@remix-run/node";
import { requireDemo } from "../guard.server";

// The app's Admin GraphQL client is pointed here by SHOPIFY_ADMIN_API_ORIGIN in demo mode.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  requireDemo();
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ errors: "Invalid JSON in request body" }, { status: 400 });
  }
  // Lazily: graphql is a demo-only package, absent from a production install.
  const { executeAdminGraphql } = await import("../standins/admin-api.server");
  const res = await executeAdminGraphql(params.shop ?? "", request.headers.get("x-shopify-access-token"), body);
  return Response.json(res.body, { status: res.status });
};
