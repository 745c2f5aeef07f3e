import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readEnv, shopifyCredentials } from "~/server/config.server";
import { requireDemo } from "../guard.server";
import { DEMO_SHOP } from "../seed/demo-shop";
import { forwardAppProxyRequest } from "../storefront/proxy.server";

// /apps/flowmate/* on the demo storefront: plays Shopify's app proxy. The request is
// signed the way Shopify signs it and forwarded to this app's /proxy/*, so the proxy
// routes run their real signature check. Demo only (on a real shop Shopify serves
// this path and it never reaches the app).
async function handle({ request, params }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> {
  requireDemo();
  const env = readEnv();
  return forwardAppProxyRequest(request, params["*"] ?? "", {
    shop: DEMO_SHOP.domain,
    secret: shopifyCredentials(env).apiSecretKey,
    // Always our own server over loopback: the Host header must not choose where a
    // signed request goes.
    appOrigin: `http://127.0.0.1:${env.PORT}`,
  });
}

export const loader = (args: LoaderFunctionArgs) => handle(args);
export const action = (args: ActionFunctionArgs) => handle(args);
