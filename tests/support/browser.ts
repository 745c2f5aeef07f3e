import type { Page } from "playwright-core";
import { describe } from "vitest";
import { CHROMIUM_PATH, hasChromium, launchBrowser } from "./chromium";

// The tests' side of the Chromium launcher (./chromium.ts): describe/skip, a page that fails on script errors.

export { CHROMIUM_PATH, hasChromium, launchBrowser, screenshotPath, type Chromium } from "./chromium";

/** describe() when Chromium is installed, otherwise a describe.skip that says why. */
export function describeInChromium(name: string, fn: () => void): void {
  if (hasChromium) describe(name, fn);
  else describe.skip(`${name} [skipped: Chromium not found at ${CHROMIUM_PATH}]`, fn);
}

/**
 * Runs `use` on a fresh page of a fresh browser, then fails if the page threw: a
 * script error on an admin page is a broken page even when the text is right.
 */
export async function withPage(use: (page: Page) => Promise<void>): Promise<void> {
  const { context, close } = await launchBrowser();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await use(page);
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join("; ")}`);
  } finally {
    await close();
  }
}
