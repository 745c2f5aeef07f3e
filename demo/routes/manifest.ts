// The demo's pages and endpoints: registered with Remix by vite.config.ts (app/routes
// holds only the product's routes). Every one of them starts with requireDemo(), so in
// production they answer 404 as if they did not exist. Handlers that need a demo-only
// package (graphql, smtp-server, mailparser) import it lazily, after that check: a
// production install (`npm ci --omit=dev`) does not have them.
export interface DemoRoute {
  /** Remix route id. */
  id: string;
  /** URL path, in Remix's `:param` / `*` syntax. */
  path: string;
  /** Module under demo/routes/. */
  file: string;
}

export const DEMO_ROUTES: readonly DemoRoute[] = [
  { id: "demo/clock", path: "dev/clock", file: "clock.ts" },
  { id: "demo/clock-advance", path: "dev/clock/advance", file: "clock-advance.ts" },
  { id: "demo/overview-actions", path: "dev/actions", file: "overview-actions.ts" },
  { id: "demo/mail", path: "dev/mail", file: "mail.tsx" },
  { id: "demo/sms", path: "dev/sms", file: "sms.tsx" },
  { id: "demo/storefront", path: "dev/storefront", file: "storefront.ts" },
  { id: "demo/storefront-image", path: "dev/storefront/image/:handle", file: "storefront-image.ts" },
  // Plays Shopify's side of the checkout's contact step (customer, consent and checkout webhooks).
  { id: "demo/storefront-checkout", path: "dev/storefront/checkout", file: "storefront-checkout.ts" },
  { id: "demo/assets", path: "dev/assets/*", file: "assets.ts" },
  { id: "demo/admin-api-graphql", path: "dev/shopify/:shop/admin/api/:version/graphql.json", file: "admin-api-graphql.ts" },
  { id: "demo/twilio-messages", path: "dev/twilio/2010-04-01/Accounts/:AccountSid/Messages.json", file: "twilio-messages.ts" },
  // Plays Shopify's app proxy on the demo storefront.
  { id: "demo/app-proxy", path: "apps/flowmate/*", file: "app-proxy.ts" },
];
