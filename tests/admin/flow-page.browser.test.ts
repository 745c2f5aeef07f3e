// The flow page (/app/flows/<id>) in a real browser, on the demo as `npm run demo`
// starts it: a delay changed on the page changes the timeline and the wake time of
// the next customer to enter (one already running keeps its version); an invalid
// value is refused next to its field; rolling back brings the earlier delay back, for
// the timeline and for the next entrant. A message switched from email to SMS shows
// its channel on the timeline and in the change log, opens in the SMS text editor with
// a text to start from, and switching back brings the email back. The message with the
// welcome code switches too, and its SMS prints the code.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCustomers } from "../../demo/seed/demo-shop";
import { checkoutPayload } from "../capture/shopify-fixtures";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, screenshotPath, withPage } from "../support/browser";
import { demoNow, postDemoWebhook, waitForApp } from "../support/demo-app";

let app: AppProcess;
beforeAll(async () => {
  // A loaded machine (CI runners share cores) can take longer than the default to seed the demo.
  app = await startApp({ healthyWithinMs: 240_000 });
}, 300_000);
afterAll(async () => {
  await app?.stop();
});

const shoppers = demoCustomers().filter((c) => c.emailConsent === "subscribed" && c.email);
let checkouts = 0;

/** A shopper leaves a checkout: Shopify's checkouts/create webhook, as the demo's checkout sends it. */
async function abandonCheckout(): Promise<void> {
  const shopper = shoppers[checkouts++]!;
  const at = await demoNow(app);
  const token = `chk-flow-page-${checkouts}`;
  const body = JSON.stringify(
    checkoutPayload({
      id: 9818200700000 + checkouts,
      token,
      email: shopper.email,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
      abandoned_checkout_url: `https://example.myshopify.com/1/checkouts/${token}/recover?key=k`,
    }),
  );
  expect((await postDemoWebhook(app, "checkouts/create", body)).status).toBe(200);
}

/** Opens a flow from the flows list, as a merchant does; returns the flow page's address. */
async function openFlow(page: Page, key: string): Promise<string> {
  await page.goto(`${app.url}/app/flows`, { waitUntil: "networkidle" });
  await page.locator(`[data-flow="${key}"]`).getByRole("link", { name: "Open flow" }).click();
  await page.waitForURL(/\/app\/flows\/\w+$/);
  return page.url();
}

/** The error Polaris shows under a field (the input's aria-describedby), with the field marked invalid. */
async function errorUnder(field: Locator): Promise<string | null> {
  if ((await field.getAttribute("aria-invalid")) !== "true") return null;
  const ids = (await field.getAttribute("aria-describedby"))?.split(/\s+/).filter((id) => id.endsWith("Error")) ?? [];
  if (ids.length !== 1) return null;
  return field.page().locator(`[id="${ids[0]}"]`).textContent();
}

/** The flow page's latest entries: per entry, the hours from entering to its next step (newest first). */
async function entries(page: Page, url: string, count: number): Promise<{ version: number; wakeAfterHours: number }[]> {
  let rows: { version: number; wakeAfterHours: number }[] = [];
  await waitForApp(
    app,
    async () => {
      await page.goto(url, { waitUntil: "networkidle" });
      const table = page.getByTestId("latest-entries");
      if ((await table.count()) === 0) return false;
      rows = await table.locator("tbody tr").evaluateAll((trs) =>
        trs.map((tr) => {
          const entered = tr.querySelector("[data-entered-at]")!.getAttribute("data-entered-at")!;
          const wake = tr.querySelector("[data-wake-at]")!.getAttribute("data-wake-at")!;
          const version = Number(tr.querySelector("[data-entry-version]")!.getAttribute("data-entry-version"));
          return { version, wakeAfterHours: wake ? (Date.parse(wake) - Date.parse(entered)) / 3_600_000 : Number.NaN };
        }),
      );
      return rows.length >= count;
    },
    `${count} entries on the flow page`,
  );
  return rows;
}

