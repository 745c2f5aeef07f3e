import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireDemo } from "../guard.server";
import { now } from "~/server/clock.server";
import { readJson } from "~/server/http/read-json.server";

// The storefront simulator's checkout tells "Shopify" (the demo's stand-in) the contact
// details it was given; the stand-in then sends the app Shopify's webhooks for them.
const Body = z
  .object({
    token: z.string().regex(/^[0-9a-f]{8,64}$/),
    email: z.email().max(254),
    phone: z
      .string()
      .regex(/^\+?[0-9]{8,15}$/)
      .nullable(),
    acceptsEmail: z.boolean(),
    acceptsSms: z.boolean(),
    firstName: z.string().max(100).nullable(),
    lastName: z.string().max(100).nullable(),
    lang: z.enum(["en", "pl"]),
    lines: z.array(z.object({ variantId: z.string().regex(/^\d{1,20}$/), quantity: z.number().int().min(1).max(99) })).max(50),
  })
  .strict();

export const loader = () => {
  requireDemo();
  return Response.json({ error: "Use POST" }, { status: 405 });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const parsed = await readJson(request, Body, 16 * 1024);
  if (!parsed.ok) return parsed.response;
  // Lazily: the stand-in reaches the Admin API stand-in, which needs graphql, a demo-only package.
  const { submitCheckoutContact } = await import("../standins/shopify-checkout.server");
  const sent = await submitCheckoutContact(parsed.data, new URL(request.url).origin, now());
  return Response.json(sent);
};
