// The staged rollout page in a real browser, on the demo as `npm run demo` starts it:
// the welcome series gets a second version, the merchant stages it and advances it
// to 50 % on the page; new subscribers (signed customers/create webhooks) are split
// between the versions and mailed through the real outbox and SMTP; everyone who got
// the new version's mail unsubscribes through its one-click link; the rollouts task
// halts the rollout and the page shows why.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customerPayload } from "../capture/shopify-fixtures";
import { startApp, type AppProcess } from "../support/app-process";
import { hasChromium, launchBrowser, screenshotPath, withPage } from "../support/browser";
import { advanceDemoClock, demoNow, postDemoWebhook, waitForApp } from "../support/demo-app";

const SHOPPERS = 110;
let app: AppProcess;

beforeAll(async () => {
  app = await startApp();
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

interface Mail {
  id: number;
  to: string;
  subject: string;
}

/** The demo's mail outbox, read from its page (its loader data is not JSON under single fetch). */
async function mails(): Promise<Mail[]> {
  const html = await (await fetch(`${app.url}/dev/mail`)).text();
  const out: Mail[] = [];
  for (const m of html.matchAll(/href="\/dev\/mail\?id=(\d+)"[\s\S]*?<span[^>]*>([^<]*)<\/span>[\s\S]*?<span[^>]*>([^<]*)<\/span>/g)) {
    out.push({ id: Number(m[1]), subject: m[2]!, to: m[3]! });
  }
  return out;
}

/** The one-click unsubscribe address of one mail, from its List-Unsubscribe header. */
async function unsubscribeLink(id: number): Promise<string> {
  const html = await (await fetch(`${app.url}/dev/mail?id=${id}`)).text();
  const link = /list-unsubscribe: &lt;(.*?)&gt;/i.exec(html)?.[1]?.replaceAll("&amp;", "&");
  if (!link) throw new Error(`mail ${id} has no List-Unsubscribe header`);
  return link;
}

async function demoAction(intent: string): Promise<string> {
  const res = await fetch(`${app.url}/dev/actions`, { method: "POST", body: new URLSearchParams({ intent }) });
  expect(res.status).toBe(200);
  return res.text();
}

/** The id of the welcome series, from the flows page's report link. */
async function welcomeFlowId(): Promise<string> {
  const html = await (await fetch(`${app.url}/app/flows`)).text();
  const from = html.indexOf("Welcome series");
  const id = /\/app\/flows\/([^/"]+)\/report/.exec(html.slice(from))?.[1];
  if (!id) throw new Error("no welcome flow on the flows page");
  return id;
}

async function shot(page: Page, url: string, name: string) {
  await page.goto(url, { waitUntil: "networkidle" });
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

describe.skipIf(!hasChromium)("staged rollout in a real browser", () => {
  it(
    "advance to 50 % on the page; the new version's recipients unsubscribe; the rollouts task halts the rollout and the page says why",
    { timeout: 420_000 },
    async () => {
      // Quiet hours are real (21:00-08:00 in the shop's Warsaw time): move to the next 10:00 there.
      await advanceDemoClock(app, msUntilWarsaw10(await demoNow(app)));
      await demoAction("welcome-new-version");
      const flowId = await welcomeFlowId();
      const url = `${app.url}/app/flows/${flowId}/rollout`;

      await withPage(async (page) => {
        await page.goto(url, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Staged rollout: Welcome series" }).waitFor();
        await page.getByRole("button", { name: "Start staged rollout (10 %)" }).click();
        await page.getByText("Staged rollout started at 10 %.").waitFor();
        await page.getByText("10 % of new entrants on version 2, the others on version 1.").waitFor();
        await page.getByRole("button", { name: "Advance to 50 %" }).click();
        await page.getByText("Advanced to the next stage.").waitFor();
        await page.getByText("50 % of new entrants on version 2, the others on version 1.").waitFor();
        await page.getByRole("heading", { name: "Go/no-go criteria, 50 % stage" }).waitFor();
        expect(await page.getByRole("button", { name: "Advance to 100 %" }).count()).toBe(1);
      });

      // New subscribers, as Shopify announces them.
      const start = await demoNow(app);
      for (let i = 0; i < SHOPPERS; i++) {
        const payload = customerPayload({
          id: 7_300_000_000_000 + i,
          email: `rollout.shopper.${i}@example.com`,
          phone: null,
          first_name: `Shopper${i}`,
          locale: "en",
          created_at: start.toISOString(),
          updated_at: start.toISOString(),
          email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: start.toISOString() },
        });
        expect((await postDemoWebhook(app, "customers/create", JSON.stringify(payload))).status).toBe(200);
      }
      // Each gets the first mail of the version they entered: welcome_1 (version 1) or welcome_2 (version 2).
      const ours = async () => (await mails()).filter((m) => m.to.includes("rollout.shopper."));
      // Done when the count has not moved for three reads in a row, 3 s apart.
      const counts: number[] = [];
      await waitForApp(
        app,
        async () => {
          counts.push((await ours()).length);
          const last = counts.slice(-4);
          if (last.length === 4 && last[0]! > 0 && last.every((n) => n === last[0])) return true;
          await new Promise((r) => setTimeout(r, 3_000));
          return false;
        },
        "the welcome mails",
        300_000,
      );
      const sent = await ours();
      const fresh = sent.filter((m) => m.subject.startsWith("What makes"));
      const previous = sent.filter((m) => m.subject.startsWith("Welcome to"));
      expect(fresh.length + previous.length).toBe(sent.length);
      expect(fresh.length).toBeGreaterThanOrEqual(20);
      expect(previous.length).toBeGreaterThanOrEqual(20);

      // Everyone who got the new version's mail unsubscribes with its one-click link.
      for (const m of fresh) {
        const link = await unsubscribeLink(m.id);
        const target = new URL(link);
        const res = await fetch(`${app.url}${target.pathname}${target.search}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
        });
        expect(res.status, await res.text()).toBeLessThan(300);
      }

      // The worker's rollouts task, now.
      expect(await demoAction("run-rollouts")).toContain("checked 1, halted 1");

      await withPage(async (page) => {
        await page.goto(url, { waitUntil: "networkidle" });
        await page.getByRole("heading", { name: "Why the rollout halted" }).waitFor();
        const reason = (await page.getByTestId("halt-reason").textContent()) ?? "";
        expect(reason).toMatch(
          /Halted automatically on .*\. Unsubscribes at the 50 % stage: 100% for the new version against 0% for the previous one, beyond the limit of 1% \(at most previous \+ 1 pts\)\./,
        );
        expect(reason).toContain(`Messages judged: ${fresh.length} (new) and ${previous.length} (previous).`);
        await page.getByText("Halted: every new entrant takes version 1.").waitFor();
        // The stage's criteria table (the thresholds card above it names the criteria too).
        const row = page.getByRole("row").filter({ hasText: "Unsubscribes" }).filter({ hasText: "% of" }).first();
        const [newRate, baseRate, threshold, state] = await row.getByRole("cell").allTextContents();
        expect([newRate, baseRate, threshold]).toEqual([
          `100% of ${fresh.length}`,
          `0% of ${previous.length}`,
          "at most previous + 1 pts; at least 20 messages each",
        ]);
        expect(state).toMatch(/Breach$/);
        expect(await page.getByRole("button", { name: "Resume" }).count()).toBe(1);
        expect(await page.getByRole("button", { name: "Roll back to version 1" }).count()).toBe(1);
        expect(await page.getByRole("button", { name: /Advance/ }).count()).toBe(0);
        await page.screenshot({ path: screenshotPath("admin-rollout-halted-en.png"), fullPage: true });
        await shot(page, `${url}?lang=pl`, "admin-rollout-halted-pl.png");
        await page.getByRole("heading", { name: "Dlaczego wdrożenie wstrzymano" }).waitFor();
      });
      const mobile = await launchBrowser({ viewport: { width: 390, height: 844 } });
      try {
        const page = await mobile.context.newPage();
        await shot(page, url, "admin-rollout-halted-en-mobile.png");
        await shot(page, `${url}?lang=pl`, "admin-rollout-halted-pl-mobile.png");
      } finally {
        await mobile.close();
      }
    },
  );
});

function msUntilWarsaw10(now: Date): number {
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Warsaw", hour: "2-digit", hourCycle: "h23" }).format(now));
  const minutes = now.getUTCMinutes();
  const hoursAhead = (10 - hour + 24) % 24;
  return Math.max(0, hoursAhead * 3_600_000 - minutes * 60_000);
}
