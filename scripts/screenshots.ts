// `npm run screenshots`: a full-page PNG of every admin page of the built demo app, at
// desktop (1280x900) and phone (390x844) widths, in English and Polish, into
// screenshots/ (git-ignored). The pages come from the route files
// (tests/support/admin-pages.ts), so a new page is included without editing this.
// Builds the app first when there is no build; `--build` rebuilds anyway.
// Exits 1 when a page does not answer 200, throws or logs an error in the browser;
// resources that fail to load are listed apart.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resolveAdminPages } from "../tests/support/admin-pages";
import { startApp } from "../tests/support/app-process";
import { hasChromium, CHROMIUM_PATH, launchBrowser, screenshotPath } from "../tests/support/chromium";

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  mobile: { width: 390, height: 844 },
} as const;
export const LANGS = ["en", "pl"] as const;

function ensureBuild(): void {
  if (!process.argv.includes("--build") && fs.existsSync("build/server/index.js")) return;
  process.stderr.write("building the app (npm run build)...\n");
  execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
}

async function main(): Promise<number> {
  if (!hasChromium) {
    process.stderr.write(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)\n`);
    return 1;
  }
  ensureBuild();
  const app = await startApp({ env: { DEMO_HISTORY: process.env.DEMO_HISTORY ?? "off" } });
  const browser = await launchBrowser();
  const problems: string[] = [];
  try {
    const pages = await resolveAdminPages(app.url);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const warnings = new Set<string>();
    page.on("pageerror", (e) => errors.push(e.message));
    // Console errors other than a failed load say what broke; a failed load is named by its URL below.
    page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
    // A resource that fails to load (this machine is offline) is worth naming, not a broken page.
    page.on("requestfailed", (r) => warnings.add(`${r.url()} (${r.failure()?.errorText ?? "?"}), from ${page.url()}`));
    for (const p of pages) {
      for (const lang of LANGS) {
        for (const [width, viewport] of Object.entries(VIEWPORTS)) {
          errors.length = 0;
          await page.setViewportSize(viewport);
          const res = await page.goto(`${app.url}${p.path}?lang=${lang}`, { waitUntil: "networkidle" });
          // Lazy images load only when scrolled to, and Chromium does not paint an iframe
          // that is off screen (the message preview on a phone): make the viewport as
          // tall as the page for the capture, so everything is on screen and painted.
          await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
          await page.waitForLoadState("networkidle");
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.waitForTimeout(400);
          const file = screenshotPath(`${p.name}.${lang}.${width}.png`);
          await page.screenshot({ path: file, fullPage: true });
          const status = res?.status() ?? 0;
          const trouble = [status === 200 ? "" : `HTTP ${status}`, ...errors].filter(Boolean).join("; ");
          if (trouble) problems.push(`${p.path} ${lang} ${width}: ${trouble}`);
          process.stdout.write(`${path.relative(process.cwd(), file)}\t${p.path}?lang=${lang}\t${width}${trouble ? `\t${trouble}` : ""}\n`);
        }
      }
    }
    if (warnings.size) process.stderr.write(`\nfailed to load (not counted as a problem):\n${[...warnings].join("\n")}\n`);
  } finally {
    await browser.close();
    await app.stop();
  }
  if (problems.length) process.stderr.write(`\n${problems.length} page(s) with problems:\n${problems.join("\n")}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
