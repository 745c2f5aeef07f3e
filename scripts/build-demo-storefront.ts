// Builds the storefront simulator's browser scripts (the demo only, never shipped to
// a shop):
//   demo/storefront/client/install-pixel-runtime.ts -> build/demo-storefront/pixel-runtime.js
//   demo/storefront/client/start-storefront.ts      -> build/demo-storefront/storefront.js
// Served by the demo's /dev/assets/storefront/* route. Run by `npm run build` and
// before the tests (tests/support/build-app.ts), in both after `remix vite:build`,
// which empties build/.
//
//   npx tsx scripts/build-demo-storefront.ts
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLIENT_DIR = path.join(ROOT, "demo", "storefront", "client");
// Under build/ with the app's own build output (ignored by git and ESLint).
export const DEMO_STOREFRONT_DIST = path.join(ROOT, "build", "demo-storefront");

export async function buildDemoStorefront(outDir = DEMO_STOREFRONT_DIST): Promise<string[]> {
  const entries = { "pixel-runtime": "install-pixel-runtime.ts", storefront: "start-storefront.ts" };
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, file]) => [out, path.join(CLIENT_DIR, file)])),
    outdir: outDir,
    bundle: true,
    // Readable in the browser's devtools: this is a demo page, size does not matter.
    minify: false,
    // Classic scripts, loaded in order by plain <script src> tags; iife keeps their
    // bindings off the page's global scope.
    format: "iife",
    platform: "browser",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
  });
  return Object.keys(entries).map((name) => path.join(outDir, `${name}.js`));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  buildDemoStorefront()
    .then((files) => console.log(files.map((f) => path.relative(process.cwd(), f)).join("\n")))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
