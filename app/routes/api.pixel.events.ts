import type { ActionFunctionArgs } from "@remix-run/node";
import { handlePixelRequest } from "~/server/ingestion/pixel-endpoint.server";

// Storefront events from the Web Pixel (extensions/web-pixel).
export const loader = ({ request }: ActionFunctionArgs) => handlePixelRequest(request);
export const action = ({ request }: ActionFunctionArgs) => handlePixelRequest(request);
