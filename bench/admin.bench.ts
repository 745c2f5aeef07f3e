// Core Web Vitals of every admin page, on the demo data, in headless Chromium: LCP, CLS,
// and the INP of the page's main interaction (a real click, MAIN_CONTROL below).
// Measured with Google's web-vitals library injected before the page's own scripts,
// reported on a visibility change as its docs describe. Goals: LCP <= 1.0 s, CLS <= 0.1,
// INP <= 200 ms (Built for Shopify: LCP <= 2.5 s, CLS <= 0.1, INP <= 200 ms).
// Baseline, same run, same server: each page's static twin, the server-rendered HTML
// with the same Polaris CSS and markup but no scripts (what the browser alone costs).
// Pages come from the route files (tests/support/admin-pages.ts): a new page is measured
// without editing this file. Run: npm run bench -- admin [--quick]. See docs/benchmarks.md.
// bench-timeout-s: 1200
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { resolveAdminPages, type ResolvedPage } from "../tests/support/admin-pages";
import { startApp, type AppProcess } from "../tests/support/app-process";
import { CHROMIUM_PATH, hasChromium, launchBrowser, type Chromium } from "../tests/support/chromium";
import { isQuick, median, note, report } from "./support/report";

const BENCH = "admin";
const quick = isQuick();
const ROUNDS = quick ? 1 : 5;
/** Quick (CI): the pages merchants open first, and a report (charts, the period select). */
const QUICK_PAGES = ["home", "flows", "flows-flowId-report"];
const GOALS = { lcp: 1000, cls: 0.1, inp: 200 };
const BASELINE = "static twin (same HTML and Polaris CSS, no JS), same server";
const STATIC_DIR = path.resolve("build/client/__bench-admin");

/**
 * Each page's main interaction, by page name (tests/support/admin-pages.ts pageName):
 * a click on `selector` (Playwright syntax), or with `key`, that key pressed in it (a
 * select's ArrowDown picks the next option, as a keyboard user does). Pages not listed
 * get a click on the first visible button in the page's content, else its first link,
 * else its title.
 * The control must not load a new document (a plain link would): INP is read after it.
 */
interface Control {
  selector: string;
  key?: string;
}
const MAIN_CONTROL: Record<string, Control> = {
  // Switching the first catalogue flow off or on (a form post through Remix).
  flows: { selector: "[data-flow] button[type=submit]" },
  // The report period: the next preset, which reloads every figure and chart.
  reports: { selector: ".Polaris-Page select", key: "ArrowDown" },
  "flows-flowId-report": { selector: ".Polaris-Page select", key: "ArrowDown" },
  // The flow page: opening its steps for editing (every step's fields appear in place).
  "flows-flowId": { selector: ".Polaris-Page button:has-text('Edit steps')" },
  // The message editor: a letter typed into the subject, which the live preview follows.
  "flows-flowId-messages-stepId": { selector: "#en_subject", key: "a" },
  // Settings: the shop's time zone, the next option (the quiet hours' zone follows).
  settings: { selector: "#timezone", key: "ArrowDown" },
  // The audit log only reads (its one control, the back link, leaves the page): its title.
  "settings-audit": { selector: ".Polaris-Page h1" },
};
const DEFAULT_BUTTON = ".Polaris-Page button:visible";
const DEFAULT_LINK = ".Polaris-Page a[href]:visible";
/** A page with no control at all: a click on its title is still an interaction. */
const DEFAULT_TEXT = ".Polaris-Page h1, .Polaris-Page";

async function defaultControl(page: Page) {
  for (const selector of [DEFAULT_BUTTON, DEFAULT_LINK]) {
    if (await page.locator(selector).count()) return page.locator(selector).first();
  }
  return page.locator(DEFAULT_TEXT).first();
}

interface Vitals {
  lcp: number | null;
  cls: number | null;
  inp: number | null;
  /** Time to first byte: the server's share of LCP (the twin is a static file). */
  ttfb: number | null;
  control: string;
}

const WEB_VITALS = fs.readFileSync(path.resolve("node_modules/web-vitals/dist/web-vitals.iife.js"), "utf8");
/** Runs before the page's scripts: every metric's latest report lands in window.__vitals. */
const INIT_SCRIPT = `${WEB_VITALS}
;(() => {
  const v = (window.__vitals = {});
  const keep = (m) => { v[m.name] = m.value; };
  webVitals.onLCP(keep, { reportAllChanges: true });
  webVitals.onCLS(keep, { reportAllChanges: true });
  webVitals.onINP(keep, { reportAllChanges: true });
  webVitals.onTTFB(keep);
})();`;

