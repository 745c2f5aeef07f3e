import { outsideDemo } from "../support/demo-mode";
import { describe, expect, it } from "vitest";
import { loader } from "../../demo/routes/storefront-image";
import { DEMO_PRODUCTS } from "../../demo/seed/demo-shop";
import { callRoute } from "../support/http";

const get = (file: string) => callRoute(loader, new Request(`http://localhost:3000/dev/storefront/image/${file}`), { handle: file });

describe("/dev/storefront/image/<handle>.svg", () => {
  it.each(DEMO_PRODUCTS.map((p) => [p.handle, p] as const))("draws %s in its colour", async (handle, product) => {
    const res = await get(`${handle}.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const svg = await res.text();
    expect(svg.startsWith("<svg ")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('viewBox="0 0 480 480"');
    expect(svg.toLowerCase()).toContain(`fill="${product.color.toLowerCase()}"`);
    expect(svg).toContain(`aria-label="${product.title.replace("&", "&#38;")}"`);
    // Static picture: nothing that can run or load anything.
    expect(svg).not.toMatch(/<script|on\w+=|href=|<foreignObject|url\(/i);
  });

  it("is a well-formed XML document", async () => {
    const svg = await (await get("gift-card-100-z.svg")).text();
    const opened = (svg.match(/<(?!\/)[a-zA-Z][^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-zA-Z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });

  it("gives every product its own picture", async () => {
    const bodies = await Promise.all(DEMO_PRODUCTS.map(async (p) => (await get(`${p.handle}.svg`)).text()));
    expect(new Set(bodies).size).toBe(DEMO_PRODUCTS.length);
  });

  it.each(["unknown.svg", "ceramic-mug", "ceramic-mug.png", "../ceramic-mug.svg", "ceramic-mug.svg.svg", ""])(
    "answers 404 to %j",
    async (file) => {
      expect((await get(file)).status).toBe(404);
    },
  );

  it("does not exist outside the demo", async () => {
    expect(await outsideDemo(async () => (await get("ceramic-mug.svg")).status)).toBe(404);
  });
});
