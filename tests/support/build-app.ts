import { execFileSync } from "node:child_process";
import path from "node:path";
import { buildDemoStorefront } from "../../scripts/build-demo-storefront";

// Global setup of the e2e project: its tests start the app the way `npm run demo`
// and `npm start` do, from the production build; build it once here rather than in
// parallel per file.
export default async function buildApp() {
  process.stdout.write("[tests] building the app (remix vite:build)...\n\n");
  execFileSync(path.resolve("node_modules/.bin/remix"), ["vite:build"], {
    stdio: "pipe",
    env: { ...process.env, VITEST: undefined, NODE_ENV: "production" },
  });
  // The storefront simulator's browser scripts, which the demo serves from
  // build/demo-storefront: after the app's build, which empties build/.
  await buildDemoStorefront();
}
