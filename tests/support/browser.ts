import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM_PATH);

/** Debian's Chromium, headless, with the flags this offline machine needs. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
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

export function screenshotPath(name: string): string {
  const dir = path.resolve("screenshots");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
