import { execFileSync } from "node:child_process";
import path from "node:path";
import { buildDemoStorefront } from "../../scripts/build-demo-storefront";

// Runs once before the suite.
export default async function setup() {
  // Say which database this run uses, so a CI log shows plainly that the suite ran
  // on PGlite and again on PostgreSQL.
  const url = process.env.DATABASE_URL;
  const target = url ? `PostgreSQL server (${new URL(url).host})` : "PGlite (embedded, in memory)";
  process.stdout.write(`\n[tests] database under test: ${target}\n`);

  // The end-to-end tests start the app the way `npm run demo` and `npm start` do,
  // from the production build; build it once here rather than in parallel per file.
  process.stdout.write("[tests] building the app (remix vite:build)...\n\n");
  execFileSync(path.resolve("node_modules/.bin/remix"), ["vite:build"], {
    stdio: "pipe",
    env: { ...process.env, VITEST: undefined, NODE_ENV: "production" },
  });
  // The storefront simulator's browser scripts, which the demo serves from
  // build/demo-storefront: after the app's build, which empties build/.
  await buildDemoStorefront();
}
