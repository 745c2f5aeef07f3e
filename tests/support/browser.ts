import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { describe } from "vitest";

// The one Chromium launcher of the tests (playwright-core, no bundled browsers):
// Debian's /usr/bin/chromium, or CHROMIUM_PATH.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = fs.existsSync(CHROMIUM_PATH);

/** The flags this offline machine needs (playwright adds --headless itself). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and removes its temporary profile. */
  close: () => Promise<void>;
}

/** Debian's Chromium, headless, with a fresh temporary profile (removed again by close()). */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Chromium> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-chromium-"));
  try {
    // launchPersistentContext passes --user-data-dir=<userDataDir> itself.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: options.viewport ?? { width: 1280, height: 900 },
      ...(options.locale ? { locale: options.locale } : {}),
      args: CHROMIUM_ARGS,
    });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        fs.rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

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

export function screenshotPath(name: string): string {
  const dir = path.resolve("screenshots");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
