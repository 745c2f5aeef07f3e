// The widget bundle build: within its size budget, and the committed assets/ (which
// Shopify ships as they are) match what the sources build to today.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS_DIR, buildWidgets, CSS_FILE, CSS_LIMIT_BYTES, JS_FILE, JS_LIMIT_BYTES } from "../../scripts/build-widgets";

describe("scripts/build-widgets.ts", () => {
  let outDir: string;
  let sizes: { jsBytes: number; cssBytes: number };

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), "flowmate-widgets-build-"));
    sizes = await buildWidgets({ outDir });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("keeps flowmate-widgets.js within 20 KB minified and the CSS small", () => {
    expect(JS_LIMIT_BYTES).toBe(20 * 1024);
    expect(sizes.jsBytes).toBe(statSync(path.join(outDir, JS_FILE)).size);
    expect(sizes.cssBytes).toBe(statSync(path.join(outDir, CSS_FILE)).size);
    expect(sizes.jsBytes).toBeLessThanOrEqual(JS_LIMIT_BYTES);
    expect(sizes.cssBytes).toBeLessThanOrEqual(CSS_LIMIT_BYTES);
  });

  it("fails over budget and writes nothing", async () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), "flowmate-widgets-over-"));
    try {
      await expect(buildWidgets({ outDir: emptyDir, jsLimitBytes: 1000 })).rejects.toThrow(
        /flowmate-widgets\.js is \d+ bytes, over the 1000 byte limit/,
      );
      expect(readdirSync(emptyDir)).toEqual([]);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it("emits one self-contained IIFE for browsers (no imports, no process.env)", () => {
    const js = readFileSync(path.join(outDir, JS_FILE), "utf8");
    expect(js).toMatch(/^("use strict";)?\(\(\)=>\{[\s\S]*\}\)\(\);\n?$/);
    expect(js).not.toMatch(/\bimport\s*[({"']|\brequire\(|process\.env/);
    // es2019 target: no optional chaining or nullish coalescing reaches old Safari.
    expect(js).not.toMatch(/\?\.[a-zA-Z_$[(]|\?\?/);
  });

  it("scopes every CSS class with the fm- prefix", () => {
    const css = readFileSync(path.join(outDir, CSS_FILE), "utf8");
    const classes = new Set(Array.from(css.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g), (m) => m[1]!));
    expect(classes.size).toBeGreaterThan(10);
    for (const name of classes) expect(name).toMatch(/^fm-/);
  });

  it("the committed assets are up to date with src/ (run `npx tsx scripts/build-widgets.ts`)", () => {
    for (const file of [JS_FILE, CSS_FILE]) {
      const committed = readFileSync(path.join(ASSETS_DIR, file), "utf8");
      const fresh = readFileSync(path.join(outDir, file), "utf8");
      expect(committed === fresh, `${file} is stale: rebuild the widgets`).toBe(true);
    }
  });
});
