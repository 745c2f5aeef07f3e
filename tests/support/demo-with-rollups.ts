import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { shopDay } from "~/domain/measurement/shop-day";
import { DEMO_SHOP_DOMAIN } from "~/server/config.server";
import { openDatabase } from "~/server/db/client.server";
import { startApp, type AppProcess } from "./app-process";
import { seedReportRollups } from "./report-rollups";

// The built demo app as a process (`npm run demo`) with 90 days of report rollups
// written into its database (./report-rollups.ts): the set-up of the browser tests of
// the pages that draw reports (home, reports).

export interface DemoWithRollups {
  app: AppProcess;
  /** Stops the app and removes its data directory. */
  close: () => Promise<void>;
}

async function seed(database: Awaited<ReturnType<typeof openDatabase>>) {
  const shop = await database.prisma.shop.findUniqueOrThrow({ where: { domain: DEMO_SHOP_DOMAIN } });
  await seedReportRollups(database.prisma, shop.id, shopDay(new Date(), shop.timezone));
  await database.close();
}

/** `name` names the temp data directory (flowmate-<name>-...). Takes a minute or two: give beforeAll 240 s. */
export async function startDemoWithRollups(name: string): Promise<DemoWithRollups> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `flowmate-${name}-`));
  let app = await startApp({ env: { DATA_DIR: dataDir } }); // seeds the demo shop
  if (app.databaseUrl) {
    await seed(await openDatabase({ url: app.databaseUrl, poolSize: 2 }));
  } else {
    // PGlite is one process's: stop the app, write the rollups, start it again on the same files.
    await app.stop();
    await seed(await openDatabase({ pgliteDir: path.join(dataDir, "pglite") }));
    app = await startApp({ env: { DATA_DIR: dataDir } });
  }
  return {
    app,
    close: async () => {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects what the console reports as an error (a hydration mismatch is one), for the test to fail on. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return errors;
}
