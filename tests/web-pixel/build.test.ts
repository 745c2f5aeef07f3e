import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { buildPixel, PIXEL_MAX_BYTES } from "../../scripts/build-pixel";

describe("web pixel bundle", () => {
  it("builds to a single script within Shopify's 64 KB limit", async () => {
    const { path, bytes } = await buildPixel();
    expect(path.endsWith("extensions/web-pixel/dist/main.js")).toBe(true);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(PIXEL_MAX_BYTES);
    expect(PIXEL_MAX_BYTES).toBe(65_536);

    const code = await readFile(path, "utf8");
    expect(Buffer.byteLength(code)).toBe(bytes);
    // Self-contained: no module syntax left for the sandbox to resolve.
    expect(code).not.toMatch(/\bimport\s*[({"']|\brequire\(/);
    expect(code).toContain("WebPixel::Render");
  });
});
