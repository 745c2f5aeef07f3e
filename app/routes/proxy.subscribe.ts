import type { ActionFunctionArgs } from "@remix-run/node";
import { handleSignup } from "~/server/compliance/signup-endpoint.server";

// <shop>/apps/flowmate/subscribe through Shopify's app proxy: the storefront signup widget.
export const action = ({ request, context }: ActionFunctionArgs) => handleSignup(request, context);
export const loader = () => Response.json({ error: "Use POST" }, { status: 405, headers: { allow: "POST" } });