describe.skipIf(!hasChromium)("the flow page in a real browser", () => {
  it(
    "edits a delay in place, the next entrant waits the new delay; rolling back brings the old one back",
    { timeout: 300_000 },
    async () => {
      await withPage(async (page) => {
        const url = await openFlow(page, "abandoned_checkout");
        await page.getByRole("heading", { name: "Timeline" }).waitFor();
        const wait1 = page.locator('[data-row="wait_1"] [data-title]');
        expect(await wait1.textContent()).toBe("Wait 1 hour after the checkout");
        expect(await page.locator('[data-row="check_value"] [data-title]').textContent()).toBe("If checkout value ≥ 50");
        expect(await page.getByRole("link", { name: "Edit message (Email 1)" }).getAttribute("href")).toMatch(
          /\/app\/flows\/\w+\/messages\/send_1$/,
        );
        expect(await page.getByRole("link", { name: "Staged rollout" }).first().getAttribute("href")).toMatch(/\/rollout$/);

        // One shopper enters on the current version: the first email is due an hour after entering.
        await abandonCheckout();
        const [first] = await entries(page, url, 1);
        expect(first!.wakeAfterHours).toBe(1);
        const before = first!.version;

        // An invalid delay is refused next to its field; nothing is saved.
        await page.getByRole("button", { name: "Edit steps" }).click();
        await page.getByLabel("Wait before email 1").fill("0");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        await page.getByText("The flow was not saved: fix the fields marked below.").waitFor();
        expect(await errorUnder(page.getByLabel("Wait before email 1"))).toBe("Enter a time longer than zero.");

        // Two hours instead of one.
        await page.getByLabel("Wait before email 1").fill("2");
        await page.getByLabel("Change note").fill("Give shoppers more time");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        await page.getByText(`Saved as version ${before + 1}.`).waitFor();
        // The banner comes with the action's answer; the timeline with the loader's, right after.
        await wait1.filter({ hasText: /^Wait 2 hours after the checkout$/ }).waitFor();
        const latest = page.locator(`[data-version="${before + 1}"]`);
        expect(await latest.locator("[data-diff]").allTextContents()).toEqual(["Wait before email 1: 1 h → 2 h"]);
        expect(await latest.textContent()).toContain("Give shoppers more time");
        expect(await latest.locator("[data-diff]").allTextContents()).toEqual(["Wait before email 1: 1 h → 2 h"]);
        await page.screenshot({ path: screenshotPath("admin-flow-en.png"), fullPage: true });

        // The next shopper waits two hours; the one already running keeps its version.
        await abandonCheckout();
        const afterEdit = await entries(page, url, 2);
        expect(afterEdit.map((e) => [e.version, e.wakeAfterHours])).toEqual([
          [before + 1, 2],
          [before, 1],
        ]);

        // Roll back, after a confirmation.
        await page.getByRole("button", { name: `Roll back to version ${before}` }).click();
        await page.getByText(`Roll back to version ${before}? New entrants will start on it`).waitFor();
        await page.getByRole("button", { name: "Roll back", exact: true }).click();
        await page.getByText(`Version ${before} is active again (as version ${before + 2}).`).waitFor();
        await wait1.filter({ hasText: /^Wait 1 hour after the checkout$/ }).waitFor();
        expect(await page.locator(`[data-version="${before + 2}"] [data-diff]`).allTextContents()).toEqual([
          "Wait before email 1: 2 h → 1 h",
        ]);

        await abandonCheckout();
        const afterRollback = await entries(page, url, 3);
        expect(afterRollback[0]).toMatchObject({ version: before + 2, wakeAfterHours: 1 });

        // The page in Polish and at a phone's width.
        await page.goto(`${url}?lang=pl`, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Porzucony checkout" }).waitFor();
        expect(await wait1.textContent()).toBe("Czekaj 1 godzinę od: rozpoczęcia checkoutu");
        await page.getByRole("heading", { name: "Historia zmian" }).waitFor();
        await page.screenshot({ path: screenshotPath("admin-flow-pl.png"), fullPage: true });
        await page.getByRole("button", { name: "Edytuj kroki" }).click();
        await page.screenshot({ path: screenshotPath("admin-flow-edit-pl.png"), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(url, { waitUntil: "networkidle" });
        await page.screenshot({ path: screenshotPath("admin-flow-mobile-en.png"), fullPage: true });
        await page.goto(`${url}?lang=pl`, { waitUntil: "networkidle" });
        await page.screenshot({ path: screenshotPath("admin-flow-mobile-pl.png"), fullPage: true });
      });
    },
  );

  it("edits the flow filter in place: the entry row and the change log show it, in English and Polish", { timeout: 300_000 }, async () => {
    await withPage(async (page) => {
      const url = await openFlow(page, "abandoned_checkout");
      const entry = page.locator('[data-row="entry"]');
      expect(await entry.textContent()).not.toContain("Filter");

      await page.getByRole("button", { name: "Edit steps" }).click();
      const add = entry.getByRole("group", { name: "Add a condition" });
      await entry.getByText("No filter: everyone who triggers the flow may enter.").waitFor();
      await page.screenshot({ path: screenshotPath("admin-flow-filter-edit-en.png"), fullPage: true });

      // A condition without a value is refused under its Value field.
      await add.getByLabel("Customer fact").selectOption("customer.ordersCount");
      await page.getByRole("button", { name: "Save as a new version" }).click();
      await page.getByText("The flow was not saved: fix the fields marked below.").waitFor();
      expect(await errorUnder(add.getByLabel("Value"))).toBe("Enter a value for the new condition.");

      await add.getByLabel("Customer fact").selectOption("customer.ordersCount");
      await add.getByLabel("Value").fill("0");
      await page.getByLabel("Re-entry").selectOption("never");
      await page.getByLabel("Change note").fill("Only shoppers who never ordered");
      await page.getByRole("button", { name: "Save as a new version" }).click();
      await page.getByText(/^Saved as version \d+\.$/).waitFor();
      await entry.getByText("Filter, checked on entry and before every message: customer's order count = 0", { exact: true }).waitFor();
      expect(await entry.locator("[data-title]").textContent()).toBe("Needs email or SMS marketing consent; enters once per customer");
      const latest = page.locator("[data-version]").first();
      expect(await latest.locator("[data-diff]").allTextContents()).toEqual([
        "Flow filter: none → customer's order count = 0",
        "Re-entry: enters at most once per 3 days → enters once per customer",
      ]);
      await page.screenshot({ path: screenshotPath("admin-flow-filter-en.png"), fullPage: true });

      // The saved filter comes back as an editable leaf.
      await page.getByRole("button", { name: "Edit steps" }).click();
      expect(await page.getByLabel("Comparison (customer's order count)").inputValue()).toBe("eq");
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: screenshotPath("admin-flow-filter-edit-mobile-en.png"), fullPage: true });

      await page.goto(`${url}?lang=pl`, { waitUntil: "networkidle" });
      await entry
        .getByText("Filtr, sprawdzany przy wejściu i przed każdą wiadomością: liczba zamówień klienta = 0", { exact: true })
        .waitFor();
      expect(await page.locator("[data-version]").first().locator("[data-diff]").allTextContents()).toEqual([
        "Filtr przepływu: brak → liczba zamówień klienta = 0",
        "Ponowne wejście: klient wchodzi najwyżej raz na 3 dni → klient wchodzi tylko raz",
      ]);
      await page.screenshot({ path: screenshotPath("admin-flow-filter-mobile-pl.png"), fullPage: true });
      await page.getByRole("button", { name: "Edytuj kroki" }).click();
      await entry.getByRole("group", { name: "Dodaj warunek" }).waitFor();
      await page.screenshot({ path: screenshotPath("admin-flow-filter-edit-mobile-pl.png"), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: screenshotPath("admin-flow-filter-edit-pl.png"), fullPage: true });
    });
  });

  it(
    "adds a condition to a condition step: the timeline and the change log show it, EN and PL; a refused edit is marked under its field",
    { timeout: 300_000 },
    async () => {
      await withPage(async (page) => {
        const url = await openFlow(page, "abandoned_checkout");
        const check = page.locator('[data-row="check_value"]');
        const title = check.locator("[data-title]");
        expect(await title.textContent()).toBe("If checkout value ≥ 50");

        await page.getByRole("button", { name: "Edit steps" }).click();
        const add = check.getByRole("group", { name: "Add a condition (Checkout worth an incentive?)" });
        await check.getByLabel("Which conditions must hold (Checkout worth an incentive?)").selectOption("any");
        await add.getByLabel("Condition on").selectOption("customer.countryCode");
        // Two mistakes: a re-entry window of zero hours, a condition without a value.
        await page.getByLabel("Re-entry").selectOption("window");
        const hours = page.getByLabel("N (hours between entries)");
        await hours.fill("0");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        await page.getByText("The flow was not saved: fix the fields marked below.").waitFor();
        expect(await errorUnder(hours)).toBe("Enter a number greater than 0.");
        expect(await errorUnder(add.getByLabel("Value"))).toBe("Enter a value for the new condition.");
        // What the merchant typed and chose is still there.
        expect(await hours.inputValue()).toBe("0");
        expect(await add.getByLabel("Condition on").inputValue()).toBe("customer.countryCode");
        await page.setViewportSize({ width: 1280, height: 900 });
        await check.scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath("admin-flow-condition-errors-en.png"), fullPage: true });

        await hours.fill("48");
        await add.getByLabel("Value").fill("PL");
        await page.getByLabel("Change note").fill("Polish shoppers get the incentive too");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        await page.getByText(/^Saved as version \d+\.$/).waitFor();
        await title.filter({ hasText: /^If checkout value ≥ 50 or customer's country code = PL$/ }).waitFor();
        const latest = page.locator("[data-version]").first();
        // The re-entry it had depends on what ran before (the filter test sets it): only the new value is asserted.
        expect(await latest.locator("[data-diff]").allTextContents()).toEqual([
          expect.stringMatching(/^Re-entry: .+ → enters at most once per 2 days$/),
          "Checkout worth an incentive?: checkout value ≥ 50 → checkout value ≥ 50 or customer's country code = PL",
        ]);
        await page.screenshot({ path: screenshotPath("admin-flow-condition-en.png"), fullPage: true });

        // The saved condition comes back as two editable leaves, "any of them".
        await page.getByRole("button", { name: "Edit steps" }).click();
        expect(await check.getByLabel("Which conditions must hold (Checkout worth an incentive?)").inputValue()).toBe("any");
        expect(await check.getByLabel("Comparison (customer's country code)").inputValue()).toBe("eq");
        await page.screenshot({ path: screenshotPath("admin-flow-condition-edit-en.png"), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: screenshotPath("admin-flow-condition-edit-mobile-en.png"), fullPage: true });

        // Polish: the timeline, the change log, and a refused edit in Polish under its field.
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(`${url}?lang=pl`, { waitUntil: "networkidle" });
        await title.filter({ hasText: /^Jeśli wartość checkoutu ≥ 50 lub kod kraju klienta = PL$/ }).waitFor();
        expect(await page.locator("[data-version]").first().locator("[data-diff]").allTextContents()).toEqual([
          expect.stringMatching(/^Ponowne wejście: .+ → klient wchodzi najwyżej raz na 2 dni$/),
          "Koszyk wart zachęty?: wartość checkoutu ≥ 50 → wartość checkoutu ≥ 50 lub kod kraju klienta = PL",
        ]);
        await page.getByRole("button", { name: "Edytuj kroki" }).click();
        const hoursPl = page.getByLabel("N (godziny między wejściami)");
        await hoursPl.fill("");
        const addPl = check.getByRole("group", { name: "Dodaj warunek (Koszyk wart zachęty?)" });
        await addPl.getByLabel("Warunek dotyczy").selectOption("customer.ordersCount");
        await page.getByRole("button", { name: "Zapisz jako nową wersję" }).click();
        await page.getByText("Przepływ nie został zapisany: popraw zaznaczone pola.").waitFor();
        expect(await errorUnder(hoursPl)).toBe("Wpisz liczbę.");
        expect(await errorUnder(addPl.getByLabel("Wartość"))).toBe("Wpisz wartość nowego warunku.");
        await page.screenshot({ path: screenshotPath("admin-flow-condition-errors-pl.png"), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: screenshotPath("admin-flow-condition-errors-mobile-pl.png"), fullPage: true });
      });
    },
  );

  it(
    "switches a message between email and SMS: the timeline, the change log and the message editor follow",
    { timeout: 300_000 },
    async () => {
      await withPage(async (page) => {
        const url = await openFlow(page, "welcome");
        const row = page.locator('[data-row="send_2"]');
        expect(await row.locator("[data-title]").textContent()).toBe("Send Email 2");
        expect(await row.locator("[data-channel]").getAttribute("data-channel")).toBe("email");
        expect(await page.locator("[data-row] [data-channel]").count()).toBeGreaterThanOrEqual(3);

        await page.getByRole("button", { name: "Edit steps" }).click();
        await row.getByLabel("Channel (Email 2)").selectOption("sms");
        await page.screenshot({ path: screenshotPath("admin-flow-channel-edit-en.png"), fullPage: true });
        await page.getByLabel("Change note").fill("Text the second message");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        // The flow is on: the texts' cost first, as when an SMS flow is turned on; nothing saved yet.
        const cost = page.locator('[data-slot="sms-cost"]');
        await cost.getByText("This flow is on: a message becomes an SMS").waitFor();
        expect(await cost.textContent()).toContain("SMS cost estimate");
        expect(await row.getByLabel("Channel (Email 2)").inputValue()).toBe("sms");
        await page.screenshot({ path: screenshotPath("admin-flow-channel-cost-en.png"), fullPage: true });
        await page.getByRole("button", { name: "Confirm the SMS cost and save" }).click();
        await page.getByText(/^Saved as version \d+\.$/).waitFor();
        await row.locator('[data-channel="sms"]').waitFor();
        expect(await row.locator("[data-title]").textContent()).toBe("Send SMS 1");
        expect(await row.locator("[data-channel]").textContent()).toBe("SMS");
        expect(await page.locator('[data-row="entry"] [data-title]').textContent()).toMatch(/^Needs email or SMS marketing consent/);
        const latest = page.locator("[data-version]").first();
        expect(await latest.locator("[data-diff]").allTextContents()).toEqual(
          expect.arrayContaining(["Consent needed to enter: Email marketing → Email or SMS marketing", "Email 2: channel: email → SMS"]),
        );
        await page.screenshot({ path: screenshotPath("admin-flow-channel-en.png"), fullPage: true });

        // The message editor opens the step as an SMS, with a text to start from.
        await page.getByRole("link", { name: "Edit message (SMS 1)" }).click();
        await page.waitForURL(/\/messages\/send_2/);
        const text = page.getByLabel("Text message");
        await text.waitFor();
        expect(await text.inputValue()).toContain("{{ links.recoveryUrl }}");
        await page.screenshot({ path: screenshotPath("admin-flow-channel-sms-editor-en.png"), fullPage: true });

        await page.goto(`${url}?lang=pl`, { waitUntil: "networkidle" });
        expect(await row.locator("[data-title]").textContent()).toBe("Wyślij: SMS 1");
        expect(await page.locator('[data-row="send_1"] [data-channel]').textContent()).toBe("E-mail");
        expect(await page.locator("[data-version]").first().locator("[data-diff]").allTextContents()).toContain(
          "E-mail 2: kanał: e-mail → SMS",
        );
        await page.screenshot({ path: screenshotPath("admin-flow-channel-pl.png"), fullPage: true });
        await page.getByRole("button", { name: "Edytuj kroki" }).click();
        await page.screenshot({ path: screenshotPath("admin-flow-channel-edit-pl.png"), fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: screenshotPath("admin-flow-channel-edit-mobile-pl.png"), fullPage: true });
        await page.goto(url, { waitUntil: "networkidle" });
        await page.screenshot({ path: screenshotPath("admin-flow-channel-mobile-en.png"), fullPage: true });
        await page.setViewportSize({ width: 1280, height: 900 });

        // Back to email: the step is Email 2 again, and the change log says so.
        await page.getByRole("button", { name: "Edit steps" }).click();
        await row.getByLabel("Channel (SMS 1)").selectOption("email");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        await page.getByText(/^Saved as version \d+\.$/).waitFor();
        await row.locator('[data-channel="email"]').waitFor();
        expect(await row.locator("[data-title]").textContent()).toBe("Send Email 2");
        expect(await page.locator('[data-row="entry"] [data-title]').textContent()).toMatch(/^Needs email marketing consent/);
        expect(await page.locator("[data-version]").first().locator("[data-diff]").allTextContents()).toContain(
          "SMS 1: channel: SMS → email",
        );
      });
    },
  );

  it(
    "switches the message that carries the welcome code to SMS: the editor offers the code and its preview prints one",
    { timeout: 300_000 },
    async () => {
      await withPage(async (page) => {
        const url = await openFlow(page, "welcome");
        const row = page.locator('[data-row="send_3_offer"]');
        await page.getByRole("button", { name: "Edit steps" }).click();
        // A discount code no longer holds a message on email.
        const channel = row.getByLabel(/^Channel \(/);
        expect(await channel.isDisabled()).toBe(false);
        await channel.selectOption("sms");
        await page.getByRole("button", { name: "Save as a new version" }).click();
        await page.getByRole("button", { name: "Confirm the SMS cost and save" }).click();
        await page.getByText(/^Saved as version \d+\.$/).waitFor();
        await row.locator('[data-channel="sms"]').waitFor();
        await page.screenshot({ path: screenshotPath("admin-flow-discount-sms-en.png"), fullPage: true });

        // The SMS starts with the code in it; the code is among the variables, and the preview prints a sample one.
        await page.getByRole("link", { name: "Edit message (SMS 1)" }).click();
        await page.waitForURL(/\/messages\/send_3_offer/);
        const text = page.getByLabel("Text message");
        await text.waitFor();
        expect(await text.inputValue()).toMatch(/ Your code: \{\{ discount\.code \}\}$/);
        await page.getByRole("button", { name: "Insert discount.valueLabel" }).waitFor();
        await expect.poll(() => page.getByTestId("sms-body").textContent(), { timeout: 20_000 }).toMatch(/Your code: WELCOME-\w{8}/);
        expect(await page.getByTestId("sms-segments").textContent()).toMatch(/\d/);
        await page.screenshot({ path: screenshotPath("admin-message-editor-sms-code-en.png"), fullPage: true });
        const editorPl = new URL(page.url());
        editorPl.searchParams.set("lang", "pl");
        await page.goto(editorPl.href, { waitUntil: "networkidle" });
        await page.getByRole("button", { name: "Wstaw discount.code" }).waitFor();
        await expect.poll(() => page.getByTestId("sms-body").textContent(), { timeout: 20_000 }).toMatch(/Twój kod: WELCOME-\w{8}/);
        await page.screenshot({ path: screenshotPath("admin-message-editor-sms-code-pl.png"), fullPage: true });
        await page.goto(`${url}?lang=pl`, { waitUntil: "networkidle" });
        await page.screenshot({ path: screenshotPath("admin-flow-discount-sms-pl.png"), fullPage: true });
      });
    },
  );
});
