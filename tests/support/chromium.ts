import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

// The one Chromium launcher of the tests, scripts and benches (playwright-core, no
// bundled browsers): Debian's /usr/bin/chromium, or CHROMIUM_PATH. Free of vitest, so
// scripts (npm run screenshots) and benches can use it; tests use ./browser.ts.

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

/** screenshots/<name> (git-ignored), its folder created. */
export function screenshotPath(name: string): string {
  const dir = path.resolve("screenshots");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
