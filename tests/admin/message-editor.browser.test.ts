// The message editor (/app/flows/<id>/messages/<step>) in a real browser, on the demo
// as `npm run demo` starts it: editing the subject changes the preview the real
// pipeline renders; a Liquid error is reported next to its field, the preview waits,
// and saving is refused (no new flow version).
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, launchBrowser, screenshotPath, withPage } from "../support/browser";

let app: AppProcess;
beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

/** The abandoned-checkout flow's first email, found from the flows page's report link. */
async function editorUrl(page: Page, lang = "en"): Promise<string> {
  await page.goto(`${app.url}/app/flows?lang=${lang}`, { waitUntil: "networkidle" });
  const own = await page.locator('[data-flow="abandoned_checkout"] a[href*="/report"]').first().getAttribute("href");
  const flowId = /\/app\/flows\/([^/?]+)\/report/.exec(own ?? "")?.[1];
  if (!flowId) throw new Error(`no flow link on the flows page (${own})`);
  return `${app.url}/app/flows/${flowId}/messages/send_1?lang=${lang}`;
}

const previewText = (page: Page) => page.frameLocator('iframe[data-testid="preview-frame"]').locator("body").innerText();

describe.skipIf(!hasChromium)("the message editor in a real browser", () => {
  it("edit a subject and see the preview change; a template error is reported and the save refused", { timeout: 240_000 }, async () => {
    await withPage(async (page) => {
      const url = await editorUrl(page);
      await page.goto(url, { waitUntil: "networkidle" });
      await page.getByRole("heading", { name: /^Message: / }).waitFor();
      const subject = page.getByLabel("Subject", { exact: true });
      await page
        .getByTestId("preview-subject")
        .filter({ hasText: /Subject: .+/ })
        .waitFor();
      expect(await previewText(page)).toContain("Unsubscribe");

      // A new subject and a new paragraph: the preview follows as the merchant types.
      await subject.fill("Your basket misses you, {{ customer.firstName }}");
      await page.getByTestId("preview-subject").filter({ hasText: "Subject: Your basket misses you, Alex" }).waitFor();
      const firstText = page.getByLabel("Text", { exact: true }).first();
      await firstText.fill("Fresh beans, roasted this week");
      await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Fresh beans, roasted this week");
      await page.screenshot({ path: screenshotPath("admin-message-editor-en.png"), fullPage: true });

      // A variable from the picker goes where the caret was.
      await subject.fill("Hi ");
      await subject.focus();
      await page.getByRole("button", { name: "Insert shop.name" }).click();
      await expect.poll(() => subject.inputValue()).toBe("Hi {{ shop.name }}");

      // A filter liquidjs does not know: reported next to the field, and the save is refused.
      await subject.fill("Hi {{ customer.first_name | nosuchfilter }}");
      const fieldError = page.getByText('unknown filter "nosuchfilter" (line 1, column 4)').first();
      await fieldError.waitFor({ timeout: 20_000 });
      await page.getByText("The preview waits until the errors are fixed.").waitFor();
      await page.getByRole("button", { name: "Save as a new version" }).click();
      await page.getByRole("alert").filter({ hasText: "Not saved" }).waitFor();
      expect(await page.getByText("Saved as version").count()).toBe(0);

      // An unclosed tag in a block, the same.
      await subject.fill("Back to normal");
      await firstText.fill("{% if customer.firstName %}Hello");
      await page.getByText("{% if customer.firstName %} is not closed (line 1, column 1)").first().waitFor({ timeout: 20_000 });
      await page.getByRole("button", { name: "Save as a new version" }).click();
      await page.getByRole("alert").filter({ hasText: "Not saved" }).waitFor();

      // Fixed: it saves as a new version.
      await firstText.fill("Fresh beans, roasted this week");
      await page.getByTestId("preview-subject").filter({ hasText: "Subject: Back to normal" }).waitFor({ timeout: 20_000 });
      await page.getByRole("button", { name: "Save as a new version" }).click();
      await page.getByText(/Saved as version \d+/).waitFor({ timeout: 20_000 });
      await page.getByText(/version \d+ · Email/).waitFor();
    });
  });

  it("looks right at desktop and mobile widths, in English and Polish", { timeout: 240_000 }, async () => {
    for (const [lang, width, height] of [
      ["en", 1280, 900],
      ["pl", 1280, 900],
      ["en", 390, 844],
      ["pl", 390, 844],
    ] as const) {
      const { context, close } = await launchBrowser({ viewport: { width, height } });
      try {
        const page = await context.newPage();
        await page.goto(await editorUrl(page, lang), { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: lang === "pl" ? /^Wiadomość: / : /^Message: / }).waitFor();
        if (lang === "pl") await page.getByRole("tab", { name: "Polski" }).click();
        await page.getByTestId("preview-subject").filter({ hasText: /: .+/ }).waitFor({ timeout: 20_000 });
        if (lang === "pl") await expect.poll(() => previewText(page), { timeout: 20_000 }).toContain("Wypisz się");
        // A frame below the fold is painted only once scrolled to.
        await page.getByTestId("preview-frame").scrollIntoViewIfNeeded();
        await page.screenshot({ path: screenshotPath(`admin-message-editor-${lang}-${width}.png`), fullPage: true });
      } finally {
        await close();
      }
    }
  });

  it(
    "shows the preview at desktop and mobile width: both frames stay rendered, one or both shown, never overlapping",
    { timeout: 240_000 },
    async () => {
      const frameText = (page: Page, id: string) => page.frameLocator(`iframe[data-testid="${id}"]`).locator("body").innerText();
      for (const [lang, width, height] of [
        ["en", 1280, 900],
        ["pl", 1280, 900],
        ["en", 390, 844],
        ["pl", 390, 844],
      ] as const) {
        const { context, close } = await launchBrowser({ viewport: { width, height } });
        try {
          const page = await context.newPage();
          await page.goto(await editorUrl(page, lang), { waitUntil: "networkidle" });
          const desktop = page.getByTestId("preview-frame");
          const mobile = page.getByTestId("preview-frame-mobile");
          await page.getByTestId("preview-subject").filter({ hasText: /: .+/ }).waitFor({ timeout: 20_000 });
          expect(await desktop.isVisible()).toBe(true);
          expect(await mobile.isVisible()).toBe(false);
          // The hidden phone frame holds the same render: an edit reaches it before it is shown.
          const line = `Roasted on ${lang}-${width}`;
          await page
            .getByLabel(lang === "pl" ? "Tekst" : "Text", { exact: true })
            .first()
            .fill(line);
          await expect.poll(() => frameText(page, "preview-frame"), { timeout: 20_000 }).toContain(line);
          await page.getByRole("button", { name: lang === "pl" ? "Telefon" : "Mobile", exact: true }).click();
          expect(await desktop.isVisible()).toBe(false);
          expect(await mobile.isVisible()).toBe(true);
          expect(await frameText(page, "preview-frame-mobile")).toContain(line);
          const phone = await mobile.boundingBox();
          expect(phone!.width).toBeLessThanOrEqual(375);
          expect(phone!.width).toBeGreaterThan(300);
          // The email inside is laid out at that width (no desktop layout squeezed).
          const inner = await page
            .frameLocator('iframe[data-testid="preview-frame-mobile"]')
            .locator("html")
            .evaluate((el) => el.clientWidth);
          expect(inner).toBeLessThanOrEqual(375);

          const both = page.getByRole("button", { name: lang === "pl" ? "Obie" : "Both", exact: true });
          await both.click();
          expect(await both.getAttribute("aria-pressed")).toBe("true");
          expect(await desktop.isVisible()).toBe(true);
          expect(await mobile.isVisible()).toBe(true);
          await page.getByText(lang === "pl" ? "Telefon · 375 px" : "Mobile · 375 px").waitFor();
          const d = (await desktop.boundingBox())!;
          const m = (await mobile.boundingBox())!;
          expect(d.width).toBeGreaterThanOrEqual(m.width);
          const sideBySide = m.x >= d.x + d.width;
          const stacked = m.y >= d.y + d.height;
          expect(sideBySide || stacked, JSON.stringify({ d, m })).toBe(true);
          if (width < 500) expect(stacked).toBe(true);
          // At a desktop's width the two sit side by side, each laid out at its own width (scaled to fit the pane).
          if (width >= 1280) {
            expect(sideBySide, JSON.stringify({ d, m })).toBe(true);
            const innerWidths = await Promise.all(
              ["preview-frame", "preview-frame-mobile"].map((id) =>
                page
                  .frameLocator(`iframe[data-testid="${id}"]`)
                  .locator("html")
                  .evaluate((el) => el.clientWidth),
              ),
            );
            expect(innerWidths[0]).toBeGreaterThan(innerWidths[1]!);
            expect(innerWidths[1]).toBeLessThanOrEqual(375);
            expect(Math.abs(d.y - m.y)).toBeLessThan(2);
          }
          await mobile.scrollIntoViewIfNeeded();
          await page.screenshot({ path: screenshotPath(`admin-message-editor-both-${lang}-${width}.png`), fullPage: true });
        } finally {
          await close();
        }
      }
    },
  );
});
