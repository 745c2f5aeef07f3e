// The admin's System health page (/app/health) in a real browser, on the demo as
// `npm run demo` starts it: a webhook delivery the worker really set aside (a
// fulfillment whose order never came, retried with backoff until it gave up) is listed
// with its error; once its order has arrived, Retry sends it back to its queue, where
// the worker does it.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderPayload } from "../capture/shopify-fixtures";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, screenshotPath, withPage } from "../support/browser";
import { advanceDemoClock, demoNow, postDemoWebhook, waitForApp } from "../support/demo-app";

const ORDER_ID = 5820982904242;
const ORDER_NAME = "#4242";

let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe.skipIf(!hasChromium)("System health in a real browser", () => {
  it(
    "lists a set-aside webhook with its error, in English and Polish; Retry sends it back to its queue and the worker does it",
    { timeout: 240_000 },
    async () => {
      const start = await demoNow(app);
      const fulfillment = {
        id: 4100000042,
        order_id: ORDER_ID,
        status: "success",
        created_at: start.toISOString(),
        tracking_number: "PL4242",
      };
      expect((await postDemoWebhook(app, "fulfillments/create", JSON.stringify(fulfillment))).status).toBe(200);
      // The worker waits for the order with backoff (2 s, 4 s ... 512 s) and sets the
      // delivery aside after 10 attempts; the demo clock skips the waits.
      for (let i = 0; ; i++) {
        const html = await (await fetch(`${app.url}/app/health`)).text();
        if (html.includes("not received yet")) break;
        if (i > 40) throw new Error(`the delivery was not set aside:\n${app.output().slice(-3000)}`);
        await advanceDemoClock(app, 10 * 60_000);
        await new Promise((r) => setTimeout(r, 500));
      }

      await withPage(async (page) => {
        await page.goto(`${app.url}/app/health`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "System health" }).waitFor();
        const row = page.getByRole("row").filter({ hasText: "not received yet" });
        const [item, , error, attempts] = await row.getByRole("cell").allTextContents();
        expect(item).toMatch(/^Webhook fulfillments\/create · delivery …\w{8}$/);
        // The order's id is a long number: masked like a phone number in stored errors (worker/failure-text.server.ts).
        expect(error).toBe("Error: order [number] not received yet");
        expect(attempts).toBe("10");
        // Task health and flows beside it.
        await page.getByRole("heading", { name: "Background tasks" }).waitFor();
        const webhooksTask = page.getByRole("row").filter({ hasText: "Shopify webhooks" });
        expect(await webhooksTask.count()).toBe(1);
        // The queue moves, but an item waits for the merchant: not "On time".
        expect(await webhooksTask.textContent()).toContain("1 set aside");
        expect(await page.getByRole("row").filter({ hasText: "Welcome series" }).count()).toBe(1);
        await page.screenshot({ path: screenshotPath("admin-health-en.png"), fullPage: true });

        await page.goto(`${app.url}/app/health?lang=pl`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Stan systemu" }).waitFor();
        await page.getByRole("heading", { name: "Odłożone elementy" }).waitFor();
        expect(await page.getByRole("button", { name: "Ponów" }).count()).toBe(1);
        // Catalogue flows in the admin's language, not the name stored at install.
        expect(await page.getByRole("row").filter({ hasText: "Seria powitalna" }).count()).toBe(1);
        await page.screenshot({ path: screenshotPath("admin-health-pl.png"), fullPage: true });

        // The cause is fixed: the order arrives.
        const order = orderPayload({
          id: ORDER_ID,
          name: ORDER_NAME,
          created_at: start.toISOString(),
          updated_at: start.toISOString(),
          processed_at: start.toISOString(),
        });
        expect((await postDemoWebhook(app, "orders/create", JSON.stringify(order))).status).toBe(200);
        await waitForApp(app, async () => (await (await fetch(`${app.url}/app`)).text()).includes(ORDER_NAME), "the order");
        const before = await eventsLast24h(page);

        await page.goto(`${app.url}/app/health`, { waitUntil: "networkidle" });
        await row.getByRole("button", { name: "Retry" }).click();
        await page.getByText("Sent back to its queue.").waitFor();
        await page.getByText("Nothing is set aside: every queue is moving.").waitFor();
        await page.screenshot({ path: screenshotPath("admin-health-retried-en.png"), fullPage: true });
        // Back in its queue, the worker did it this time: the fulfillment is recorded, and nothing is set aside again.
        await waitForApp(app, async () => (await eventsLast24h(page)) === before + 1, "the fulfillment to be recorded");
        await page.goto(`${app.url}/app/health`, { waitUntil: "networkidle" });
        await page.getByText("Nothing is set aside: every queue is moving.").waitFor();
        expect(await page.getByRole("row").filter({ hasText: "Shopify webhooks" }).textContent()).not.toContain("set aside");
      });
    },
  );
});

/** The overview's count of events in the last 24 hours (webhook events count too). */
async function eventsLast24h(page: Page): Promise<number> {
  await page.goto(`${app.url}/app`, { waitUntil: "networkidle" });
  const value = page.getByRole("heading", { name: "Storefront events, last 24 h" }).locator("xpath=following-sibling::p");
  return Number((await value.textContent())?.replace(/\D/g, ""));
}