function ensureBuild(): void {
  if (fs.existsSync("build/server/index.js")) return;
  note("building the app (npm run build)...");
  execFileSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * The baseline page: the server's HTML of the same page without its scripts, served
 * from build/client by the same server. One line of script stops a click from leaving
 * it (a link or form would load a new document), so the click costs what the browser
 * needs for that markup and CSS.
 */
async function writeStaticTwin(app: AppProcess, p: ResolvedPage): Promise<string> {
  const html = await (await fetch(`${app.url}${p.path}?lang=en`)).text();
  const stripped = html
    .replace(/<script\b[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, "")
    .replace(
      "</head>",
      `<script>addEventListener("click",(e)=>e.preventDefault(),true);addEventListener("submit",(e)=>e.preventDefault(),true)</script></head>`,
    );
  fs.mkdirSync(STATIC_DIR, { recursive: true });
  fs.writeFileSync(path.join(STATIC_DIR, `${p.name}.html`), stripped);
  return `${app.url}/__bench-admin/${p.name}.html`;
}

async function measure(browser: Chromium, url: string, control: Partial<Control>): Promise<Vitals> {
  const page: Page = await browser.context.newPage();
  try {
    await page.addInitScript(INIT_SCRIPT);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(url, { waitUntil: "load" });
    await page.waitForLoadState("networkidle"); // hydrated, deferred data in
    await page.waitForTimeout(200);
    const target = control.selector ? page.locator(control.selector).first() : await defaultControl(page);
    const label = ((await target.getAttribute("aria-label")) ?? (await target.innerText()).trim().split("\n")[0]!).slice(0, 40);
    // Real input through the browser (CDP), not a dispatched event: only that is an interaction.
    if (control.key) {
      await target.focus();
      await page.keyboard.press(control.key);
    } else {
      await target.click();
    }
    await page.waitForTimeout(800); // the interaction's next paint and its event-timing entry
    // web-vitals reports the final LCP, CLS and INP when the page is hidden. Headless
    // Chromium never hides a page, so say it is hidden, the way the library's own tests do.
    // (A string: tsx would wrap a function's inner arrows in a helper the page lacks.)
    await page.evaluate(
      `Object.defineProperty(document, "visibilityState", { configurable: true, get() { return "hidden"; } });
       document.dispatchEvent(new Event("visibilitychange"));`,
    );
    await page.waitForTimeout(100);
    const v = await page.evaluate(() => (window as unknown as { __vitals: Record<string, number> }).__vitals);
    if (errors.length) throw new Error(`${url} threw: ${errors.join("; ")}`);
    return { lcp: v.LCP ?? null, cls: v.CLS ?? null, inp: v.INP ?? null, ttfb: v.TTFB ?? null, control: label };
  } finally {
    await page.close();
  }
}

const fmt = (x: number | null, unit: string) => (x === null ? "n/a" : `${x < 1 ? x.toFixed(3) : Math.round(x)}${unit}`);
const met = (x: number | null, goal: number) => (x === null ? "not measured" : x <= goal ? "met" : "NOT met");
const medianOf = (xs: (number | null)[]) => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length ? median(ok) : null;
};
/** A ratio > 1 means ours is better; two zeros (no layout shift on either side) are parity. */
const ratioOf = (ours: number, base: number) => (ours === base ? 1 : ours === 0 ? base / 1e-6 : base / ours);

async function main(): Promise<void> {
  if (!hasChromium) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);
  ensureBuild();
  note("starting the demo app...");
  const app = await startApp();
  const browser = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  const summary: string[] = [];
  let missed = 0;
  try {
    let pages = await resolveAdminPages(app.url);
    if (quick) pages = pages.filter((p) => QUICK_PAGES.includes(p.name));
    note(`${pages.length} pages, ${ROUNDS} round(s) each: ${pages.map((p) => p.name).join(", ")}`);
    for (const p of pages) {
      const ours = `${app.url}${p.path}?lang=en`;
      const twin = await writeStaticTwin(app, p);
      const control: Partial<Control> = MAIN_CONTROL[p.name] ?? {};
      // Warm-up: the server's first render of a page and the browser's cache of its assets.
      await measure(browser, ours, control);
      await measure(browser, twin, control);
      const o: Vitals[] = [];
      const b: Vitals[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which side goes first, so a slow phase of the machine lands on both.
        if (r % 2 === 0) {
          o.push(await measure(browser, ours, control));
          b.push(await measure(browser, twin, control));
        } else {
          b.push(await measure(browser, twin, control));
          o.push(await measure(browser, ours, control));
        }
      }
      const clicked = `${control.key ? `${control.key} in` : "click:"} "${o[0]!.control}"`;
      const rows = [
        { key: "lcp" as const, metric: `lcp_ms_${p.name}`, unit: "ms", goal: GOALS.lcp },
        { key: "cls" as const, metric: `cls_${p.name}`, unit: "", goal: GOALS.cls },
        { key: "inp" as const, metric: `inp_ms_${p.name}`, unit: "ms", goal: GOALS.inp },
      ];
      const verdicts: string[] = [];
      for (const row of rows) {
        const value = medianOf(o.map((x) => x[row.key]));
        const base = medianOf(b.map((x) => x[row.key]));
        const paired = o
          .map((x, i) => [x[row.key], b[i]![row.key]] as const)
          .filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[1] !== null)
          .map(([x, y]) => ratioOf(x, y));
        if (value === null || base === null) {
          note(`${p.name}: ${row.key.toUpperCase()} not reported (ours ${fmt(value, row.unit)}, twin ${fmt(base, row.unit)})`);
        } else {
          report({
            bench: BENCH,
            metric: row.metric,
            value,
            unit: row.unit || "score",
            baseline: BASELINE,
            baseline_value: base,
            higherIsBetter: false,
            pairedRatios: paired,
          });
        }
        const verdict = met(value, row.goal);
        if (verdict !== "met") missed++;
        verdicts.push(`${row.key.toUpperCase()} ${fmt(value, row.unit)} (twin ${fmt(base, row.unit)}) ${verdict}`);
      }
      const ttfb = `TTFB ${fmt(medianOf(o.map((x) => x.ttfb)), "ms")} (twin ${fmt(medianOf(b.map((x) => x.ttfb)), "ms")})`;
      summary.push(`${p.path.padEnd(44)} ${verdicts.join(" | ")} | ${ttfb} | ${clicked}`);
    }
  } finally {
    await browser.close();
    await app.stop();
    fs.rmSync(STATIC_DIR, { recursive: true, force: true });
  }
  note(
    `\ngoals: LCP <= ${GOALS.lcp} ms, CLS <= ${GOALS.cls}, INP <= ${GOALS.inp} ms (medians of ${ROUNDS} round(s), desktop 1280x900, English)`,
  );
  for (const line of summary) note(line);
  note(missed ? `${missed} goal(s) not met or not measured` : "every goal met on every page");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
