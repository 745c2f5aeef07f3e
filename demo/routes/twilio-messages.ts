import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { twilioErrorBody } from "~/server/channels/sms/twilio-wire";
import { requireDemo } from "../guard.server";
import { createMessage, listMessages } from "../standins/twilio.server";

// Twilio's Messages API, stood in for the demo: server.ts points SMS_API_BASE_URL at
// /dev/twilio, so the app's real Twilio provider sends here.
export const loader = ({ request, params }: LoaderFunctionArgs) => {
  requireDemo();
  return listMessages(request, params.AccountSid ?? "");
};

export const action = ({ request, params }: ActionFunctionArgs) => {
  requireDemo();
  if (request.method !== "POST") return Response.json(twilioErrorBody(405, 20004, "Method not allowed"), { status: 405 });
  return createMessage(request, params.AccountSid ?? "");
};
