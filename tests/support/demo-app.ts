import crypto from "node:crypto";
import { DEMO_API_SECRET } from "~/server/config.server";
import { DEMO_SHOP } from "../../demo/seed/demo-shop";
import type { AppProcess } from "./app-process";

// Talking to a demo app started by startApp (tests/support/app-process.ts) over HTTP,
// as Shopify and the demo's own pages do.

/** A webhook delivery to the demo shop, signed as Shopify signs it for the demo app. */
export function postDemoWebhook(app: AppProcess, topic: string, body: string): Promise<Response> {
  return fetch(`${app.url}/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": DEMO_SHOP.domain,
      "x-shopify-hmac-sha256": crypto.createHmac("sha256", DEMO_API_SECRET).update(body).digest("base64"),
      "x-shopify-webhook-id": crypto.randomUUID(),
      "x-shopify-api-version": "2026-10",
    },
  });
}

/** The demo's clock (/dev/clock). */
export async function demoNow(app: AppProcess): Promise<Date> {
  return new Date(((await (await fetch(`${app.url}/dev/clock`)).json()) as { now: string }).now);
}

/** Moves the demo's clock forward by `ms`; resolves to its new time. */
export async function advanceDemoClock(app: AppProcess, ms: number): Promise<Date> {
  const res = await fetch(`${app.url}/dev/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ms }),
  });
  return new Date(((await res.json()) as { now: string }).now);
}

/** Polls `check` until it holds; fails after `ms` with the end of the app's output. */
export async function waitForApp(app: AppProcess, check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${app.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
