// Walks the storefront simulator in headless Chromium and saves screenshots
// (screenshots/storefront-*.png). Needs a running demo server:
//   PORT=3100 SMTP_SINK_PORT=2600 DATA_DIR=/tmp/sim-data npx tsx server.ts --demo
//   BASE=http://localhost:3100 npx tsx tests/storefront/screenshots.ts
import { launchBrowser, screenshotPath } from "../support/browser";

const BASE = process.env.BASE ?? "http://localhost:3100";
const { context, close } = await launchBrowser();
const page = await context.newPage();
const problems: string[] = [];
page.on("console", (m) => {
  if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
});
page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));

const shot = async (name: string, fullPage = false) => {
  await page.waitForTimeout(400);
  const file = screenshotPath(`storefront-${name}.png`);
  await page.screenshot({ path: file, fullPage });
  console.log("saved", file);
};
const suppressPopup = () => page.evaluate(() => localStorage.setItem("flowmate:signup:dismissedAt", String(Date.now())));

await page.goto(`${BASE}/dev/storefront`);
await suppressPopup();
await page.reload();
await shot("home", true);
await page.goto(`${BASE}/dev/storefront?collection=all`);
await shot("grid");
await page.goto(`${BASE}/dev/storefront?product=ethiopia-yirgacheffe-250-g`);
await page.click("[data-qty='1']");
await page.click("[data-product-form] button[type=submit]");
await shot("product-en");
await page.goto(`${BASE}/dev/storefront?product=gooseneck-kettle&lang=pl`);
await page.click("[data-product-form] button[type=submit]");
await shot("product-pl", true);
await page.goto(`${BASE}/dev/storefront?q=coffee`);
await shot("search");
await page.goto(`${BASE}/dev/storefront?view=cart`);
await shot("cart");
await page.goto(`${BASE}/dev/storefront?view=checkout`);
await shot("checkout");
await page.click("[data-checkout-form] button[type=submit]");
await shot("checkout-errors");
await page.fill("#co-email", "anna.nowak@example.com");
await page.fill("#co-phone", "512 345 678");
await page.check("input[name=acceptsEmail]");
await page.check("input[name=acceptsSms]");
await page.fill("#co-first", "Anna");
await page.fill("#co-last", "Nowak");
await page.fill("#co-address", "ul. Prosta 12");
await page.fill("#co-zip", "00-850");
await page.fill("#co-city", "Warszawa");
await page.click("[data-checkout-form] button[type=submit]");
await shot("checkout-payment");
await page.click("[data-pay]");
await page.waitForURL(/thank-you/);
await page.click(".sf-debug summary");
await shot("thank-you");
await page.goto(`${BASE}/dev/storefront?lang=pl`);
await page.evaluate(() => localStorage.removeItem("flowmate:signup:dismissedAt"));
await page.reload();
await page.waitForTimeout(5600);
await shot("popup-pl");

await page.evaluate(() => {
  localStorage.setItem("flowmate:signup:dismissedAt", String(Date.now()));
  sessionStorage.removeItem("flowmate-sim:debug-open");
});
await page.setViewportSize({ width: 390, height: 844 });
await page.goto(`${BASE}/dev/storefront?lang=pl`);
await shot("mobile-home-pl");
await page.goto(`${BASE}/dev/storefront?product=ceramic-mug`);
await shot("mobile-product", true);

const log = await page.evaluate(() =>
  (window as unknown as { flowmatePixelRuntime: { log(): { name: string }[] } }).flowmatePixelRuntime.log().map((e) => e.name),
);
console.log("events:", log.join(", "));
console.log(problems.length ? problems.join("\n") : "no console errors");
await close();
