/**
 * Bundles the web pixel the same way Shopify CLI does (one self-contained
 * browser script) so CI can enforce the size budget without the CLI.
 * Usage: npx tsx scripts/build-pixel.ts
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PIXEL_DIR = path.join(ROOT, "extensions", "web-pixel");

/** Shopify rejects web pixel bundles above 64 KB (raw, not gzipped). */
export const PIXEL_MAX_BYTES = 64 * 1024;

export async function buildPixel(): Promise<{ path: string; bytes: number }> {
  const outfile = path.join(PIXEL_DIR, "dist", "main.js");
  await build({
    entryPoints: [path.join(PIXEL_DIR, "src", "index.ts")],
    outfile,
    bundle: true,
    minify: true,
    // Shopify CLI emits a classic script for pixels; iife avoids leaking
    // top-level bindings into the sandbox's global scope.
    format: "iife",
    platform: "browser",
    target: "es2020",
    legalComments: "none",
    logLevel: "silent",
  });
  const { size } = await stat(outfile);
  return { path: outfile, bytes: size };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;

if (invokedDirectly) {
  try {
    const result = await buildPixel();
    const rel = path.relative(ROOT, result.path);
    console.log(`${rel}: ${result.bytes} bytes (limit ${PIXEL_MAX_BYTES})`);
    if (result.bytes > PIXEL_MAX_BYTES) {
      console.error(`web pixel bundle is ${result.bytes - PIXEL_MAX_BYTES} bytes over the limit`);
      process.exitCode = 1;
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
