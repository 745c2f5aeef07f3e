import type { ActionFunctionArgs } from "@remix-run/node";
import { handleWebhookRoute } from "~/server/ingestion/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => handleWebhookRoute(request, "refunds/create");
