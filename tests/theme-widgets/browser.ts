// Launching the system Chromium for the theme widget tests (playwright-core, no
// bundled browsers). Tests that need it use describeInChromium(), which turns into
// a clearly labelled describe.skip when /usr/bin/chromium is not installed.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { describe } from "vitest";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM_PATH);

export const CHROMIUM_ARGS = [
  "--headless",
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
  close(): Promise<void>;
}

/** A fresh Chromium with its own temporary profile (removed again by close()). */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<Chromium> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "flowmate-chromium-"));
  try {
    // launchPersistentContext passes --user-data-dir=<userDataDir> itself.
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      locale: "en-US",
      timeout: 30_000,
    });
    return {
      context,
      async close() {
        await context.close().catch(() => {});
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** describe() when Chromium is installed, otherwise a describe.skip that says why. */
export function describeInChromium(name: string, fn: () => void): void {
  if (hasChromium) describe(name, fn);
  else describe.skip(`${name} [skipped: Chromium not found at ${CHROMIUM_PATH}]`, fn);
}
