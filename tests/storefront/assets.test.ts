import { outsideDemo } from "../support/demo-mode";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loader } from "../../demo/routes/assets";
import { resolveAsset } from "../../demo/storefront/assets.server";
import { buildPixel } from "../../scripts/build-pixel";
import { callRoute } from "../support/http";

const PIXEL = path.resolve("extensions/web-pixel/dist/main.js");
const WIDGETS_DIR = path.resolve("extensions/theme-widgets/assets");

const get = (splat: string) => callRoute(loader, new Request(`http://localhost:3000/dev/assets/${splat}`), { "*": splat });

beforeAll(async () => {
  // dist/ is not committed: build the pixel once if this checkout has not yet.
  if (!fs.existsSync(PIXEL)) await buildPixel();
});

describe("/dev/assets/* (built extension files)", () => {
  it("serves the built pixel bundle as JavaScript", async () => {
    const res = await get("web-pixel/main.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toContain("WebPixel::Render");
  });

  it("serves the theme widget assets with their types", async () => {
    const files = fs.readdirSync(WIDGETS_DIR);
    expect(files).toEqual(expect.arrayContaining(["flowmate-widgets.js", "flowmate-widgets.css"]));
    const js = await get("theme-widgets/flowmate-widgets.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const css = await get("theme-widgets/flowmate-widgets.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(Buffer.from(await css.arrayBuffer()).equals(fs.readFileSync(path.join(WIDGETS_DIR, "flowmate-widgets.css")))).toBe(true);
  });

  it.each([
    "web-pixel/../../../package.json",
    "web-pixel/..%2f..%2f..%2fpackage.json",
    "theme-widgets/../blocks/signup-popup.liquid",
    "theme-widgets/../../../.env",
    "../package.json",
    "../../server.ts",
    "/etc/passwd",
    "web-pixel//etc/passwd",
    "theme-widgets/%2e%2e/src/main.tsx",
    "theme-widgets/..",
    "theme-widgets/",
    "web-pixel/dist/main.js",
    "web-pixel/index.ts",
    "web-pixel/main.js.map",
    "theme-widgets/nope.js",
    "theme-widgets/FLOWMATE-WIDGETS.JS",
    "theme-widgets/flowmate-widgets.js/",
    "web-pixel",
    "extensions/web-pixel/dist/main.js",
    "constructor/x.js",
    "__proto__/main.js",
    "",
  ])("answers 404 to %j", async (splat) => {
    const res = await get(splat);
    expect(res.status).toBe(404);
  });

  it("only serves files its directory lists, even with a different root", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "fm-assets-"));
    try {
      fs.mkdirSync(path.join(root, "extensions/web-pixel/dist"), { recursive: true });
      fs.mkdirSync(path.join(root, "extensions/theme-widgets/assets/sub"), { recursive: true });
      fs.writeFileSync(path.join(root, "extensions/web-pixel/dist/main.js"), "x");
      fs.writeFileSync(path.join(root, "extensions/web-pixel/dist/other.js"), "x");
      fs.writeFileSync(path.join(root, "extensions/theme-widgets/assets/a.js"), "x");
      fs.writeFileSync(path.join(root, "extensions/theme-widgets/assets/sub/b.js"), "x");
      fs.writeFileSync(path.join(root, "extensions/theme-widgets/assets/readme.txt"), "x");
      expect(await resolveAsset("web-pixel/main.js", root)).toMatchObject({ file: path.join(root, "extensions/web-pixel/dist/main.js") });
      expect(await resolveAsset("web-pixel/other.js", root)).toBeNull();
      expect(await resolveAsset("theme-widgets/a.js", root)).not.toBeNull();
      expect(await resolveAsset("theme-widgets/sub", root)).toBeNull();
      expect(await resolveAsset("theme-widgets/sub/b.js", root)).toBeNull();
      // Unknown extensions have no content type and are not served.
      expect(await resolveAsset("theme-widgets/readme.txt", root)).toBeNull();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("does not exist outside the demo", async () => {
    expect(await outsideDemo(async () => (await get("web-pixel/main.js")).status)).toBe(404);
  });
});

afterAll(() => vi.unstubAllEnvs());
