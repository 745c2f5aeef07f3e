import type { ActionFunctionArgs } from "@remix-run/node";
import { handleFeedback } from "~/server/compliance/feedback/feedback-endpoint.server";

// Bounce (DSN) and spam complaint (ARF) reports, posted raw by the shop's or the app's
// mail system: see README "Bounces and complaints".
export const action = ({ request, context, params }: ActionFunctionArgs) => handleFeedback(request, context, params.token);
export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } });
