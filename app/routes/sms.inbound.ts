import type { ActionFunctionArgs } from "@remix-run/node";
import { handleInboundSms } from "~/server/channels/sms/inbound.server";
import { limitPublicRequest } from "~/server/http/public-limits.server";

// Twilio's incoming-message webhook (configure the number's "A message comes in" URL as <app>/sms/inbound, HTTP POST).
export const action = ({ request, context }: ActionFunctionArgs) =>
  limitPublicRequest("sms_inbound", request, context, undefined) ?? handleInboundSms(request);
export const loader = () => new Response("Method Not Allowed", { status: 405, headers: { allow: "POST" } });
